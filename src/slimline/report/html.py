"""Self-contained HTML reports: one file, no script, no CDN, no network.

The charts are inline SVG drawn here: a bar per layer (sized by bytes, labelled
with the instruction that made it), a squarified treemap of the image by
directory, and one by category. `slimline optimize --html` puts the before and
after images side by side; `slimline analyze --html` shows one image.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slimline import __version__
from slimline.analysis.model import AnalysisResult
from slimline.report import RenderOptions, StringFormat
from slimline.report.safe import visible
from slimline.report.views import (
    CANDIDATE_HEADERS,
    candidate_rows,
    optimize_headline,
    optimize_summary_rows,
    package_change_rows,
    package_counts,
    surface_note,
    surface_rows,
    vulnerability_rows,
)
from slimline.units import human_or_dash, percent

if TYPE_CHECKING:
    from slimline.analysis.model import ImageSummary
    from slimline.compare import AttackSurface, CompareResult
    from slimline.optimize import OptimizeResult

_PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:1.4em;margin:0 0 4px}h2{font-size:1.1em;margin:24px 0 8px}h3{font-size:1em;margin:12px 0 6px}
.muted{color:#666;font-size:.9em}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:24px}
table{border-collapse:collapse;margin:8px 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}
.headline{font-size:1.15em;font-weight:600;margin:12px 0}svg{display:block;max-width:100%;height:auto}
svg text{font-family:system-ui,sans-serif}pre{background:#f6f8fa;padding:12px;overflow:auto;font-size:.85em}
"""


def _esc(text: object) -> str:
    """Text for HTML: escaped, control characters shown as ``\\x1b``, undecodable bytes as U+FFFD."""
    return html.escape(visible(str(text)), quote=True)


# -- charts ------------------------------------------------------------------------------------


