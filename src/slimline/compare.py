"""``slimline compare A B``: what changed between two images, read from the images.

Each image is opened once: its layers are scanned, analysed (sizes, efficiency,
base, the shells and package managers it carries), stacked into the final file
tree, and its package databases are read from the final filesystem with
:mod:`slimline.inventory`. The two sides are then compared:

* files and directories removed, added, grown or shrunk, largest first. A
  directory that exists only on one side is one difference (``/usr/lib/gcc``,
  with everything below it); files that appear or vanish in a directory both
  sides have are grouped by that directory;
* packages removed, added or at another version, with the toolchain packages
  (compilers, build tools, headers) marked;
* shells and package managers present on one side and not the other;
* the attack surface of each side (:class:`AttackSurface`): packages of every
  ecosystem (the ``slimline sbom`` inventory, taken from the same final tree),
  shells, package managers, setuid/setgid files and, when a vulnerability
  database exists, the known vulnerabilities removed and added by severity
  (both sides matched against the same database, opened once);
* the estimated pull time of each image at a given bandwidth.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from slimline.analysis.model import ImageSummary, summary_fields
from slimline.errors import SlimlineError
from slimline.image import Platform, ProgressSink, naming_errors, open_image, parse_image_reference
from slimline.image.files import FileInfo, final_tree, layer_scans, read_final_files
from slimline.image.model import Image
from slimline.inventory import MAX_DATABASE_BYTES, Package, is_package_file, packages_of
from slimline.inventory.rootfs import RootFs
from slimline.knowledge.packages import is_toolchain_package
from slimline.units import DEFAULT_BANDWIDTH_BPS

if TYPE_CHECKING:
    from slimline.inventory.collect import Inventory
    from slimline.vuln.db import Database

_BANDWIDTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(bit|Bit|b|B)?(?:/s|ps)?\s*")


def parse_bandwidth(text: str) -> int:
    """``100Mbit``, ``1Gbit``, ``50MB`` (bytes per second), ``20mbps`` -> bits per second."""
    m = _BANDWIDTH.fullmatch(text)
    if m is None:
        raise SlimlineError(f"invalid bandwidth {text!r}: use e.g. 100Mbit, 1Gbit, 50MB")
    value = float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[m.group(2).lower()]
    bits = int(value * 8 if m.group(3) == "B" else value)
    if bits <= 0:
        raise SlimlineError(f"invalid bandwidth {text!r}: must be more than 0")
    return bits


# -- pulls -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PullMeasure:
    """A timed download of an image from its registry: manifest, config and every blob."""

    seconds: float
    bytes: int


def measure_pull(reference: str, platform: Platform | None = None) -> PullMeasure | None:
    """Pull ``reference`` from its registry once, timed, keeping nothing.

    Every layer blob is downloaded in full, one after the other, as stored
    (compressed). None when the reference does not name an image in a registry.
    """
    ref = parse_image_reference(reference).resolve()
    if not ref.transport.remote:
        return None
    start = time.perf_counter()
    total = 0
    with open_image(ref, platform=platform) as image:
        for layer in image.layers:
            with layer.open_raw() as raw:
                while chunk := raw.read(1 << 20):
                    total += len(chunk)
    return PullMeasure(time.perf_counter() - start, total)


# -- one side ----------------------------------------------------------------------


@dataclass(slots=True)
class ComparedImage(ImageSummary):
    """One side of the comparison: the image's summary, and what compare reads besides."""

    #: uncompressed size as Docker reports it: the engine's own figure for images in
    #: the engine (``size_source`` "engine"), else the file data of every layer
    size: int
    size_source: str
    files: int
    packages: list[Package] = field(default_factory=list)
    #: a real pull of every layer blob from the registry (registry images only)
    measured_pull: PullMeasure | None = None

    def package_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for pkg in self.packages:
            counts[pkg.ecosystem] = counts.get(pkg.ecosystem, 0) + 1
        return counts


@dataclass(frozen=True, slots=True)
class SurfaceCounts:
    """One side's attack surface: what an attacker who gets a foothold can use."""

    packages: int  # every ecosystem of the inventory (deb, apk, rpm, python, npm, go, rust)
    shells: tuple[str, ...]  # program names (bash, dash, sh)
    package_managers: tuple[str, ...]
    setid_files: tuple[str, ...]  # regular files with the setuid or setgid bit, sorted


@dataclass(slots=True)
class _Side:
    summary: ComparedImage
    tree: dict[str, FileInfo]
    warnings: list[str]
    inventory: Inventory | None = None
    setid: tuple[str, ...] = ()


