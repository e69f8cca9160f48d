"""Terminal output of ``slimline analyze``: summary, layers, where the bytes are, advice."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline.analysis.model import AnalysisResult, DockerfileRef, LayerFacts
from slimline.report.safe import joined, one_line, visible
from slimline.units import human_size, share

_GATE_STYLE = {"pass": "green", "fail": "bold red", "disabled": "dim"}


def _where(ref: DockerfileRef | None) -> str:
    return f"{one_line(ref.path)}:{ref.line}" if ref is not None else ""


def _short_digest(digest: str) -> str:
    return digest.partition(":")[2][:12] or digest


def render_text(console: Console, result: AnalysisResult, *, top: int = 10) -> None:
    """Print the analysis of one image."""
    img = result.image
    dive = result.dive
    head = Text()
    head.append(one_line(img.name), style="bold")
    head.append(f"  {_short_digest(img.id)}  {one_line(img.platform)}  ", style="dim")
    head.append(f"({img.transport})", style="dim")
    console.print(head)

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="dim")
    summary.add_column()
    summary.add_row(
        "size",
        f"{human_size(result.total_size)} in {img.layer_count} layers ({result.final_files} files)",
    )
    if result.compressed_size is not None:
        summary.add_row("compressed", human_size(result.compressed_size))
    summary.add_row("squashed", human_size(result.final_size))
    summary.add_row(
        "reclaimable",
        Text(
            f"{human_size(result.reclaimable_bytes)} "
            f"({share(result.reclaimable_bytes, result.total_size)}): in layers, not in the "
            "final filesystem",
            style="yellow" if result.reclaimable_bytes else "",
        ),
    )
    user = (
        f"{100 * dive.user_wasted_percent:.1f}%" if dive.user_wasted_percent is not None else "n/a"
    )
    summary.add_row(
        "efficiency",
        f"{100 * dive.efficiency:.2f}%  (dive: wasted "
        f"{human_size(dive.wasted_bytes)}, user wasted {user})",
    )
    base = result.base
    if base.layers:
        name = f" {one_line(base.name)}," if base.name else ""
        count = f"{base.layers} layer" + ("s" if base.layers != 1 else "")
        summary.add_row(
            "base",
            f"{name} {count}, {human_size(base.size)} "
            f"({share(base.size, result.total_size)}; from {base.method})".strip(),
        )
    if img.user or img.entrypoint or img.cmd:
        run = joined([*(img.entrypoint or ()), *(img.cmd or ())], " ")
        summary.add_row("runs", f"{run or '-'}  as {one_line(img.user or 'root')}")
    console.print(summary)
    console.print()

    _layers(console, result)
    _largest(console, result, top)
    _categories(console, result)
    _recommendations(console, result, top)
    _gates(console, result)
    for warning in result.warnings:
        console.print(Text(f"warning: {visible(warning)}", style="yellow"))


def _layers(console: Console, result: AnalysisResult) -> None:
    table = Table(title="Layers", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("size", justify="right", no_wrap=True)
    table.add_column("blob", justify="right", no_wrap=True)
    table.add_column("files +/~/-", justify="right", no_wrap=True)
    table.add_column("wasted", justify="right", no_wrap=True)
    table.add_column("instruction", overflow="ellipsis", no_wrap=True, max_width=64)
    has_dockerfile = any(layer.dockerfile is not None for layer in result.layers)
    if has_dockerfile:
        table.add_column("line", justify="right", no_wrap=True, min_width=4)
    for layer in result.layers:
        row = _layer_row(layer)
        if has_dockerfile:
            row.append(str(layer.dockerfile.line) if layer.dockerfile else "")
        table.add_row(*row, style="dim" if layer.base else None)
    console.print(table)


def _layer_row(layer: LayerFacts) -> list[str | Text]:
    blob = (
        human_size(layer.blob_size)
        if layer.blob_size is not None and layer.compression not in (None, "none")
        else "-"
    )
    files = f"+{layer.files_added}/~{layer.files_changed}/-{layer.files_removed}"
    wasted = (
        Text(human_size(layer.wasted_bytes), style="yellow") if layer.wasted_bytes else Text("-")
    )
    instruction = one_line(" ".join(layer.instruction.split())) or "(unknown)"
    if layer.base:
        instruction = "[base] " + instruction
    return [str(layer.index + 1), human_size(layer.size), blob, files, wasted, instruction]


def _largest(console: Console, result: AnalysisResult, top: int) -> None:
    files = [(human_size(f.size), str(f.layer + 1), f.path) for f in result.largest_files[:top]]
    dirs = [(human_size(d.size), str(d.files), d.path) for d in result.largest_dirs[:top]]
    for title, middle, rows in (("Largest files", "layer", files),
                                ("Largest directories", "files", dirs)):
        if not rows:
            continue
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("size", justify="right")
        table.add_column(middle, justify="right")
        table.add_column("path", overflow="fold")
        for size, count, path in rows:
            table.add_row(size, count, one_line(path))
        console.print(table)


def _categories(console: Console, result: AnalysisResult) -> None:
    waste = [c for c in result.categories if c.kind == "waste"]
    if waste:
        table = Table(
            title="Bytes by category", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
        )
        table.add_column("category")
        table.add_column("in image", justify="right")
        table.add_column("files", justify="right")
        table.add_column("wasted", justify="right")
        table.add_column("layers")
        table.add_column("lint")
        for c in sorted(waste, key=lambda c: -(c.final_bytes + c.wasted_bytes)):
            layers = ", ".join(str(i + 1) for i in sorted(c.by_layer))
            table.add_row(
                c.title,
                human_size(c.final_bytes),
                str(c.final_files),
                human_size(c.wasted_bytes) if c.wasted_bytes else "-",
                layers,
                ", ".join(c.lint_rules),
            )
        console.print(table)
    if result.present:
        console.print(Text("Tools in the final image", style="italic"))
        for p in result.present:
            paths = joined(p.paths[:6]) + (f", ... ({len(p.paths)})" if len(p.paths) > 6 else "")
            console.print(f"  {p.title}: {paths}", soft_wrap=True)
        console.print()


def _recommendations(console: Console, result: AnalysisResult, top: int) -> None:
    if not result.recommendations:
        return
    console.print(Text("Recommendations", style="italic"))
    for r in result.recommendations[:top]:
        line = Text("  • ")
        line.append(visible(r.message))
        if r.lint_rules:
            line.append(f"  [{', '.join(r.lint_rules)}]", style="cyan")
        where = _where(r.dockerfile)
        if where:
            line.append(f"  {where}", style="dim")
        console.print(line, soft_wrap=True)
    hidden = len(result.recommendations) - top
    if hidden > 0:
        console.print(Text(f"  ... {hidden} more (--top, or --format json)", style="dim"))
    console.print()


def _gates(console: Console, result: AnalysisResult) -> None:
    if not result.gates:
        return
    console.print(Text("CI gates", style="italic"))
    for g in result.gates:
        line = Text("  ")
        line.append(g.status.upper().ljust(10), style=_GATE_STYLE.get(g.status, ""))
        line.append(f"{g.key}: {visible(g.message)}")
        console.print(line, soft_wrap=True)
    verdict = "FAIL" if result.gates_failed else "PASS"
    console.print(
        Text(f"  {verdict}", style=_GATE_STYLE["fail" if result.gates_failed else "pass"])
    )
