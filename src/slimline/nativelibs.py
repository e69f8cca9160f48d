"""The shared libraries a Python environment loads, found in a built builder image.

A multi-stage rewrite copies the virtualenv into the runtime stage, and with it every
library a wheel vendors (auditwheel puts them in ``<package>.libs/``, found through the
extension's ``$ORIGIN`` RUNPATH). A package built from source links the system's
libraries instead (psycopg2 -> ``libpq.so.5``): the runtime stage does not have them.

:func:`native_needs` reads the builder image with slimline's own image reader (no
container): the ELF ``DT_NEEDED`` entries of every shared object in the environment,
resolved as the dynamic loader does (RUNPATH/RPATH with ``$ORIGIN``, then the default
directories), following symlinks in the image's final tree. A library that the runtime
image does not have either is needed; its Debian package comes from the builder's dpkg
file lists (``/var/lib/dpkg/info/*.list``). For a runtime without a package manager
(distroless), the closure of those libraries (their own ``DT_NEEDED``, minus what the
runtime has) is what must be copied.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from elftools.common.exceptions import ELFError
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile

from slimline import fsio
from slimline.dockerfile.model import Dockerfile
from slimline.dockerfile.parser import parse
from slimline.errors import EngineError, ImageError
from slimline.fix.engine import FixResult, fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.image import open_image
from slimline.image.files import FileInfo, final_tree, read_final_files
from slimline.image.model import Image
from slimline.knowledge.runtimes import PYTHON_VENV

if TYPE_CHECKING:
    from slimline.engine import Engine
    from slimline.optimize import OptimizeOptions

#: Extension modules larger than this are not read (none of a sane environment's are).
MAX_ELF_BYTES = 256 * 1024 * 1024
_DPKG_INFO = "/var/lib/dpkg/info/"
_MAX_LINKS = 40


@dataclass(slots=True)
class NativeNeeds:
    """What the runtime stage needs besides the environment."""

    #: Debian packages that provide the libraries the environment loads directly.
    packages: list[str] = field(default_factory=list)
    #: Every library of the closure the runtime lacks (paths as the loader finds them).
    libraries: list[str] = field(default_factory=list)
    #: The sonames the environment's objects load directly (of ``libraries``).
    direct: list[str] = field(default_factory=list)
    #: (soname, the object that needs it) the builder itself cannot resolve.
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    #: Library paths no dpkg list of the builder names.
    unowned: list[str] = field(default_factory=list)


class Tree:
    """An image's final tree, with the directories its paths imply, for path resolution."""

    def __init__(self, files: dict[str, FileInfo]) -> None:
        self.files = files
        self.dirs: set[str] = set()
        for path in files:
            parent = posixpath.dirname(path)
            while parent not in self.dirs and parent != "/":
                self.dirs.add(parent)
                parent = posixpath.dirname(parent)

    def resolve(self, path: str) -> str | None:
        """``path`` with every symlink (of directories too) followed; None when absent."""
        parts = [p for p in path.split("/") if p]
        done = ""
        hops = 0
        while parts:
            part = parts.pop(0)
            if part in (".", ".."):
                done = posixpath.dirname(done) if part == ".." and done else done
                continue
            here = f"{done}/{part}"
            info = self.files.get(here)
            if info is not None and info.kind == "symlink":
                hops += 1
                if hops > _MAX_LINKS:
                    return None
                base = "" if info.link.startswith("/") else done
                parts = [p for p in f"{base}/{info.link}".split("/") if p] + parts
                done = ""
                continue
            if info is None and here not in self.dirs:
                return None
            done = here
        return done or "/"

    def regular(self, path: str) -> str | None:
        """The real path of ``path`` when it is a regular file, else None."""
        real = self.resolve(path)
        info = self.files.get(real) if real is not None else None
        return real if info is not None and info.kind in ("file", "hardlink") else None