class _SharedTree(RootFs):
    """The final tree compare has stacked, for the inventory: its first read (the
    databases) also reads the files compare's package list wants, in the same pass."""

    def __init__(self, image: Image, tree: dict[str, FileInfo]) -> None:
        super().__init__(tree)
        self.image = image
        self.package_files: dict[str, bytes] | None = None

    def read(self, wanted: Callable[[str], bool], max_bytes: int) -> dict[str, bytes]:
        if self.package_files is not None:
            return read_final_files(self.image, wanted, max_bytes, tree=self.tree)
        files = read_final_files(self.image, lambda p: wanted(p) or is_package_file(p),
                                 max(max_bytes, MAX_DATABASE_BYTES), tree=self.tree)
        self.package_files = {p: data for p, data in files.items()
                              if is_package_file(p) and len(data) <= MAX_DATABASE_BYTES}
        return {p: data for p, data in files.items() if wanted(p) and len(data) <= max_bytes}


def setid_files(image: Image, tree: dict[str, FileInfo]) -> tuple[str, ...]:
    """The files and hardlinks of the final tree whose mode has the setuid or setgid
    bit, as the layer that put each one there says (the scans must be kept)."""
    flagged = [{"/" + path for path in layer.scan.setid} if layer.scan is not None else set()
               for layer in image.layers]
    return tuple(sorted(path for path, info in tree.items()
                        if info.kind in ("file", "hardlink") and path in flagged[info.layer]))


def _read_side(reference: str, platform: Platform | None,
               progress: ProgressSink | None) -> _Side:
    from slimline.analysis.analyze import AnalyzeOptions, analyze_image
    from slimline.inventory.collect import take_inventory

    with (
        naming_errors(reference),
        open_image(reference, platform=platform, progress=progress) as image,
    ):
        image.check_platform(platform)
        for _layer, _scan in layer_scans(image):
            pass  # scans are kept on the layers: analysed and stacked from memory
        result = analyze_image(image, AnalyzeOptions(top=0))
        tree = final_tree(image)
        shared = _SharedTree(image, tree)
        inventory = take_inventory(shared, licenses=False)  # compare shows no licences
        contents = shared.package_files
        if contents is None:
            contents = read_final_files(image, is_package_file, MAX_DATABASE_BYTES, tree=tree)
        setid = setid_files(image, tree)
        user = image.config.user
        engine_size = image.source.stored_size()
    packages = packages_of(contents, tree)
    summary = ComparedImage(
        **{**summary_fields(result), "reference": reference, "user": user},
        size=engine_size if engine_size is not None else result.total_size,
        size_source="engine" if engine_size is not None else "layers",
        files=sum(1 for info in tree.values() if info.kind != "dir"),
        packages=packages,
    )
    return _Side(summary, tree, result.warnings, inventory, setid)


# -- differences -------------------------------------------------------------------


@dataclass(slots=True)
class PathChange:
    """One difference in the file trees.

    ``kind``: ``dir`` (a directory only one side has, with everything below it),
    ``files`` (files that appear or vanish in a directory both sides have),
    ``file`` (one file). ``change``: removed, added, grown or shrunk.
    """

    path: str
    kind: str
    change: str
    bytes_a: int
    bytes_b: int
    files: int

    @property
    def delta(self) -> int:
        return self.bytes_b - self.bytes_a


@dataclass(slots=True)
class PackageChange:
    ecosystem: str
    name: str
    version_a: str | None
    version_b: str | None
    size_a: int | None
    size_b: int | None
    toolchain: bool

    @property
    def change(self) -> str:
        if self.version_b is None:
            return "removed"
        if self.version_a is None:
            return "added"
        return "changed"

    @property
    def size(self) -> int:
        """The size that matters for ranking: what was removed, added or the larger one."""
        return max(self.size_a or 0, self.size_b or 0)


@dataclass(slots=True)
class ToolChange:
    """A shell or package manager category whose paths differ between A and B."""

    category: str
    title: str
    removed: tuple[str, ...]
    added: tuple[str, ...]
    in_a: bool
    in_b: bool


@dataclass(slots=True)
class CompareResult:
    a: ComparedImage
    b: ComparedImage
    bandwidth_bps: int
    paths: list[PathChange]
    packages: list[PackageChange]
    tools: list[ToolChange]
    warnings: list[str] = field(default_factory=list)
    surface: AttackSurface | None = None

    def pull_seconds(self, side: ComparedImage) -> float:
        """Estimated pull time: compressed bytes when known, else uncompressed."""
        size = side.compressed_size if self.pull_basis == "compressed" else side.size
        return (size or 0) * 8 / self.bandwidth_bps

    @property
    def pull_basis(self) -> str:
        if self.a.compressed_size is not None and self.b.compressed_size is not None:
            return "compressed"
        return "uncompressed"

    @property
    def removed_toolchain(self) -> list[PackageChange]:
        return [p for p in self.packages if p.toolchain and p.change == "removed"]

    @property
    def added_toolchain(self) -> list[PackageChange]:
        return [p for p in self.packages if p.toolchain and p.change == "added"]


