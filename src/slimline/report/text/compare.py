"""Terminal output of ``slimline compare``: the summary side by side, highlights, differences."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline.compare import CompareResult
from slimline.report.safe import one_line, visible
from slimline.report.text.surface import render_packages, render_surface
from slimline.report.views import (
    highlights,
    path_label,
    signed,
    summary_rows,
)


def render_text(console: Console, result: CompareResult, *, top: int = 15) -> None:
    console.print(Text("slimline compare", style="bold"))
    console.print(Text(f"A: {one_line(result.a.reference)}  ({result.a.id[:19]})", style="dim"))
    console.print(Text(f"B: {one_line(result.b.reference)}  ({result.b.id[:19]})", style="dim"))
    table = Table(show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("A", overflow="fold")
    table.add_column("B", overflow="fold")
    table.add_column("change", justify="right")
    for label, va, vb, delta in summary_rows(result):
        table.add_row(label, one_line(va), one_line(vb), delta)
    console.print(table)
    render_surface(console, result.surface, top=top)
    for line in highlights(result):
        console.print(Text("* " + visible(line), style="yellow"))
    for warning in result.warnings:
        console.print(Text(f"warning: {visible(warning)}", style="dim"))

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
            one_line(path_label(change)),
            str(change.files),
            Text(signed(change.delta), style=style),
        )
    console.print(paths)

    render_packages(console, result.packages, top)