def search_dirs(tree: Tree) -> list[str]:
    """The loader's default directories in this image (Debian multiarch first)."""
    dirs: list[str] = []
    triplets = sorted(
        d.rsplit("/", 1)[1] for d in tree.dirs if d.startswith("/usr/lib/") and d.endswith("-linux-gnu")
    )
    for triplet in triplets:
        dirs += [f"/lib/{triplet}", f"/usr/lib/{triplet}", f"/usr/local/lib/{triplet}"]
    return [*dirs, "/usr/local/lib", "/lib", "/usr/lib"]


@dataclass(frozen=True, slots=True)
class _Elf:
    needed: tuple[str, ...]
    runpath: tuple[str, ...]


def parse_elf(data: bytes) -> _Elf | None:
    """DT_NEEDED and RUNPATH (or RPATH) of a shared object; None when it is not ELF."""
    try:
        elf = ELFFile(io.BytesIO(data))
        needed: list[str] = []
        runpath: list[str] = []
        rpath: list[str] = []
        for section in elf.iter_sections():
            if not isinstance(section, DynamicSection):
                continue
            for tag in section.iter_tags():
                # pyelftools sets the string of a tag as an attribute named after it
                values = vars(tag)
                if tag.entry.d_tag == "DT_NEEDED":
                    needed.append(str(values["needed"]))
                elif tag.entry.d_tag == "DT_RUNPATH":
                    runpath += str(values["runpath"]).split(":")
                elif tag.entry.d_tag == "DT_RPATH":
                    rpath += str(values["rpath"]).split(":")
    except (ELFError, ValueError, KeyError, OSError):
        return None
    return _Elf(tuple(needed), tuple(runpath or rpath))


def _find(
    tree: Tree, soname: str, origin: str, runpath: tuple[str, ...]
) -> tuple[str, str] | None:
    """(the path the loader opens, its real path) for ``soname``, or None."""
    dirs = [d.replace("$ORIGIN", origin).replace("${ORIGIN}", origin) for d in runpath if d]
    for directory in [*dirs, *search_dirs(tree)]:
        path = posixpath.normpath(posixpath.join(directory, soname))
        real = tree.regular(path)
        if real is not None:
            return path, real
    return None


def _usrmerge(path: str) -> tuple[str, ...]:
    """A path and its other spelling on a merged-/usr system (/lib <-> /usr/lib)."""
    if path.startswith("/usr/"):
        return path, path[4:]
    return path, "/usr" + path


def _is_shared_object(path: str) -> bool:
    name = posixpath.basename(path)
    return name.endswith(".so") or ".so." in name


def native_needs(builder: Image, environment: str, runtime: Image) -> NativeNeeds:
    """What ``environment`` (a directory of the builder, e.g. /opt/venv) loads that the
    ``runtime`` image lacks."""
    files = final_tree(builder)
    tree = Tree(files)
    runtime_tree = Tree(final_tree(runtime))
    prefix = environment.rstrip("/") + "/"
    contents = read_final_files(
        builder,
        lambda p: (p.startswith(prefix) and _is_shared_object(p))
        or (p.startswith(_DPKG_INFO) and p.endswith(".list")),
        MAX_ELF_BYTES,
        tree=files,
    )
    owners: dict[str, str] = {}
    for path, data in contents.items():
        if path.startswith(_DPKG_INFO):
            package = posixpath.basename(path)[: -len(".list")].split(":")[0]
            for line in data.decode("utf-8", "replace").splitlines():
                owners.setdefault(line, package)
    needs = NativeNeeds()
    seen: set[str] = set()
    todo = [(p, data, True) for p, data in contents.items() if p.startswith(prefix)]
    direct: list[tuple[str, str]] = []
    while todo:
        wanted: dict[str, bool] = {}
        for path, data, first_level in todo:
            elf = parse_elf(data)
            if elf is None:
                continue
            origin = posixpath.dirname(tree.resolve(path) or path)
            for soname in elf.needed:
                found = _find(tree, soname, origin, elf.runpath)
                if found is None:
                    needs.unresolved.append((soname, path))
                    continue
                loaded, real = found
                if real.startswith(prefix) or loaded in seen:
                    continue  # vendored in the environment: copied with it
                seen.add(loaded)
                if _find(runtime_tree, soname, origin, ()) is not None:
                    continue  # the runtime has it
                needs.libraries.append(loaded)
                if first_level:
                    direct.append((loaded, real))
                wanted[real] = False
        if not wanted:
            break
        more = read_final_files(builder, wanted.__contains__, MAX_ELF_BYTES, tree=files)
        todo = [(p, data, False) for p, data in more.items()]
    for loaded, real in direct:
        owner = next(
            (owners[p] for p in (*_usrmerge(loaded), *_usrmerge(real)) if p in owners), None
        )
        if owner is None:
            needs.unowned.append(loaded)
        elif owner not in needs.packages:
            needs.packages.append(owner)
        needs.direct.append(posixpath.basename(loaded))
    needs.libraries.sort()
    return needs