@dataclass(frozen=True, slots=True)
class KnownVulnerability:
    """One vulnerability only one side has: its id (the CVE when there is one), its
    severity there, and the packages it was found in (``name version``)."""

    id: str
    severity: str
    packages: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class VulnerabilityChange:
    """Known vulnerabilities (one per id, aliases joined) of both sides, by severity."""

    database: str
    database_built: str
    before: dict[str, int]  # severity label -> vulnerabilities, highest severity first
    after: dict[str, int]
    removed: dict[str, int]
    added: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    #: the vulnerabilities themselves, highest severity first, then by id
    removed_list: list[KnownVulnerability] = field(default_factory=list)
    added_list: list[KnownVulnerability] = field(default_factory=list)


@dataclass(slots=True)
class AttackSurface:
    """Before -> after: packages, shells, package managers, setuid/setgid files and, with
    a vulnerability database, vulnerabilities; ``vulnerabilities_note`` says why not."""

    a: SurfaceCounts
    b: SurfaceCounts
    vulnerabilities: VulnerabilityChange | None = None
    vulnerabilities_note: str = ""


def _surface_counts(side: _Side) -> SurfaceCounts:
    summary = side.summary
    packages = len(side.inventory.components) if side.inventory is not None else \
        len(summary.packages)
    return SurfaceCounts(packages, tuple(summary.tool_names("shells")),
                         tuple(summary.tool_names("package-managers")), side.setid)


def _vulnerabilities(db: Database, inventories: tuple[Inventory, Inventory]
                     ) -> VulnerabilityChange:
    """Both inventories matched against ``db``; each vulnerability at its highest level."""
    from slimline.vuln.config import ScanConfig
    from slimline.vuln.model import Level
    from slimline.vuln.scan import scan_packages

    found: list[dict[str, Level]] = []
    where: list[dict[str, list[str]]] = []
    aliases: dict[str, tuple[str, ...]] = {}
    warnings: list[str] = []
    for inventory in inventories:
        osr = inventory.os
        result = scan_packages(inventory.target, inventory.components, db, ScanConfig(),
                               os_id=osr.id if osr else "", version_id=osr.version_id if osr else "")
        levels: dict[str, Level] = {}
        packages: dict[str, list[str]] = {}
        for finding in result.findings:
            levels[finding.id] = max(levels.get(finding.id, Level.UNKNOWN), finding.level)
            packages.setdefault(finding.id, []).append(f"{finding.package} {finding.installed}")
            aliases[finding.id] = finding.aliases
        found.append(levels)
        where.append(packages)
        warnings.extend(w for w in result.warnings if w not in warnings)

    def by_level(levels: dict[str, Level], ids: set[str]) -> dict[str, int]:
        out = {level.label: 0 for level in sorted(Level, reverse=True)}
        for vid in ids:
            out[levels[vid].label] += 1
        return out

    def listed(side: int, ids: set[str]) -> list[KnownVulnerability]:
        levels = found[side]
        return [KnownVulnerability(vid, levels[vid].label, tuple(sorted(set(where[side][vid]))),
                                   aliases[vid])
                for vid in sorted(ids, key=lambda vid: (-levels[vid], vid))]

    before, after = found
    return VulnerabilityChange(
        database=str(db.path), database_built=db.built.isoformat(),
        before=by_level(before, set(before)), after=by_level(after, set(after)),
        removed=by_level(before, set(before) - set(after)),
        added=by_level(after, set(after) - set(before)),
        warnings=warnings,
        removed_list=listed(0, set(before) - set(after)),
        added_list=listed(1, set(after) - set(before)),
    )


