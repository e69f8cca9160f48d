"""What several formats say the same way: rows, headlines and sentences of a result.

Plain strings, as the input had them: each format escapes them its own way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slimline.units import human_or_dash, human_size, percent, seconds

if TYPE_CHECKING:
    from slimline.analysis.model import ImageSummary
    from slimline.compare import (
        AttackSurface,
        ComparedImage,
        CompareResult,
        PackageChange,
        PathChange,
    )
    from slimline.optimize import ImageSide, OptimizeResult


def signed(n: int) -> str:
    """A byte difference: ``+12 MB``, ``-3 kB``, ``0 B``."""
    return ("+" if n > 0 else "") + human_size(n) if n else "0 B"


# -- compare -------------------------------------------------------------------------------------


def _tools_cell(side: ImageSummary, category: str) -> str:
    return names_cell(side.tool_names(category))


def _base(side: ImageSummary) -> str:
    if side.base_layers == 0:
        return "unknown"
    name = side.base_name or "(unnamed)"
    return f"{name}: {side.base_layers} layers, {human_size(side.base_size)} ({side.base_method})"


def _packages_cell(side: ComparedImage) -> str:
    counts = side.package_counts()
    return ", ".join(f"{n} {eco}" for eco, n in sorted(counts.items())) or "none found"


def summary_rows(result: CompareResult) -> list[tuple[str, str, str, str]]:
    """(label, A, B, change) rows of the side-by-side summary."""
    a, b = result.a, result.b
    rows = [
        (
            "size" + (" (docker)" if a.size_source == b.size_source == "engine" else ""),
            human_size(a.size),
            human_size(b.size),
            _ratio(a.size, b.size),
        ),
        (
            "compressed",
            human_or_dash(a.compressed_size),
            human_or_dash(b.compressed_size),
            _ratio(a.compressed_size, b.compressed_size),
        ),
        ("layers", str(a.layers), str(b.layers), f"{b.layers - a.layers:+d}"),
        ("files", str(a.files), str(b.files), f"{b.files - a.files:+d}"),
        ("efficiency (dive)", percent(a.efficiency, 2), percent(b.efficiency, 2), ""),
        (
            "reclaimable",
            human_size(a.reclaimable_bytes),
            human_size(b.reclaimable_bytes),
            signed(b.reclaimable_bytes - a.reclaimable_bytes),
        ),
        ("base", _base(a), _base(b), ""),
        ("user", a.user or "root (default)", b.user or "root (default)", ""),
        ("shells", _tools_cell(a, "shells"), _tools_cell(b, "shells"), ""),
        (
            "package managers",
            _tools_cell(a, "package-managers"),
            _tools_cell(b, "package-managers"),
            "",
        ),
        ("packages", _packages_cell(a), _packages_cell(b), ""),
        (
            f"pull at {result.bandwidth_bps / 1e6:g} Mbit/s ({result.pull_basis})",
            seconds(result.pull_seconds(a)),
            seconds(result.pull_seconds(b)),
            "",
        ),
    ]
    if a.measured_pull is not None or b.measured_pull is not None:
        rows.append(("pull measured (registry)", _measured(a), _measured(b), ""))
    return rows


def surface_rows(surface: AttackSurface | None) -> list[tuple[str, str, str, str]]:
    """(label, before, after, change) rows of the attack-surface summary; vulnerability
    rows (total, then each severity either side has) when a database was used."""
    if surface is None:
        return []
    a, b = surface.a, surface.b
    counts = [
        ("packages", a.packages, b.packages),
        ("shells", len(a.shells), len(b.shells)),
        ("package managers", len(a.package_managers), len(b.package_managers)),
        ("setuid/setgid files", len(a.setid_files), len(b.setid_files)),
    ]
    rows = [(label, str(x), str(y), f"{y - x:+d}") for label, x, y in counts]
    vulns = surface.vulnerabilities
    if vulns is not None:
        levels = [("vulnerabilities", "")] + [
            (f"  {level}", level) for level in vulns.before
            if vulns.before[level] or vulns.after[level]]
        for label, level in levels:
            def total(counts: dict[str, int], level: str = level) -> int:
                return counts[level] if level else sum(counts.values())
            rows.append((label, str(total(vulns.before)), str(total(vulns.after)),
                         f"-{total(vulns.removed)} +{total(vulns.added)}"))
    return rows


def surface_note(surface: AttackSurface | None) -> str:
    """Why vulnerabilities are not in the attack surface (empty when they are)."""
    return surface.vulnerabilities_note if surface is not None else ""


def vulnerability_rows(surface: AttackSurface | None) -> list[tuple[str, str, str, str]]:
    """(change, id, severity, packages) of each known vulnerability removed, then added."""
    vulns = surface.vulnerabilities if surface is not None else None
    if vulns is None:
        return []
    return [(change, v.id, v.severity, ", ".join(v.packages))
            for change, listed in (("removed", vulns.removed_list), ("added", vulns.added_list))
            for v in listed]


def package_change_rows(packages: list[PackageChange], top: int
                        ) -> list[tuple[str, str, str, str]]:
    """(change, package (ecosystem), version, size) of the packages removed, added or
    changed: the largest first, at most ``top``."""
    return [(p.change, f"{p.name} ({p.ecosystem})", package_version(p),
             human_or_dash(p.size or None)) for p in top_packages(packages, top)]


def _measured(side: ComparedImage) -> str:
    pull = side.measured_pull
    if pull is None:
        return "not in a registry"
    return f"{seconds(pull.seconds)} ({human_size(pull.bytes)})"


def _ratio(a: int | None, b: int | None) -> str:
    if a is None or b is None:
        return ""
    if a == 0:
        return signed(b - a)
    return f"{signed(b - a)} ({(b - a) / a * 100:+.1f} %)"


def path_label(change: PathChange) -> str:
    if change.kind == "dir":
        return change.path.rstrip("/") + "/"
    if change.kind == "files":
        return f"{change.path.rstrip('/')}/* ({change.files} files)"
    return change.path


def package_version(p: PackageChange) -> str:
    if p.change == "removed":
        return p.version_a or ""
    if p.change == "added":
        return p.version_b or ""
    return f"{p.version_a} -> {p.version_b}"


def compare_headline(result: CompareResult) -> str:
    a, b = result.a, result.b
    return (
        f"{a.reference} ({human_size(a.size)}, pulls in {seconds(result.pull_seconds(a))}) -> "
        f"{b.reference} ({human_size(b.size)}, pulls in {seconds(result.pull_seconds(b))}) "
        f"at {result.bandwidth_bps / 1e6:g} Mbit/s"
    )


def highlights(result: CompareResult) -> list[str]:
    """Sentences about what matters most: toolchain, shells and package managers."""
    out: list[str] = []
    gone = result.removed_toolchain
    if gone:
        tools = [p for p in gone if not is_headers_package(p.name)]
        headers = [p for p in gone if is_headers_package(p.name)]
        total = sum(p.size_a or 0 for p in gone)
        parts = []
        if tools:
            parts.append("compilers and build tools " + _listed(tools, 12))
        if headers:
            parts.append(
                f"{len(headers)} header (-dev) packages "
                f"({human_size(sum(p.size_a or 0 for p in headers))}) " + _listed(headers, 8)
            )
        out.append(
            f"Toolchain removed ({len(gone)} packages, {human_size(total)}): " + "; ".join(parts)
        )
    added = result.added_toolchain
    if added:
        out.append("Toolchain added: " + ", ".join(p.name for p in added[:12]))
    for tool in result.tools:
        label = tool.title.split(" (")[0]
        if tool.in_a and not tool.in_b:
            out.append(
                f"No {label} in B any more (removed: "
                + ", ".join(sorted({p.rpartition("/")[2] for p in tool.removed}))
                + ")"
            )
        elif not tool.in_a and tool.in_b:
            out.append(
                f"B adds {label}: " + ", ".join(sorted({p.rpartition("/")[2] for p in tool.added}))
            )
        else:
            parts = []
            if tool.removed:
                parts.append(
                    "removed " + ", ".join(sorted({p.rpartition("/")[2] for p in tool.removed}))
                )
            if tool.added:
                parts.append(
                    "added " + ", ".join(sorted({p.rpartition("/")[2] for p in tool.added}))
                )
            out.append(
                f"{label.capitalize()}: {'; '.join(parts)} (B still has "
                f"{', '.join(_names(result.b, tool.category))})"
            )
    return out


def is_headers_package(name: str) -> bool:
    """Development headers: ``libc6-dev``, ``python3.11-dev``, ``linux-libc-dev``, ``zlib-dev``."""
    base = name.split(":", 1)[0]
    return base.endswith(("-dev", "-headers")) or "-dev-" in base


def _listed(packages: list[PackageChange], limit: int) -> str:
    names = ", ".join(p.name for p in packages[:limit])
    if len(packages) > limit:
        names += f" and {len(packages) - limit} more"
    return names


def _names(side: ImageSummary, category: str) -> list[str]:
    return side.tool_names(category)[:8]


def package_counts(packages: list[PackageChange]) -> str:
    counts = {"removed": 0, "added": 0, "changed": 0}
    for p in packages:
        counts[p.change] += 1
    return ", ".join(f"{n} {k}" for k, n in counts.items())


def top_packages(packages: list[PackageChange], top: int) -> list[PackageChange]:
    """The largest removed, added and changed packages, ``top`` of each at most."""
    out: list[PackageChange] = []
    for change in ("removed", "added", "changed"):
        out.extend([p for p in packages if p.change == change][:top])
    return out


# -- optimize ------------------------------------------------------------------------------------


def probe_cell(side: ImageSide | None) -> str:
    if side is None or side.probe_passed is None:
        return "not probed"
    return "passed" if side.probe_passed else "FAILED"


def names_cell(names: list[str], limit: int = 6) -> str:
    """A few names and how many more: ``bash, sh (+3)``; ``none``."""
    if not names:
        return "none"
    return ", ".join(names[:limit]) + (f" (+{len(names) - limit})" if len(names) > limit else "")


def optimize_headline(result: OptimizeResult) -> str | None:
    """The seed's closing sentence, about this project and measured."""
    before, after = result.before, result.after
    if result.status != "optimized" or before is None or after is None:
        return None
    mbps = result.bandwidth_bps / 1_000_000
    return (
        f"A {human_or_dash(before.size)} image that takes {seconds(result.pull_seconds(before.size))} to pull "
        f"becomes a {human_or_dash(after.size)} image that pulls in {seconds(result.pull_seconds(after.size))} "
        f"(at {mbps:g} Mbit/s, uncompressed bytes)."
    )


