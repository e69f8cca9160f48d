"""The inventory of a root filesystem: every package database, and what they miss.

:func:`take_inventory` reads, in two passes over the filesystem, the small
database files (os-release, dpkg, apk, rpm, Python distributions, npm manifests)
and then the programs no package owns (Go build info, cargo-auditable). It also
tells which files no package owns (largest first: what a builder stage copied
in) and which packages list files that are gone (the database no longer
matches the filesystem).

A Python distribution whose metadata a system package owns (Debian's
``python3-*``) belongs to that package and is not listed again, as Trivy decides.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass, field

from slimline.image.files import FileInfo
from slimline.inventory.apk import parse_apk_components
from slimline.inventory.copyright import copyright_licenses, is_copyright_file
from slimline.inventory.databases import APK_INSTALLED, DPKG_STATUS, DPKG_STATUS_D
from slimline.inventory.dpkg import (
    DPKG_CONFIG_D,
    DPKG_INFO,
    PathFilter,
    info_file_candidates,
    parse_dpkg_components,
    parse_list_file,
    parse_md5sums,
)
from slimline.inventory.model import Component
from slimline.inventory.npm import is_npm_manifest, package_dir, parse_package_json
from slimline.inventory.osrelease import OS_RELEASE_PATHS, OsRelease, parse_os_release
from slimline.inventory.python import installed_files, python_metadata, record_files
from slimline.inventory.rootfs import RootFs
from slimline.inventory.rpm import RPMDB_SQLITE, RPMDB_UNREAD, HeaderError, parse_rpmdb_sqlite

#: database files larger than this are not read (an rpmdb.sqlite is a few MiB)
MAX_DATABASE_BYTES = 64 * 1024 * 1024
#: programs are looked into when their size is within these bounds
MIN_PROGRAM_BYTES = 1024
MAX_PROGRAM_BYTES = 512 * 1024 * 1024
#: programs are read in batches of at most this many bytes
PROGRAM_BATCH_BYTES = 256 * 1024 * 1024

_PY_DIST = re.compile(
    r"/(?:site|dist)-packages/[^/]+(?:\.dist-info/(?:METADATA|RECORD)"
    r"|\.egg-info/(?:PKG-INFO|installed-files\.txt)|\.egg-info)$"
)
#: where programs are not kept: configuration, state, caches, logs, data, headers
_NOT_PROGRAMS = ("/etc/", "/var/lib/", "/var/cache/", "/var/log/", "/usr/share/",
                 "/usr/include/")
#: the package managers' own state: never reported as files no package owns
_STATE_DIRS = ("/var/lib/dpkg/", "/lib/apk/db/", "/var/lib/rpm/", "/usr/lib/sysimage/rpm/")


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A package whose database lists files that are not there any more."""

    component: Component
    missing: tuple[str, ...]
    listed: int


@dataclass(slots=True)
class Inventory:
    """What a root filesystem holds, according to its package databases and programs."""

    os: OsRelease | None
    components: list[Component]
    unowned: list[FileInfo]  # largest first
    mismatches: list[Mismatch]
    notes: list[str] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    #: what was read: the IMAGE argument or the directory, and for an image its
    #: config digest and platform
    target: str = ""
    kind: str = "directory"
    image_id: str = ""
    platform: str = ""

    @property
    def unowned_bytes(self) -> int:
        return sum(info.size for info in self.unowned)

    def counts(self) -> dict[str, int]:
        """Packages by ecosystem."""
        out: dict[str, int] = {}
        for component in self.components:
            out[component.ecosystem] = out.get(component.ecosystem, 0) + 1
        return out