def attack_surface(side_a: _Side, side_b: _Side, db_path: Path | None = None, *,
                   vulnerabilities: bool = True) -> AttackSurface:
    """The attack surface of both sides; vulnerabilities when the database at ``db_path``
    (default: slimline's) can be opened, else a one-line note why not."""
    from slimline.vuln.db import DatabaseError, open_database

    surface = AttackSurface(_surface_counts(side_a), _surface_counts(side_b))
    if not vulnerabilities:
        surface.vulnerabilities_note = "vulnerabilities not compared (--no-vulns)"
        return surface
    if side_a.inventory is None or side_b.inventory is None:
        surface.vulnerabilities_note = "vulnerabilities not compared: no inventory"
        return surface
    try:
        with open_database(db_path) as db:  # one snapshot for both sides
            surface.vulnerabilities = _vulnerabilities(db, (side_a.inventory, side_b.inventory))
    except DatabaseError as exc:
        surface.vulnerabilities_note = f"vulnerabilities not compared: {exc}"
    return surface


def _directories(tree: dict[str, FileInfo]) -> set[str]:
    dirs = {p for p, info in tree.items() if info.kind == "dir"}
    for path in tree:
        parent = path.rpartition("/")[0]
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = parent.rpartition("/")[0]
    return dirs


def _one_sided(
    mine: dict[str, FileInfo], other: dict[str, FileInfo], other_dirs: set[str]
) -> dict[tuple[str, str], tuple[int, int, str]]:
    """Files of ``mine`` missing from ``other``: (kind, path) -> (bytes, files, a file).

    A file below a directory ``other`` lacks counts for the topmost such directory;
    any other missing file counts for its parent directory (or itself, if alone).
    """
    top_missing: dict[str, str | None] = {}

    def topmost(directory: str) -> str | None:
        if directory in top_missing:
            return top_missing[directory]
        found: str | None = None
        if directory and directory not in other_dirs:
            parent = directory.rpartition("/")[0]
            found = topmost(parent) or directory
        top_missing[directory] = found
        return found

    groups: dict[tuple[str, str], tuple[int, int, str]] = {}
    for path, info in mine.items():
        if info.kind == "dir" or path in other:
            continue
        parent = path.rpartition("/")[0]
        top = topmost(parent)
        key = ("dir", top) if top is not None else ("files", parent or "/")
        size, count, first = groups.get(key, (0, 0, path))
        groups[key] = (size + info.size, count + 1, first)
    # Whole directories without any file below them are differences too.
    for path, info in mine.items():
        if info.kind == "dir" and path not in other_dirs:
            top = topmost(path)
            if top is not None and ("dir", top) not in groups:
                groups[("dir", top)] = (0, 0, path)
    return groups


def diff_trees(a: dict[str, FileInfo], b: dict[str, FileInfo]) -> list[PathChange]:
    """Differences between two final trees, the largest byte change first."""
    dirs_a, dirs_b = _directories(a), _directories(b)
    out: list[PathChange] = []
    for change, groups in (("removed", _one_sided(a, b, dirs_b)),
                           ("added", _one_sided(b, a, dirs_a))):
        for (kind, path), (size, count, first) in groups.items():
            shown_kind, shown_path = kind, path
            if kind == "files" and count == 1:  # a group of one file is that file
                shown_kind, shown_path = "file", first
            before, after = (size, 0) if change == "removed" else (0, size)
            out.append(PathChange(shown_path, shown_kind, change, before, after, count))
    for path, info in a.items():
        other = b.get(path)
        if (other is None or info.kind != "file" or other.kind != "file"
                or other.size == info.size):
            continue
        out.append(PathChange(path, "file", "grown" if other.size > info.size else "shrunk",
                              info.size, other.size, 1))
    out.sort(key=lambda c: (-abs(c.delta), c.path))
    return out


def diff_packages(a: list[Package], b: list[Package]) -> list[PackageChange]:
    """Packages removed, added or at another version; removed first, then the largest."""
    left = {(p.ecosystem, p.name): p for p in a}
    right = {(p.ecosystem, p.name): p for p in b}
    out: list[PackageChange] = []
    for key in sorted(left.keys() | right.keys()):
        pa, pb = left.get(key), right.get(key)
        if pa is not None and pb is not None and pa.version == pb.version:
            continue
        out.append(PackageChange(
            ecosystem=key[0],
            name=key[1],
            version_a=pa.version if pa is not None else None,
            version_b=pb.version if pb is not None else None,
            size_a=pa.size if pa is not None else None,
            size_b=pb.size if pb is not None else None,
            toolchain=key[0] in ("deb", "apk") and is_toolchain_package(key[1]),
        ))
    order = {"removed": 0, "added": 1, "changed": 2}
    out.sort(key=lambda p: (order[p.change], -p.size, p.ecosystem, p.name))
    return out


