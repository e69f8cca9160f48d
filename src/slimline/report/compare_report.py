"""Rendering of `slimline compare` results: terminal (rich), JSON, Markdown."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline import __version__
from slimline.compare import CompareResult, ImageSummary, PackageChange, PathChange
from slimline.units import human_size

SCHEMA = "slimline.compare/v1"


def _signed(n: int) -> str:
    return ("+" if n > 0 else "") + human_size(n) if n else "0 B"


def _seconds(s: float) -> str:
    return f"{s:.1f} s" if s < 100 else f"{s / 60:.1f} min"


def _percent(x: float) -> str:
    return f"{x * 100:.2f} %"


def _opt(n: int | None) -> str:
    return human_size(n) if n is not None else "-"


def _tools_cell(side: ImageSummary, category: str) -> str:
    tool = side.tool(category)
    if tool is None:
        return "none"
    names = sorted({p.rpartition("/")[2] for p in tool.paths})
    shown = ", ".join(names[:6]) + (f" (+{len(names) - 6})" if len(names) > 6 else "")
    return shown


def _base(side: ImageSummary) -> str:
    if side.base_layers == 0:
        return "unknown"
    name = side.base_name or "(unnamed)"
    return f"{name}: {side.base_layers} layers, {human_size(side.base_size)} ({side.base_method})"


def _packages_cell(side: ImageSummary) -> str:
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
            _opt(a.compressed_size),
            _opt(b.compressed_size),
            _ratio(a.compressed_size, b.compressed_size),
        ),
        ("layers", str(a.layers), str(b.layers), f"{b.layers - a.layers:+d}"),
        ("files", str(a.files), str(b.files), f"{b.files - a.files:+d}"),
        ("efficiency (dive)", _percent(a.efficiency), _percent(b.efficiency), ""),
        (
            "reclaimable",
            human_size(a.reclaimable_bytes),
            human_size(b.reclaimable_bytes),
            _signed(b.reclaimable_bytes - a.reclaimable_bytes),
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
            _seconds(result.pull_seconds(a)),
            _seconds(result.pull_seconds(b)),
            "",
        ),
    ]
    if a.measured_pull is not None or b.measured_pull is not None:
        rows.append(("pull measured (registry)", _measured(a), _measured(b), ""))
    return rows


def _measured(side: ImageSummary) -> str:
    pull = side.measured_pull
    if pull is None:
        return "not in a registry"
    return f"{_seconds(pull.seconds)} ({human_size(pull.bytes)})"


def _ratio(a: int | None, b: int | None) -> str:
    if a is None or b is None:
        return ""
    if a == 0:
        return _signed(b - a)
    return f"{_signed(b - a)} ({(b - a) / a * 100:+.1f} %)"


def _path_label(change: PathChange) -> str:
    if change.kind == "dir":
        return change.path.rstrip("/") + "/"
    if change.kind == "files":
        return f"{change.path.rstrip('/')}/* ({change.files} files)"
    return change.path


def _package_version(p: PackageChange) -> str:
    if p.change == "removed":
        return p.version_a or ""
    if p.change == "added":
        return p.version_b or ""
    return f"{p.version_a} -> {p.version_b}"


def headline(result: CompareResult) -> str:
    a, b = result.a, result.b
    return (
        f"{a.reference} ({human_size(a.size)}, pulls in {_seconds(result.pull_seconds(a))}) -> "
        f"{b.reference} ({human_size(b.size)}, pulls in {_seconds(result.pull_seconds(b))}) "
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
    tool = side.tool(category)
    return sorted({p.rpartition("/")[2] for p in tool.paths})[:8] if tool else []


def render_text(console: Console, result: CompareResult, *, top: int = 15) -> None:
    console.print(Text("slimline compare", style="bold"))
    console.print(Text(f"A: {result.a.reference}  ({result.a.id[:19]})", style="dim"))
    console.print(Text(f"B: {result.b.reference}  ({result.b.id[:19]})", style="dim"))
    table = Table(show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("A", overflow="fold")
    table.add_column("B", overflow="fold")
    table.add_column("change", justify="right")
    for label, va, vb, delta in summary_rows(result):
        table.add_row(label, va, vb, delta)
    console.print(table)
    for line in highlights(result):
        console.print(Text("* " + line, style="yellow"))
    for warning in result.warnings:
        console.print(Text(f"warning: {warning}", style="dim"))

    paths = Table(
        title=f"Top differences (largest first, {min(top, len(result.paths))} of "
        f"{len(result.paths)})",
        show_header=True,
        header_style="bold",
    )
    paths.add_column("change")
    paths.add_column("path", overflow="fold")
    paths.add_column("files", justify="right")
    paths.add_column("bytes", justify="right")
    for change in result.paths[:top]:
        style = "green" if change.delta < 0 else "red"
        paths.add_row(
            change.change,
            _path_label(change),
            str(change.files),
            Text(_signed(change.delta), style=style),
        )
    console.print(paths)

    pkgs = Table(
        title=f"Packages ({_package_counts(result)})", show_header=True, header_style="bold"
    )
    pkgs.add_column("change")
    pkgs.add_column("package")
    pkgs.add_column("version", overflow="fold")
    pkgs.add_column("size", justify="right")
    pkgs.add_column("")
    for pkg in _top_packages(result.packages, top):
        pkgs.add_row(
            pkg.change,
            f"{pkg.name} ({pkg.ecosystem})",
            _package_version(pkg),
            _opt(pkg.size or None),
            "toolchain" if pkg.toolchain else "",
        )
    console.print(pkgs)


def _package_counts(result: CompareResult) -> str:
    counts = {"removed": 0, "added": 0, "changed": 0}
    for p in result.packages:
        counts[p.change] += 1
    return ", ".join(f"{n} {k}" for k, n in counts.items())


def _top_packages(packages: list[PackageChange], top: int) -> list[PackageChange]:
    """The largest removed, added and changed packages, ``top`` of each at most."""
    out: list[PackageChange] = []
    for change in ("removed", "added", "changed"):
        out.extend([p for p in packages if p.change == change][:top])
    return out


def _side_json(side: ImageSummary, result: CompareResult) -> dict[str, Any]:
    return {
        "reference": side.reference,
        "name": side.name,
        "id": side.id,
        "platform": side.platform,
        "size": side.size,
        "size_source": side.size_source,
        "content_size": side.content_size,
        "compressed_size": side.compressed_size,
        "layers": side.layers,
        "files": side.files,
        "efficiency": side.efficiency,
        "wasted_bytes": side.wasted_bytes,
        "reclaimable_bytes": side.reclaimable_bytes,
        "base": {
            "name": side.base_name,
            "method": side.base_method,
            "layers": side.base_layers,
            "size": side.base_size,
        },
        "user": side.user,
        "shells": _tool_paths(side, "shells"),
        "package_managers": _tool_paths(side, "package-managers"),
        "package_counts": side.package_counts(),
        "pull_seconds": round(result.pull_seconds(side), 3),
        "measured_pull": (
            {"seconds": round(side.measured_pull.seconds, 3), "bytes": side.measured_pull.bytes}
            if side.measured_pull is not None
            else None
        ),
    }


def _tool_paths(side: ImageSummary, category: str) -> list[str]:
    tool = side.tool(category)
    return list(tool.paths) if tool is not None else []


def to_dict(result: CompareResult, *, top: int | None = None) -> dict[str, Any]:
    paths = result.paths if top is None else result.paths[:top]
    return {
        "schema": SCHEMA,
        "version": __version__,
        "a": _side_json(result.a, result),
        "b": _side_json(result.b, result),
        "bandwidth_bps": result.bandwidth_bps,
        "pull_basis": result.pull_basis,
        "differences": [
            {
                "path": c.path,
                "kind": c.kind,
                "change": c.change,
                "files": c.files,
                "bytes_a": c.bytes_a,
                "bytes_b": c.bytes_b,
                "delta": c.delta,
            }
            for c in paths
        ],
        "differences_total": len(result.paths),
        "packages": [
            {
                "ecosystem": p.ecosystem,
                "name": p.name,
                "change": p.change,
                "version_a": p.version_a,
                "version_b": p.version_b,
                "size_a": p.size_a,
                "size_b": p.size_b,
                "toolchain": p.toolchain,
            }
            for p in result.packages
        ],
        "removed_toolchain": [p.name for p in result.removed_toolchain],
        "tools": [
            {
                "category": t.category,
                "title": t.title,
                "in_a": t.in_a,
                "in_b": t.in_b,
                "removed": list(t.removed),
                "added": list(t.added),
            }
            for t in result.tools
        ],
        "highlights": highlights(result),
        "warnings": list(result.warnings),
    }


def to_json(result: CompareResult, *, top: int | None = None) -> str:
    return json.dumps(to_dict(result, top=top), indent=2) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(result: CompareResult, *, top: int = 15) -> str:
    """A pull-request comment."""
    a, b = result.a, result.b
    out = [f"### slimline compare: `{_md(a.reference)}` -> `{_md(b.reference)}`", ""]
    out += ["| | A | B | change |", "|---|---|---|---|"]
    for label, va, vb, delta in summary_rows(result):
        out.append(f"| {_md(label)} | {_md(va)} | {_md(vb)} | {_md(delta)} |")
    out.append("")
    for line in highlights(result):
        out.append(f"- {_md(line)}")
    if result.paths:
        out += [
            "",
            f"<details><summary>Top differences ({min(top, len(result.paths))} of "
            f"{len(result.paths)})</summary>",
            "",
            "| change | path | files | bytes |",
            "|---|---|---:|---:|",
        ]
        for c in result.paths[:top]:
            out.append(f"| {c.change} | `{_md(_path_label(c))}` | {c.files} | {_signed(c.delta)} |")
        out += ["", "</details>"]
    if result.packages:
        out += [
            "",
            f"<details><summary>Packages ({_package_counts(result)})</summary>",
            "",
            "| change | package | version | size | |",
            "|---|---|---|---:|---|",
        ]
        for p in _top_packages(result.packages, top):
            out.append(
                f"| {p.change} | {_md(p.name)} ({p.ecosystem}) | "
                f"{_md(_package_version(p))} | {_opt(p.size or None)} | "
                f"{'toolchain' if p.toolchain else ''} |"
            )
        out += ["", "</details>"]
    out += ["", f"<sub>slimline {__version__}</sub>", ""]
    return "\n".join(out)