def _is_database_file(path: str, licenses: bool = True) -> bool:
    if path in (DPKG_STATUS, APK_INSTALLED) or path in RPMDB_SQLITE:
        return True
    if path.startswith(DPKG_STATUS_D):
        return "/" not in path[len(DPKG_STATUS_D) :]
    if path.startswith(DPKG_INFO):
        return path.endswith((".list", ".md5sums")) and "/" not in path[len(DPKG_INFO) :]
    if path.startswith(DPKG_CONFIG_D):
        return "/" not in path[len(DPKG_CONFIG_D) :]
    return bool(_PY_DIST.search(path)) or is_npm_manifest(path) \
        or (licenses and is_copyright_file(path))


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _dpkg(files: dict[str, bytes]) -> list[Component]:
    out: list[Component] = []
    if DPKG_STATUS in files:
        for c in parse_dpkg_components(_text(files[DPKG_STATUS]), DPKG_STATUS):
            lists = [files[p] for p in info_file_candidates(c, ".list") if p in files]
            sums = [files[p] for p in info_file_candidates(c, ".md5sums") if p in files]
            out.append(_with_files(c, parse_list_file(_text(lists[0])) if lists else (),
                                   parse_md5sums(_text(sums[0])) if sums else ()))
    for path in sorted(files):
        if not path.startswith(DPKG_STATUS_D) or path.endswith(".md5sums"):
            continue
        md5sums = files.get(path + ".md5sums")
        listed = parse_md5sums(_text(md5sums)) if md5sums is not None else ()
        out.extend(_with_files(c, listed, listed) for c in
                   parse_dpkg_components(_text(files[path]), path, require_installed=False))
    return out


def _with_files(c: Component, files: tuple[str, ...], regular: tuple[str, ...]) -> Component:
    return dataclasses.replace(c, files=files, regular_files=regular)


def _with_licenses(fs: RootFs, debs: list[Component], files: dict[str, bytes]) -> list[Component]:
    """Debian packages with the licences of their machine-readable copyright file."""
    out: list[Component] = []
    for c in debs:
        text = files.get(fs.resolve(f"/usr/share/doc/{c.name}/copyright"))
        licenses = copyright_licenses(_text(text)) if text is not None else ()
        out.append(dataclasses.replace(c, licenses=licenses) if licenses else c)
    return out


def _python(files: dict[str, bytes], owned_by_system: set[str]) -> list[Component]:
    out: list[Component] = []
    for path in sorted(files):
        if path.endswith(".dist-info/METADATA"):
            record = files.get(path[: -len("METADATA")] + "RECORD")
            listed = record_files(path, record) if record is not None else ()
        elif path.endswith(".egg-info/PKG-INFO"):
            where = path[: -len("PKG-INFO")] + "installed-files.txt"
            listing = files.get(where)
            listed = (*installed_files(path, listing), where) if listing is not None else ()
        elif path.endswith(".egg-info"):
            listed = ()
        else:
            continue
        if path in owned_by_system:
            continue  # Debian's python3-* (or an rpm's): the system package lists it
        meta, licenses = python_metadata(_text(files[path]))
        if meta is None:
            continue
        out.append(Component("python", meta.name, meta.version, path, files=listed,
                             licenses=licenses))
    return out


def _owned_paths(fs: RootFs, components: list[Component]) -> set[str]:
    owned: set[str] = set()
    for component in components:
        owned.update(fs.resolve(path, follow=False) for path in component.files)
        owned.add(component.location)
    return owned


def _is_owned(path: str, owned: set[str], npm_dirs: set[str]) -> bool:
    if path in owned or path.startswith(_STATE_DIRS):
        return True
    directory, _, name = path.rpartition("/")
    if directory.endswith("/__pycache__") and name.endswith(".pyc"):
        # x.cpython-311.pyc, x.cpython-311.opt-1.pyc: compiled from a package's x.py
        source = f"{directory[: -len('/__pycache__')]}/{name.split('.', 1)[0]}.py"
        if source in owned:
            return True
    npm = package_dir(path) if "/node_modules/" in path else None
    return npm is not None and npm in npm_dirs


def _is_program_candidate(info: FileInfo) -> bool:
    if info.kind not in ("file", "hardlink"):
        return False
    if info.kind == "file" and not MIN_PROGRAM_BYTES <= info.size <= MAX_PROGRAM_BYTES:
        return False
    if info.path.startswith(_NOT_PROGRAMS):
        return False
    directory, _, name = info.path.rpartition("/")
    return "." not in name or directory.endswith(("/bin", "/sbin"))