def diff_tools(a: ImageSummary, b: ImageSummary) -> list[ToolChange]:
    out: list[ToolChange] = []
    categories = [t.category for t in a.tools] + [
        t.category for t in b.tools if a.tool(t.category) is None
    ]
    for category in categories:
        ta, tb = a.tool(category), b.tool(category)
        paths_a = set(ta.paths) if ta is not None else set()
        paths_b = set(tb.paths) if tb is not None else set()
        if paths_a == paths_b:
            continue
        known = ta if ta is not None else tb
        title = known.title if known is not None else category
        out.append(ToolChange(category, title, tuple(sorted(paths_a - paths_b)),
                              tuple(sorted(paths_b - paths_a)), bool(paths_a), bool(paths_b)))
    return out


def compare(
    a_ref: str,
    b_ref: str,
    bandwidth_bps: int = DEFAULT_BANDWIDTH_BPS,
    *,
    platform: str | None = None,
    progress: Callable[[str], None] | None = None,
    measure_pulls: bool = True,
    db_path: Path | None = None,
    vulnerabilities: bool = True,
) -> CompareResult:
    """Compare image ``a_ref`` (before) with ``b_ref`` (after).

    With ``measure_pulls``, an image in a registry is also pulled once more, timed,
    after both have been read (one at a time, so that they do not share the
    bandwidth). With ``vulnerabilities``, both are matched against the database at
    ``db_path`` (which must then exist) or, without one, slimline's when there is one.
    Raises :class:`~slimline.errors.SlimlineError` for a reference that cannot be read
    or a bad argument.
    """
    if bandwidth_bps <= 0:
        raise SlimlineError("the bandwidth must be more than 0")
    wanted = Platform.parse(platform) if platform else None
    for ref in (a_ref, b_ref):
        parse_image_reference(ref)  # a malformed reference fails before any reading
    if vulnerabilities:
        require_database(db_path)
    if progress is not None:
        progress(f"reading {a_ref} and {b_ref}")
    side_a, side_b = _read_sides(a_ref, b_ref, wanted)
    warnings = [*side_a.warnings, *side_b.warnings]
    if measure_pulls:
        for side in (side_a, side_b):
            if progress is not None:
                progress(f"pulling {side.summary.reference}")
            try:
                side.summary.measured_pull = measure_pull(side.summary.reference, wanted)
            except SlimlineError as exc:  # the comparison stands; only the timing is missing
                warnings.append(f"the timed pull of {side.summary.reference} failed: {exc}")
    return CompareResult(
        a=side_a.summary,
        b=side_b.summary,
        bandwidth_bps=bandwidth_bps,
        paths=diff_trees(side_a.tree, side_b.tree),
        packages=diff_packages(side_a.summary.packages, side_b.summary.packages),
        tools=diff_tools(side_a.summary, side_b.summary),
        warnings=warnings,
        surface=attack_surface(side_a, side_b, db_path, vulnerabilities=vulnerabilities),
    )


def require_database(db_path: Path | None) -> None:
    """A database the user named must open (a :class:`~slimline.errors.SlimlineError`
    otherwise, before any image is read); without a name nothing is required."""
    if db_path is not None:
        from slimline.vuln.db import open_database

        open_database(db_path).close()


def _read_sides(a_ref: str, b_ref: str, platform: Platform | None) -> tuple[_Side, _Side]:
    # Both images are read at once: reading is mostly waiting (on the engine, on
    # decompression threads, on the registry).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="slimline-compare") as pool:
        future_a = pool.submit(_read_side, a_ref, platform, None)
        future_b = pool.submit(_read_side, b_ref, platform, None)
        return future_a.result(), future_b.result()


@dataclass(slots=True)
class SurfaceChange:
    """What ``optimize`` shows of two images: the packages removed, added or changed and
    the attack surface before -> after."""

    packages: list[PackageChange]
    surface: AttackSurface
    warnings: list[str] = field(default_factory=list)

    @property
    def removed(self) -> list[PackageChange]:
        return [p for p in self.packages if p.change == "removed"]

    @property
    def added(self) -> list[PackageChange]:
        return [p for p in self.packages if p.change == "added"]


def surface_change(a_ref: str, b_ref: str, *, db_path: Path | None = None,
                   vulnerabilities: bool = True) -> SurfaceChange:
    """The packages and the attack surface of image ``a_ref`` (before) and ``b_ref``
    (after), read as :func:`compare` reads them, matched against one database."""
    side_a, side_b = _read_sides(a_ref, b_ref, None)
    return SurfaceChange(
        packages=diff_packages(side_a.summary.packages, side_b.summary.packages),
        surface=attack_surface(side_a, side_b, db_path, vulnerabilities=vulnerabilities),
        warnings=[*side_a.warnings, *side_b.warnings],
    )