def layer_bars(result: AnalysisResult, width: int = 640) -> str:
    """One horizontal bar per layer, longest = widest; base layers in grey."""
    layers = result.layers
    if not layers:
        return "<p class='muted'>no layers</p>"
    row, label_w, top = 22, 250, 4
    biggest = max((layer.size for layer in layers), default=0) or 1
    height = top + row * len(layers) + 4
    parts = [
        f'<svg class="chart layers" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="layer sizes">'
    ]
    for i, layer in enumerate(layers):
        y = top + i * row
        w = max(1.0, (width - label_w - 80) * layer.size / biggest)
        color = "#bab0ac" if layer.base else _PALETTE[i % len(_PALETTE)]
        label = (layer.instruction or layer.created_by or "").replace("\n", " ")
        short = label if len(label) <= 38 else label[:37] + "…"
        parts.append(
            f"<g><title>{_esc(label)} ({human_or_dash(layer.size)})</title>"
            f'<text x="0" y="{y + 15}" font-size="11">{i + 1}. {_esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="11">{_esc(human_or_dash(layer.size))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class _Cell:
    label: str
    size: float
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


def _worst(row: Sequence[float], side: float) -> float:
    total = sum(row)
    if total <= 0 or side <= 0:
        return float("inf")
    return max(
        max(side * side * r / (total * total), (total * total) / (side * side * r))
        for r in row
        if r > 0
    )


def squarify(cells: list[_Cell], x: float, y: float, w: float, h: float) -> list[_Cell]:
    """Lay cells out in the rectangle with the squarified treemap algorithm (Bruls et al.)."""
    items = [c for c in sorted(cells, key=lambda c: c.size, reverse=True) if c.size > 0]
    total = sum(c.size for c in items)
    if not items or total <= 0:
        return []
    scale = w * h / total
    areas = [c.size * scale for c in items]
    out: list[_Cell] = []
    i = 0
    while i < len(items):
        side = min(w, h)
        row = [areas[i]]
        j = i + 1
        while j < len(items) and _worst([*row, areas[j]], side) <= _worst(row, side):
            row.append(areas[j])
            j += 1
        row_total = sum(row)
        # Cells split the row's extent by cumulative share, so the last one ends exactly on
        # the rectangle's edge (dividing areas by a tiny width would amplify rounding).
        shares = list(itertools.accumulate(row))
        if w >= h:  # lay the row out as a column on the left
            col_w = min(row_total / h, w) if h else 0
            for k, end in enumerate(shares):
                cell = items[i + k]
                top = y + h * (shares[k - 1] / row_total if k else 0.0)
                bottom = y + h * (end / row_total) if k < len(row) - 1 else y + h
                cell.x, cell.y, cell.w, cell.h = x, top, col_w, bottom - top
                out.append(cell)
            x += col_w
            w -= col_w
        else:  # a row along the top
            row_h = min(row_total / w, h) if w else 0
            for k, end in enumerate(shares):
                cell = items[i + k]
                left = x + w * (shares[k - 1] / row_total if k else 0.0)
                right = x + w * (end / row_total) if k < len(row) - 1 else x + w
                cell.x, cell.y, cell.w, cell.h = left, y, right - left, row_h
                out.append(cell)
            y += row_h
            h -= row_h
        i = j
    return out


def treemap(cells: list[tuple[str, int]], title: str, width: int = 640, height: int = 320) -> str:
    laid = squarify([_Cell(label, size) for label, size in cells], 0, 0, width, height)
    if not laid:
        return f"<p class='muted'>{_esc(title)}: nothing to show</p>"
    parts = [
        f'<svg class="chart treemap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_esc(title)}">'
    ]
    for k, c in enumerate(laid):
        color = _PALETTE[k % len(_PALETTE)]
        parts.append(
            f"<g><title>{_esc(c.label)}: {human_or_dash(c.size)}</title>"
            f'<rect x="{c.x:.1f}" y="{c.y:.1f}" width="{c.w:.1f}" height="{c.h:.1f}" fill="{color}" stroke="#fff"/>'
        )
        if c.w > 60 and c.h > 28:
            label = (
                c.label if len(c.label) * 6.5 < c.w else c.label[: max(3, int(c.w / 6.5) - 1)] + "…"
            )
            parts.append(
                f'<text x="{c.x + 4:.1f}" y="{c.y + 14:.1f}" font-size="11" fill="#fff">{_esc(label)}</text>'
                f'<text x="{c.x + 4:.1f}" y="{c.y + 27:.1f}" font-size="10" fill="#fff">{_esc(human_or_dash(c.size))}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def directory_cells(result: AnalysisResult) -> list[tuple[str, int]]:
    """Two levels of directories from the largest-directories list.

    The analysis lists a chain of single-child directories once, at its deepest
    point (``/opt/venv/lib/python3.11/site-packages``), so each top-level
    directory is represented by the largest listed directory under it, and split
    into the listed directories right below that one.
    """
    dirs = {d.path.rstrip("/") or "/": d.size for d in result.largest_dirs}

    def parent_listed(path: str) -> str | None:
        cut = path.rsplit("/", 1)[0]
        while cut:
            if cut in dirs:
                return cut
            cut = cut.rsplit("/", 1)[0]
        return None

    tops: dict[str, str] = {}
    for path, size in dirs.items():
        name = path.split("/")[1] if path.count("/") >= 1 and path != "/" else ""
        if name and (name not in tops or size > dirs[tops[name]]):
            tops[name] = path
    cells: list[tuple[str, int]] = []
    covered = 0
    for rep in sorted(tops.values()):
        size = dirs[rep]
        children = [(p, s) for p, s in dirs.items() if parent_listed(p) == rep]
        used = sum(s for _, s in children)
        cells.extend(children)
        if size - used > 0:
            cells.append((f"{rep} (rest)" if children else rep, size - used))
        covered += size
    rest = result.final_size - covered
    if rest > 0:
        cells.append(("other", rest))
    return cells


def category_cells(result: AnalysisResult) -> list[tuple[str, int]]:
    cells = [(c.title, c.final_bytes) for c in result.categories if c.final_bytes > 0]
    other = result.final_size - sum(size for _, size in cells)
    if other > 0:
        cells.append(("everything else", other))
    return cells


def present_tools(result: AnalysisResult, limit: int = 8) -> str:
    """The shells and package managers the image carries, by program name."""
    names: list[str] = []
    for presence in result.present:
        for path in presence.paths:
            name = path.rsplit("/", 1)[-1]
            if name not in names:
                names.append(name)
    shown = ", ".join(names[:limit])
    return shown + (f" (+{len(names) - limit} more)" if len(names) > limit else "")


# -- pages -------------------------------------------------------------------------------------


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>{body}"
        f"<p class='muted'>Generated by slimline {__version__}.</p></body></html>\n"
    )


def _image_section(result: AnalysisResult, heading: str) -> str:
    eff = percent(result.dive.efficiency)
    rows = [
        ("image", result.image.reference),
        ("size", human_or_dash(result.total_size)),
        ("layers", str(len(result.layers))),
        ("efficiency (dive)", eff),
        ("reclaimable", human_or_dash(result.reclaimable_bytes)),
        ("shells / package managers", present_tools(result) or "none"),
    ]
    table = (
        "<table>"
        + "".join(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in rows)
        + "</table>"
    )
    return (
        f"<section><h2>{_esc(heading)}</h2>{table}"
        f"<h3>Layers</h3>{layer_bars(result)}"
        f"<h3>By directory</h3>{treemap(directory_cells(result), 'by directory')}"
        f"<h3>By category</h3>{treemap(category_cells(result), 'by category', height=220)}</section>"
    )


def analysis_page(result: AnalysisResult, options: RenderOptions | None = None) -> str:
    body = f"<h1>slimline analyze</h1><p class='muted'>{_esc(result.image.reference)}</p>"
    body += _image_section(result, "Image")
    if result.recommendations:
        body += (
            "<h2>Recommendations</h2><ul>"
            + "".join(f"<li>{_esc(r.message)}</li>" for r in result.recommendations)
            + "</ul>"
        )
    return _page(f"slimline analyze {result.image.reference}", body)


def optimize_page(
    title: str,
    summary: list[tuple[str, str, str]],
    message: str,
    ok: bool,
    headline: str | None,
    before: AnalysisResult | None,
    after: AnalysisResult | None,
    diff: str,
    candidates: list[tuple[str, str, str, str]] | None = None,
    extra: str = "",
) -> str:
    """Before and after side by side, with the summary table and the proposed diff (and
    the runtime candidates ``--runtime auto`` tried); ``extra`` (HTML) goes after the
    summary table."""
    body = f"<h1>slimline optimize</h1><p class='muted'>{_esc(title)}</p>"
    body += f"<p class='{'ok' if ok else 'bad'}'>{_esc(message)}</p>"
    if headline:
        body += f"<p class='headline'>{_esc(headline)}</p>"
    if summary:
        body += "<table><tr><th></th><th>before</th><th>after</th></tr>"
        body += "".join(
            f"<tr><td>{_esc(k)}</td><td>{_esc(b)}</td><td>{_esc(a)}</td></tr>"
            for k, b, a in summary
        )
        body += "</table>"
    if candidates:
        body += "<h2>Runtime candidates</h2><table><tr>"
        body += "".join(f"<th>{_esc(h)}</th>" for h in CANDIDATE_HEADERS) + "</tr>"
        body += "".join(
            "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in candidates
        )
        body += "</table>"
    body += extra
    sections = []
    if before is not None:
        sections.append(_image_section(before, "Before"))
    if after is not None:
        sections.append(_image_section(after, "After"))
    if sections:
        body += "<div class='grid'>" + "".join(sections) + "</div>"
    if diff:
        body += f"<h2>Changes</h2><pre>{_esc(diff)}</pre>"
    return _page(f"slimline optimize {title}", body)


def delta_bars(changes: list[tuple[str, int]], width: int = 760) -> str:
    """Horizontal bars of byte differences: removed to the left in red, added right in green."""
    if not changes:
        return "<p class='muted'>no differences</p>"
    row, label_w = 22, 330
    half = (width - label_w - 70) / 2
    biggest = max(abs(d) for _, d in changes) or 1
    height = row * len(changes) + 8
    mid = label_w + half
    parts = [
        f'<svg class="chart deltas" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="largest differences">'
    ]
    parts.append(f'<line x1="{mid:.1f}" y1="0" x2="{mid:.1f}" y2="{height}" stroke="#999"/>')
    for i, (label, delta) in enumerate(changes):
        y = 4 + i * row
        w = max(1.0, half * abs(delta) / biggest)
        x = mid - w if delta < 0 else mid
        color = "#e15759" if delta < 0 else "#59a14f"
        short = label if len(label) <= 48 else "…" + label[-47:]
        sign = "-" if delta < 0 else "+"
        parts.append(
            f"<g><title>{_esc(label)}: {sign}{human_or_dash(abs(delta))}</title>"
            f'<text x="0" y="{y + 15}" font-size="11">{_esc(short)}</text>'
            f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{width - 66}" y="{y + 15}" font-size="11">{sign}{_esc(human_or_dash(abs(delta)))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def compare_page(result: CompareResult, options: RenderOptions | None = None) -> str:
    """A and B side by side, the largest differences, removed bytes as a treemap, packages."""
    top = max(options.top or 0, 20) if options is not None else 20
    a, b = result.a, result.b

    def tools(side: ImageSummary) -> str:
        names = side.tool_names()
        return (
            ", ".join(names[:8]) + (f" (+{len(names) - 8} more)" if len(names) > 8 else "")
            if names
            else "none"
        )

    rows = [
        ("image", a.reference, b.reference),
        ("size", human_or_dash(a.size), human_or_dash(b.size)),
        ("layers", str(a.layers), str(b.layers)),
        ("files", str(a.files), str(b.files)),
        ("efficiency (dive)", percent(a.efficiency), percent(b.efficiency)),
        ("reclaimable", human_or_dash(a.reclaimable_bytes), human_or_dash(b.reclaimable_bytes)),
        (
            f"pull @ {result.bandwidth_bps / 1e6:g} Mbit/s ({result.pull_basis})",
            f"{result.pull_seconds(a):.1f} s",
            f"{result.pull_seconds(b):.1f} s",
        ),
        ("user", a.user or "root", b.user or "root"),
        ("base", a.base_name or "-", b.base_name or "-"),
        ("shells / package managers", tools(a), tools(b)),
    ]
    body = "<h1>slimline compare</h1>"
    body += "<table><tr><th></th><th>A (before)</th><th>B (after)</th></tr>"
    body += "".join(
        f"<tr><td>{_esc(k)}</td><td>{_esc(x)}</td><td>{_esc(y)}</td></tr>" for k, x, y in rows
    )
    body += "</table>"
    body += surface_html(result.surface, ("A (before)", "B (after)"))
    changes = sorted(result.paths, key=lambda c: abs(c.delta), reverse=True)[:top]
    body += "<h2>Largest differences</h2>" + delta_bars([(c.path, c.delta) for c in changes])
    removed = [(c.path, -c.delta) for c in result.paths if c.delta < 0]
    body += "<h2>What B no longer has, by directory</h2>" + treemap(
        removed, "removed bytes by directory"
    )
    gone = [p for p in result.packages if p.change == "removed"]
    if gone:
        gone.sort(key=lambda p: p.size, reverse=True)
        body += f"<h2>Packages removed ({len(gone)})</h2><table><tr><th>package</th><th>version</th><th>size</th><th>toolchain</th></tr>"
        body += "".join(
            f"<tr><td>{_esc(p.ecosystem)}: {_esc(p.name)}</td><td>{_esc(p.version_a or '')}</td><td>{human_or_dash(p.size)}</td><td>{'yes' if p.toolchain else ''}</td></tr>"
            for p in gone[:top]
        )
        body += "</table>"
    return _page(f"slimline compare {a.reference} {b.reference}", body)


def _table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    return f"<table><tr>{head}</tr>" + "".join(
        "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows
    ) + "</table>"


def surface_html(surface: AttackSurface | None, labels: tuple[str, str], top: int = 50) -> str:
    """The attack surface before -> after, why vulnerabilities are missing when they
    are, and the known vulnerabilities removed and added."""
    body = ""
    if rows := surface_rows(surface):
        body += "<h2>Attack surface</h2>" + _table(("", *labels, "change"), rows)
    if note := surface_note(surface):
        body += f"<p>{_esc(note)}</p>"
    if vulns := vulnerability_rows(surface):
        body += f"<h2>Known vulnerabilities removed and added ({len(vulns)})</h2>"
        body += _table(("change", "id", "severity", "packages"), vulns[:top])
    return body


def optimize_html(result: OptimizeResult, options: RenderOptions | None = None) -> str:
    """One self-contained page: summary, packages and attack surface before -> after,
    before and after side by side, the diff."""
    b, a = result.before, result.after
    extra = ""
    if result.surface is not None:
        packages = package_change_rows(result.surface.packages, 50)
        if packages:
            extra += f"<h2>Packages ({_esc(package_counts(result.surface.packages))})</h2>"
            extra += _table(("change", "package", "version", "size"), packages)
        extra += surface_html(result.surface.surface, ("before", "after"))
    return optimize_page(
        str(result.dockerfile),
        optimize_summary_rows(result),
        result.message,
        result.status in ("optimized", "no-change"),
        optimize_headline(result),
        b.analysis if b is not None else None,
        a.analysis if a is not None else None,
        result.diff,
        candidate_rows(result),
        extra,
    )


FORMAT = StringFormat({"analyze": analysis_page, "compare": compare_page, "optimize": optimize_html})