def _programs(fs: RootFs, candidates: list[FileInfo]) -> list[Component]:
    if not candidates:
        return []
    # pyelftools (30 ms to import) loads only when there are programs to look into
    from slimline.inventory.binaries import binary_components

    out: list[Component] = []
    batch: set[str] = set()
    budget = 0
    ordered = sorted(candidates, key=lambda i: (i.layer, i.path))
    for index, info in enumerate(ordered):
        batch.add(info.path)
        budget += info.size
        if budget < PROGRAM_BATCH_BYTES and index + 1 < len(ordered):
            continue
        for path, data in sorted(fs.read(batch.__contains__, MAX_PROGRAM_BYTES).items()):
            out.extend(binary_components(path, data))
        batch, budget = set(), 0
    return out


def _mismatch(fs: RootFs, component: Component, excluded: PathFilter) -> Mismatch | None:
    # without md5sums, a listed path that holds another listed path is a directory
    directories = {posixpath.dirname(path) for path in component.files}
    regular = component.regular_files or tuple(p for p in component.files
                                               if p not in directories)
    missing = tuple(
        path for path in regular
        if not path.endswith(".pyc")
        and not excluded.excluded(path) and not fs.exists(path)
    )
    return Mismatch(component, missing, len(regular)) if missing else None


def take_inventory(fs: RootFs, *, licenses: bool = True, programs: bool = True) -> Inventory:
    """Every package the databases of ``fs`` list and its programs carry, the files no
    package owns, and the packages whose files are gone.

    Without ``licenses`` the Debian copyright files are neither read nor parsed (the
    packages have no licences); without ``programs`` the files no package owns are not
    read again for Go and Rust build information (no ``go``/``rust`` packages, and those
    programs stay among the files no package owns)."""
    notes: list[str] = []
    # one pass over the layers for os-release and every database
    os_paths = [fs.resolve(path) for path in OS_RELEASE_PATHS]
    files = fs.read(lambda p: p in os_paths or _is_database_file(p, licenses), MAX_DATABASE_BYTES)
    os_release = next((parse_os_release(_text(files[p])) for p in os_paths if p in files), None)
    system = _with_licenses(fs, _dpkg(files), files) if licenses else _dpkg(files)
    if APK_INSTALLED in files:
        system.extend(parse_apk_components(_text(files[APK_INSTALLED]), APK_INSTALLED))
    for path in RPMDB_SQLITE:
        if path in files:
            try:
                system.extend(parse_rpmdb_sqlite(files[path], path))
            except (HeaderError, ValueError) as exc:
                notes.append(f"{path}: not read: {exc}")
    for path, what in RPMDB_UNREAD.items():
        if fs.tree.get(path) is not None and not any(p in files for p in RPMDB_SQLITE):
            notes.append(f"{path} is {what}, which slimline does not read: "
                         "its packages are not listed")
    owned = _owned_paths(fs, system)
    languages = _python(files, owned)
    npm = [c for p in sorted(files) if is_npm_manifest(p)
           for c in [parse_package_json(p, files[p])] if c is not None]
    owned |= _owned_paths(fs, languages)
    npm_dirs = {c.location.rpartition("/")[0] for c in npm}
    loose = [info for info in fs.tree.values()
             if info.kind in ("file", "hardlink") and not _is_owned(info.path, owned, npm_dirs)]
    found = _programs(fs, [info for info in loose if _is_program_candidate(info)]) \
        if programs else []
    owned.update(c.location for c in found)
    excluded = PathFilter.parse([_text(files[p]) for p in sorted(files)
                                 if p.startswith(DPKG_CONFIG_D)])
    components = _unique([*system, *languages, *npm, *found])
    mismatches = [m for c in components if c.files and c.ecosystem not in ("go", "rust")
                  for m in [_mismatch(fs, c, excluded)] if m is not None]
    regular = [info for info in fs.tree.values() if info.kind == "file"]
    return Inventory(
        os=os_release,
        components=components,
        unowned=sorted((i for i in loose if i.path not in owned),
                       key=lambda i: (-i.size, i.path)),
        mismatches=mismatches,
        notes=notes,
        files=len(regular),
        bytes=sum(info.size for info in regular),
    )


def _unique(components: list[Component]) -> list[Component]:
    seen: dict[tuple[str, str, str, str, str], Component] = {}
    for c in components:
        seen.setdefault((c.ecosystem, c.name, c.version, c.arch, c.location), c)
    return sorted(seen.values(), key=lambda c: (c.ecosystem, c.name, c.version, c.location))
