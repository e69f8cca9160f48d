"""Markdown output of ``slimline analyze``: a pull-request comment about one image."""

from __future__ import annotations

from slimline.analysis.model import AnalysisResult
from slimline.units import human_size


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: AnalysisResult, *, top: int = 10) -> str:
    img = result.image
    out = [f"### slimline analyze: `{_cell(img.reference)}`", ""]
    out += [
        "| | |",
        "|---|---:|",
        f"| size | {human_size(result.total_size)} |",
        f"| layers | {len(result.layers)} |",
        f"| efficiency (dive) | {result.dive.efficiency * 100:.1f} % |",
        f"| reclaimable | {human_size(result.reclaimable_bytes)} |",
        f"| base | {_cell(result.base.name or '-')} ({human_size(result.base.size)}) |",
        f"| user | {_cell(img.user or 'root')} |",
        "",
    ]
    gates = [g for g in result.gates if g.status == "fail"]
    if gates:
        out += ["**CI gates failed:** " + "; ".join(_cell(g.message) for g in gates), ""]
    out += ["| # | size | instruction |", "|---:|---:|---|"]
    for layer in result.layers:
        what = " ".join((layer.instruction or layer.created_by or "").split())
        what = what if len(what) <= 90 else what[:89] + "…"
        out.append(f"| {layer.index + 1} | {human_size(layer.size)} | `{_cell(what)}` |")
    out.append("")
    categories = sorted(
        (c for c in result.categories if c.final_bytes > 0), key=lambda c: c.final_bytes, reverse=True
    )[:top]
    if categories:
        out += ["| category | in image | lint |", "|---|---:|---|"]
        out += [
            f"| {_cell(c.title)} | {human_size(c.final_bytes)} | {', '.join(c.lint_rules)} |"
            for c in categories
        ]
        out.append("")
    if result.recommendations:
        out.append("**Recommendations**")
        out.append("")
        out += [f"- {_cell(r.message)}" for r in result.recommendations[:top]]
        out.append("")
    return "\n".join(out)
