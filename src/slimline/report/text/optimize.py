"""Terminal output of ``slimline optimize``: findings, the proposed diff, before and after."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline.optimize import OptimizeResult
from slimline.report.safe import one_line, visible
from slimline.report.text.surface import render_packages, render_surface
from slimline.report.views import (
    CANDIDATE_HEADERS,
    candidate_rows,
    names_cell,
    optimize_headline,
    probe_cell,
)
from slimline.units import human_or_dash, percent, seconds


def render_text(console: Console, result: OptimizeResult, *, show_diff: bool = True,
                top: int = 15) -> None:
    console.print(Text(f"slimline optimize {one_line(str(result.dockerfile))}", style="bold"))
    if result.engine:
        console.print(
            Text(f"engine: {one_line(result.engine)}; builder: {one_line(result.builder or '-')}",
                 style="dim")
        )
    fixed = sorted({f.code for f in result.fix.applied})
    console.print(
        f"Findings: {len(result.findings)}; fixed: {len(fixed)} rule(s)"
        + (f" ({', '.join(fixed)})" if fixed else "")
        + (f"; left: {len(result.fix.remaining)}" if result.fix.remaining else "")
    )
    if (
        show_diff
        and result.diff
        and (result.status in ("no-engine", "probe-failed", "build-failed") or result.after is None)
    ):
        console.print(Text("Proposed changes:", style="bold"))
        console.print(Text(visible(result.diff)), soft_wrap=True, markup=False, highlight=False)
    if result.before is not None:
        table = Table(show_header=True, header_style="bold")
        table.add_column("")
        table.add_column("before", justify="right")
        table.add_column("after", justify="right")
        table.add_column("change", justify="right")
        b, a = result.before, result.after

        def row(label: str, bv: str, av: str, change: str = "") -> None:
            table.add_row(label, bv, av, change)

        ratio = result.ratio()
        change = (
            f"-{(1 - ratio) * 100:.1f} % ({1 / ratio:.1f}x)"
            if ratio and ratio < 1
            else (f"+{(ratio - 1) * 100:.1f} %" if ratio else "")
        )
        row("image size", human_or_dash(b.size), human_or_dash(a.size) if a else "-", change)
        row("layers", str(b.layers), str(a.layers) if a else "-")
        sb, sa = b.summary, a.summary if a else None
        row(
            "efficiency (dive)",
            percent(sb.efficiency) if sb else "-",
            percent(sa.efficiency) if sa else "-",
        )
        row(
            "reclaimable",
            human_or_dash(sb.reclaimable_bytes if sb else None),
            human_or_dash(sa.reclaimable_bytes if sa else None) if a else "-",
        )
        row(
            f"pull @ {result.bandwidth_bps / 1e6:g} Mbit/s",
            seconds(result.pull_seconds(b.size)),
            seconds(result.pull_seconds(a.size)) if a else "-",
        )
        row("build time", seconds(b.build_seconds), seconds(a.build_seconds) if a else "-")
        row("probe", probe_cell(b), probe_cell(a))
        row(
            "shells/package managers",
            one_line(names_cell(sb.tool_names() if sb else [])),
            one_line(names_cell(sa.tool_names() if sa else [])) if a else "-",
        )
        console.print(table)
        tags = f"images: {b.tag}" + (f", {a.tag}" if a else "")
        console.print(Text(one_line(tags), style="dim"))
    rows = candidate_rows(result)
    if rows:
        candidates = Table(title="Runtime candidates (--runtime auto)", show_header=True, header_style="bold")
        for header in CANDIDATE_HEADERS:
            candidates.add_column(header, justify="right" if header == "size" else "left")
        for row_cells in rows:
            candidates.add_row(*(one_line(c) for c in row_cells))
        console.print(candidates)
    if result.surface is not None:
        render_packages(console, result.surface.packages, top)
        render_surface(console, result.surface.surface, ("before", "after"), top=top)
    if result.probe is None and result.before is not None:
        console.print(
            Text(
                "No probe configured: behaviour was NOT verified. Add [probe] to .slimline.toml or pass --probe-port/--probe-command.",
                style="yellow",
            )
        )
    style = {
        "optimized": "bold green",
        "no-gain": "yellow",
        "no-change": "green",
        "no-engine": "yellow",
    }.get(result.status, "bold red")
    console.print(Text(visible(result.message), style=style))
    line = optimize_headline(result)
    if line:
        console.print(Text(visible(line), style="bold"))
    for note in result.notes:
        console.print(Text(f"note: {visible(note)}", style="dim"))
    if result.failure_log:
        console.print(Text(f"{result.failed_step}: log tail", style="bold red"))
        console.print(Text(visible(result.failure_log[-4000:])), markup=False, highlight=False)