def optimize_summary_rows(result: OptimizeResult) -> list[tuple[str, str, str]]:
    """(label, before, after) rows that Markdown and HTML show."""
    b, a = result.before, result.after
    if b is None:
        return []
    return [
        ("image size", human_or_dash(b.size), human_or_dash(a.size) if a else "-"),
        ("layers", str(b.layers), str(a.layers) if a else "-"),
        (
            f"pull @ {result.bandwidth_bps / 1e6:g} Mbit/s",
            seconds(result.pull_seconds(b.size)),
            seconds(result.pull_seconds(a.size)) if a else "-",
        ),
        ("probe", probe_cell(b), probe_cell(a)),
    ]


#: Headers of :func:`candidate_rows`.
CANDIDATE_HEADERS = ("runtime", "size", "probe", "kept or dropped")


def candidate_rows(result: OptimizeResult) -> list[tuple[str, str, str, str]]:
    """``--runtime auto``: (runtime, size, probe, why kept or dropped) per candidate."""
    rows = []
    for cand in result.candidates:
        built = cand.side is not None and cand.side.size > 0
        rows.append(
            (
                cand.runtime,
                human_or_dash(cand.side.size) if built and cand.side else "-",
                probe_cell(cand.side) if built else "-",
                cand.reason or cand.outcome,
            )
        )
    return rows

