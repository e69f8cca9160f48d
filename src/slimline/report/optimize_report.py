"""Rendering of `slimline optimize` results: terminal (rich), JSON, Markdown."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline import __version__
from slimline.optimize import ImageSide, OptimizeResult
from slimline.units import human_or_dash


def seconds(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:.1f} s" if s < 100 else f"{s / 60:.1f} min"


def _probe_cell(side: ImageSide | None) -> str:
    if side is None or side.probe_passed is None:
        return "not probed"
    return "passed" if side.probe_passed else "FAILED"


def _tools(names: list[str], limit: int = 6) -> str:
    if not names:
        return "none"
    return ", ".join(names[:limit]) + (f" (+{len(names) - limit})" if len(names) > limit else "")


def headline(result: OptimizeResult) -> str | None:
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


def render_text(console: Console, result: OptimizeResult, *, show_diff: bool = True) -> None:
    console.print(Text(f"slimline optimize {result.dockerfile}", style="bold"))
    if result.engine:
        console.print(
            Text(f"engine: {result.engine}; builder: {result.builder or '-'}", style="dim")
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
        console.print(Text(result.diff), soft_wrap=True, markup=False, highlight=False)
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
        row(
            "efficiency (dive)",
            f"{b.efficiency * 100:.1f} %" if b.efficiency is not None else "-",
            f"{a.efficiency * 100:.1f} %" if a and a.efficiency is not None else "-",
        )
        row("reclaimable", human_or_dash(b.reclaimable), human_or_dash(a.reclaimable) if a else "-")
        row(
            f"pull @ {result.bandwidth_bps / 1e6:g} Mbit/s",
            seconds(result.pull_seconds(b.size)),
            seconds(result.pull_seconds(a.size)) if a else "-",
        )
        row("build time", seconds(b.build_seconds), seconds(a.build_seconds) if a else "-")
        row("probe", _probe_cell(b), _probe_cell(a))
        row(
            "shells/package managers",
            _tools(b.present),
            _tools(a.present) if a else "-",
        )
        console.print(table)
        console.print(Text(f"images: {b.tag}" + (f", {a.tag}" if a else ""), style="dim"))
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
    console.print(Text(result.message, style=style))
    line = headline(result)
    if line:
        console.print(Text(line, style="bold"))
    for note in result.notes:
        console.print(Text(f"note: {note}", style="dim"))
    if result.failure_log:
        console.print(Text(f"{result.failed_step}: log tail", style="bold red"))
        console.print(Text(result.failure_log[-4000:]), markup=False, highlight=False)


def _side(side: ImageSide | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "tag": side.tag,
        "image_id": side.image_id,
        "size": side.size,
        "layers": side.layers,
        "build_seconds": round(side.build_seconds, 3),
        "builder": side.builder,
        "probe_passed": side.probe_passed,
        "probe_detail": side.probe_detail,
        "efficiency": side.efficiency,
        "reclaimable_bytes": side.reclaimable,
        "user_bytes": side.user_bytes,
        "base_bytes": side.base_bytes,
        "categories": side.categories,
        "present": side.present,
    }


def to_json(result: OptimizeResult) -> str:
    ratio = result.ratio()
    doc = {
        "schema": "slimline.optimize/v1",
        "version": __version__,
        "dockerfile": str(result.dockerfile),
        "context": str(result.context),
        "status": result.status,
        "message": result.message,
        "verified": result.verified,
        "probe": result.probe,
        "engine": result.engine,
        "builder": result.builder,
        "findings": [
            {"code": f.code, "line": f.line, "severity": str(f.severity), "message": f.message}
            for f in result.findings
        ],
        "fixed": sorted({f.code for f in result.fix.applied}),
        "remaining": [{"code": f.code, "line": f.line} for f in result.fix.remaining],
        "diff": result.diff,
        "before": _side(result.before),
        "after": _side(result.after),
        "ratio": ratio,
        "bandwidth_bps": result.bandwidth_bps,
        "pull_seconds": {
            "before": result.pull_seconds(result.before.size) if result.before else None,
            "after": result.pull_seconds(result.after.size) if result.after else None,
        },
        "failed_step": result.failed_step,
        "failure_log": result.failure_log,
        "notes": result.notes,
    }
    return json.dumps(doc, indent=2) + "\n"


def to_markdown(result: OptimizeResult) -> str:
    """A pull-request comment."""
    out = [f"### slimline optimize: `{result.dockerfile}`", ""]
    b, a = result.before, result.after
    if b is not None:
        out += ["| | before | after |", "|---|---:|---:|"]
        out.append(
            f"| image size | {human_or_dash(b.size)} | {human_or_dash(a.size) if a else '-'} |"
        )
        out.append(f"| layers | {b.layers} | {a.layers if a else '-'} |")
        out.append(
            f"| pull @ {result.bandwidth_bps / 1e6:g} Mbit/s | {seconds(result.pull_seconds(b.size))} | {seconds(result.pull_seconds(a.size)) if a else '-'} |"
        )
        out.append(f"| probe | {_probe_cell(b)} | {_probe_cell(a)} |")
        out.append("")
    icon = {"optimized": "✅", "no-change": "✅", "no-gain": "⚠️", "no-engine": "⚠️"}.get(
        result.status, "❌"
    )
    out.append(f"{icon} {result.message}")
    line = headline(result)
    if line:
        out += ["", f"**{line}**"]
    fixed = sorted({f.code for f in result.fix.applied})
    if fixed:
        out += ["", f"Fixed rules: {', '.join(f'`{c}`' for c in fixed)}"]
    if result.diff:
        out += [
            "",
            "<details><summary>Proposed changes</summary>",
            "",
            "```diff",
            result.diff.rstrip("\n"),
            "```",
            "",
            "</details>",
        ]
    return "\n".join(out) + "\n"


def to_html(result: OptimizeResult) -> str:
    """One self-contained page: summary, before and after side by side, the diff."""
    from slimline.report.html import optimize_page

    b, a = result.before, result.after
    summary: list[tuple[str, str, str]] = []
    if b is not None:
        summary = [
            ("image size", human_or_dash(b.size), human_or_dash(a.size) if a else "-"),
            ("layers", str(b.layers), str(a.layers) if a else "-"),
            (
                f"pull @ {result.bandwidth_bps / 1e6:g} Mbit/s",
                seconds(result.pull_seconds(b.size)),
                seconds(result.pull_seconds(a.size)) if a else "-",
            ),
            ("probe", _probe_cell(b), _probe_cell(a)),
        ]
    return optimize_page(
        str(result.dockerfile),
        summary,
        result.message,
        result.status in ("optimized", "no-change"),
        headline(result),
        b.analysis if b is not None else None,
        a.analysis if a is not None else None,
        result.diff,
    )
