"""Markdown output: a pull-request comment about one image, two images or an optimization.

Text from input is made visible (control characters as ``\\x1b``, undecodable bytes
as U+FFFD) and kept on one line, and ``|`` is escaped so that it cannot end a cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slimline import __version__
from slimline.report import RenderOptions, StringFormat
from slimline.report.safe import one_line, visible
from slimline.report.views import (
    CANDIDATE_HEADERS,
    candidate_rows,
    highlights,
    optimize_headline,
    optimize_summary_rows,
    package_counts,
    package_version,
    path_label,
    signed,
    summary_rows,
    surface_note,
    surface_rows,
    top_packages,
    vulnerability_rows,
)
from slimline.units import human_or_dash, human_size, percent

if TYPE_CHECKING:
    from slimline.analysis.model import AnalysisResult
    from slimline.compare import AttackSurface, CompareResult, PackageChange
    from slimline.optimize import OptimizeResult

def cell(text: str) -> str:
    """``text`` for a table cell or a one-line item."""
    return one_line(text.replace("\n", " ")).replace("|", "\\|")


def analyze_markdown(result: AnalysisResult, options: RenderOptions | None = None) -> str:
    top = options.top if options is not None and options.top is not None else 10
    img = result.image
    out = [f"### slimline analyze: `{cell(img.reference)}`", ""]
    out += [
        "| | |",
        "|---|---:|",
        f"| size | {human_size(result.total_size)} |",
        f"| layers | {len(result.layers)} |",
        f"| efficiency (dive) | {percent(result.dive.efficiency)} |",
        f"| reclaimable | {human_size(result.reclaimable_bytes)} |",
        f"| base | {cell(result.base.name or '-')} ({human_size(result.base.size)}) |",
        f"| user | {cell(img.user or 'root')} |",
        "",
    ]
    gates = [g for g in result.gates if g.status == "fail"]
    if gates:
        out += ["**CI gates failed:** " + "; ".join(cell(g.message) for g in gates), ""]
    out += ["| # | size | instruction |", "|---:|---:|---|"]
    for layer in result.layers:
        what = " ".join((layer.instruction or layer.created_by or "").split())
        what = what if len(what) <= 90 else what[:89] + "…"
        out.append(f"| {layer.index + 1} | {human_size(layer.size)} | `{cell(what)}` |")
    out.append("")
    categories = sorted(
        (c for c in result.categories if c.final_bytes > 0), key=lambda c: c.final_bytes, reverse=True
    )[:top]
    if categories:
        out += ["| category | in image | lint |", "|---|---:|---|"]
        out += [
            f"| {cell(c.title)} | {human_size(c.final_bytes)} | {', '.join(c.lint_rules)} |"
            for c in categories
        ]
        out.append("")
    if result.recommendations:
        out.append("**Recommendations**")
        out.append("")
        out += [f"- {cell(r.message)}" for r in result.recommendations[:top]]
        out.append("")
    return "\n".join(out)


def compare_markdown(result: CompareResult, options: RenderOptions | None = None) -> str:
    top = options.top if options is not None and options.top is not None else 15
    a, b = result.a, result.b
    out = [f"### slimline compare: `{cell(a.reference)}` -> `{cell(b.reference)}`", ""]
    out += ["| | A | B | change |", "|---|---|---|---|"]
    for label, va, vb, delta in summary_rows(result):
        out.append(f"| {cell(label)} | {cell(va)} | {cell(vb)} | {cell(delta)} |")
    out.append("")
    out += surface_markdown(result.surface, ("A", "B"))
    for line in highlights(result):
        out.append(f"- {cell(line)}")
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
            out.append(f"| {c.change} | `{cell(path_label(c))}` | {c.files} | {signed(c.delta)} |")
        out += ["", "</details>"]
    out += _packages_markdown(result.packages, top)
    out += ["", f"<sub>slimline {__version__}</sub>", ""]
    return "\n".join(out)


def _packages_markdown(packages: list[PackageChange], top: int) -> list[str]:
    if not packages:
        return []
    out = [
        "",
        f"<details><summary>Packages ({package_counts(packages)})</summary>",
        "",
        "| change | package | version | size | |",
        "|---|---|---|---:|---|",
    ]
    for p in top_packages(packages, top):
        out.append(
            f"| {p.change} | {cell(p.name)} ({p.ecosystem}) | "
            f"{cell(package_version(p))} | {human_or_dash(p.size or None)} | "
            f"{'toolchain' if p.toolchain else ''} |"
        )
    return [*out, "", "</details>"]


def surface_markdown(surface: AttackSurface | None, labels: tuple[str, str]) -> list[str]:
    """The attack-surface table, the note, and the vulnerabilities removed and added."""
    out: list[str] = []
    if rows := surface_rows(surface):
        out += ["**Attack surface**", "", f"| | {labels[0]} | {labels[1]} | change |",
                "|---|---:|---:|---:|"]
        out += [f"| {cell(label)} | {va} | {vb} | {delta} |" for label, va, vb, delta in rows]
        out.append("")
    if note := surface_note(surface):
        out += [f"_{cell(note)}_", ""]
    if vulns := vulnerability_rows(surface):
        out += [f"<details><summary>Known vulnerabilities removed and added ({len(vulns)})"
                "</summary>", "", "| change | id | severity | packages |", "|---|---|---|---|"]
        out += [f"| {change} | {cell(vid)} | {severity} | {cell(packages)} |"
                for change, vid, severity, packages in vulns]
        out += ["", "</details>", ""]
    return out


_ICON = {"optimized": "✅", "no-change": "✅", "no-gain": "⚠️", "no-engine": "⚠️"}


def optimize_markdown(result: OptimizeResult, options: RenderOptions | None = None) -> str:
    out = [f"### slimline optimize: `{cell(str(result.dockerfile))}`", ""]
    rows = optimize_summary_rows(result)
    if rows:
        out += ["| | before | after |", "|---|---:|---:|"]
        out += [f"| {label} | {cell(b)} | {cell(a)} |" for label, b, a in rows]
        out.append("")
    out.append(f"{_ICON.get(result.status, '❌')} {visible(result.message)}")
    candidates = candidate_rows(result)
    if candidates:
        out += ["", "| " + " | ".join(CANDIDATE_HEADERS) + " |", "|---|---:|---|---|"]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in candidates]
    line = optimize_headline(result)
    if line:
        out += ["", f"**{visible(line)}**"]
    if result.surface is not None:
        out += _packages_markdown(result.surface.packages, 15)
        out += ["", *surface_markdown(result.surface.surface, ("before", "after"))]
    fixed = sorted({f.code for f in result.fix.applied})
    if fixed:
        out += ["", f"Fixed rules: {', '.join(f'`{c}`' for c in fixed)}"]
    if result.diff:
        out += [
            "",
            "<details><summary>Proposed changes</summary>",
            "",
            "```diff",
            visible(result.diff.rstrip("\n")),
            "```",
            "",
            "</details>",
        ]
    return "\n".join(out) + "\n"


def _compose_markdown(result: Any, options: RenderOptions | None = None) -> str:
    from slimline.report.compose import compose_markdown

    return compose_markdown(result, options)


FORMAT = StringFormat(
    {
        "analyze": analyze_markdown,
        "compare": compare_markdown,
        "optimize": optimize_markdown,
        "optimize-compose": _compose_markdown,
    }
)
