"""Reports of ``slimline optimize`` on a compose project: one row per service, the total.

Text, JSON (schema ``slimline.optimize-compose/v1``, each service's full
``slimline.optimize/v1`` document inside) and Markdown.
"""

from __future__ import annotations

from typing import TextIO

from rich.table import Table
from rich.text import Text

from slimline import __version__
from slimline.optimize_compose import NOT_VERIFIABLE, ComposeResult, ServiceResult
from slimline.report import RenderOptions
from slimline.report.safe import json_dumps, one_line, report_console, visible
from slimline.units import human_or_dash

SCHEMA = "slimline.optimize-compose/v1"
HEADERS = ("service", "before", "after", "runtime", "probe", "gain", "status")


def _gain(before: int | None, after: int | None) -> str:
    if not before or after is None:
        return "-"
    if after >= before:
        return "none"
    return f"-{(1 - after / before) * 100:.1f} % ({before / after:.1f}x)"


def service_row(s: ServiceResult) -> tuple[str, ...]:
    return (
        s.name,
        human_or_dash(s.before),
        human_or_dash(s.after),
        s.runtime,
        s.probe,
        _gain(s.before, s.after) if s.kept else ("none" if s.before else "-"),
        s.status,
    )


def total_row(result: ComposeResult) -> tuple[str, ...] | None:
    totals = result.totals()
    if totals is None:
        return None
    before, after = totals
    return ("total", human_or_dash(before), human_or_dash(after), "", "", _gain(before, after), "")


def _notes(result: ComposeResult) -> list[str]:
    notes = list(result.notes)
    if result.ignored:
        notes.append(f"no build, left as they are: {', '.join(result.ignored)}")
    for s in result.services:
        notes += [f"{s.name}: {note}" for note in s.service.notes]
        if s.result is not None:
            notes += [f"{s.name}: {note}" for note in s.result.notes]
    return notes


def write_text(result: ComposeResult, out: TextIO, options: RenderOptions) -> None:
    console = report_console(out, pipe_width=120)
    console.print(Text(f"slimline optimize {one_line(str(result.compose_file))}", style="bold"))
    table = Table(show_header=True, header_style="bold")
    for i, header in enumerate(HEADERS):
        table.add_column(header, justify="right" if i in (1, 2, 5) else "left")
    for s in result.services:
        table.add_row(*(one_line(c) for c in service_row(s)))
    total = total_row(result)
    if total is not None:
        table.add_section()
        table.add_row(*total, style="bold")
    console.print(table)
    for s in result.services:
        style = {"optimized": "green", "no-gain": "yellow", "no-change": "green"}.get(
            s.status,
            "yellow" if s.status in ("no-engine", "skipped", NOT_VERIFIABLE) else "bold red",
        )
        console.print(Text(f"{s.name}: {visible(s.message)}", style=style))
        if s.result is not None and s.result.failure_log:
            console.print(Text(f"{s.name}: {s.result.failed_step}: log tail", style="bold red"))
            console.print(Text(visible(s.result.failure_log[-4000:])))
    for note in _notes(result):
        console.print(Text(f"note: {visible(note)}", style="dim"))


def compose_dict(result: ComposeResult) -> dict[str, object]:
    from slimline.report.json import optimize_dict

    totals = result.totals()
    return {
        "schema": SCHEMA,
        "version": __version__,
        "compose_file": str(result.compose_file),
        "project": result.project,
        "unsafe": result.unsafe,
        "runtime": result.runtime,
        "services": [
            {
                "name": s.name,
                "status": s.status,
                "message": s.message,
                "context": str(s.service.context) if s.service.context else None,
                "dockerfile": str(s.service.dockerfile) if s.service.dockerfile else None,
                "target": s.service.target,
                "build_args": sorted(s.service.args),
                "probe": s.probe,
                "probe_source": s.service.probe_source,
                "runtime": s.runtime,
                "before": s.before,
                "after": s.after,
                "kept": s.kept,
                "written": [str(p) for p in s.written],
                "notes": list(s.service.notes),
                "optimize": optimize_dict(s.result) if s.result is not None else None,
            }
            for s in result.services
        ],
        "ignored": result.ignored,
        "total": {"before": totals[0], "after": totals[1]} if totals else None,
        "failed": result.failed,
        "unverified": result.unverified,
        "notes": result.notes,
    }


def compose_json(result: ComposeResult, options: RenderOptions | None = None) -> str:
    return json_dumps(compose_dict(result), ensure_ascii=True)


def compose_markdown(result: ComposeResult, options: RenderOptions | None = None) -> str:
    from slimline.report.markdown import cell

    out = [f"### slimline optimize: `{cell(str(result.compose_file))}`", ""]
    out += ["| " + " | ".join(HEADERS) + " |", "|---|---:|---:|---|---|---:|---|"]
    rows = [service_row(s) for s in result.services]
    total = total_row(result)
    for row in rows:
        out.append("| " + " | ".join(cell(c) for c in row) + " |")
    if total is not None:
        out.append("| " + " | ".join(f"**{cell(c)}**" if c else "" for c in total) + " |")
    out.append("")
    out += [f"- **{cell(s.name)}**: {visible(s.message, one_line=True)}" for s in result.services]
    notes = _notes(result)
    if notes:
        out += ["", *(f"- note: {visible(n, one_line=True)}" for n in notes)]
    return "\n".join(out) + "\n"