def venv_source(df: Dockerfile) -> tuple[str, str] | None:
    """(builder stage, runtime base) when the last stage copies a Python environment from
    a builder stage (the shape SL103's rewrite makes), else None."""
    if not df.stages:
        return None
    final = df.stages[-1]
    if final.parent is not None:
        return None
    for inst in final.instructions:
        builder = inst.flag("from") if inst.keyword == "COPY" else None
        if builder is None or builder.value is None:
            continue
        sources = inst.exec_form[:-1] if inst.exec_form else inst.args.split()[:-1]
        if any(src.startswith(PYTHON_VENV) for src in sources):
            return builder.value, final.base_expanded
    return None


def carry_native_libraries(
    engine: Engine,
    options: OptimizeOptions,
    original: Dockerfile,
    context: Path,
    dockerfile: Path,
    tag: str,
    emit: Callable[[str, str], None],
) -> tuple[FixResult, list[str]] | None:
    """Build the rewrite's builder stage, find the libraries its environment loads that the
    runtime lacks, and fix again so that the runtime stage has them (packages on slim, the
    library closure on distroless). None when there is nothing to add."""
    data = fsio.read_bytes(dockerfile, limit=fsio.MAX_DOCKERFILE_BYTES, what="Dockerfile")
    fixed = parse(data.decode("utf-8", "surrogateescape"), dockerfile)
    found = venv_source(fixed)
    if found is None:
        return None
    builder, runtime_base = found
    emit("build-builder", f"building the builder stage `{builder}` to find native libraries")
    try:
        engine.build(
            context, dockerfile=dockerfile, tag=tag, target=builder, build_args=options.build_args
        )
    except EngineError as exc:
        emit("log", f"the builder stage does not build: {exc.message}")
        return None
    try:
        with (
            open_image(f"docker-daemon:{tag}") as built,
            open_image(f"docker-daemon:{runtime_base}") as runtime,
        ):
            needs = native_needs(built, PYTHON_VENV, runtime)
    except (ImageError, EngineError) as exc:
        emit("log", f"native libraries not checked: {exc}")
        return None
    finally:
        with contextlib.suppress(EngineError):
            engine.remove_image(tag)
    notes = [
        f"{soname} (needed by {path}) is not in the builder either"
        for soname, path in needs.unresolved
    ]
    if not needs.libraries:
        return None
    names = ", ".join(needs.direct)
    if options.runtime == "distroless":
        notes.append(
            f"the dependencies load {names}: copied from the builder into the runtime with "
            f"what they load ({len(needs.libraries)} libraries)"
        )
        return _refix(options, original, (), tuple(needs.libraries), notes)
    if needs.unowned:
        notes.append(f"no Debian package provides {', '.join(needs.unowned)}: not carried over")
    notes.append(
        f"the dependencies load {names}: the runtime installs {', '.join(needs.packages)}"
    )
    return _refix(options, original, tuple(needs.packages), (), notes)


def _refix(
    options: OptimizeOptions,
    original: Dockerfile,
    packages: tuple[str, ...],
    libraries: tuple[str, ...],
    notes: list[str],
) -> tuple[FixResult, list[str]]:
    result = fix_dockerfile(
        original,
        options.config,
        options.context,
        unsafe=options.unsafe,
        options=FixOptions(
            runtime=options.runtime, runtime_packages=packages, runtime_libraries=libraries
        ),
    )
    return result, notes
