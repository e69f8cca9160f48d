"""Terminal output for ``slimline lint``: findings grouped by file, with the source line."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.text import Text

from slimline.dockerfile.model import Dockerfile
from slimline.lint.model import Finding, Severity
from slimline.report.model import LintReport
from slimline.report.safe import one_line, visible

_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
    Severity.STYLE: "magenta",
}


def render_quiet(console: Console, report: LintReport) -> None:
    """The summary line only (``--quiet``)."""
    console.print(_summary(report))


def render_text(console: Console, report: LintReport, *, show_source: bool = True) -> None:
    """Findings grouped by file, each with its source lines and hint, then a summary."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_path[f.path].append(f)
    for path in [*report.files, *sorted(set(by_path) - set(report.files))]:
        findings = by_path.get(path)
        if not findings:
            continue
        console.print(Text(one_line(path), style="bold underline"))
        df = report.sources.get(path)
        for f in findings:
            line = Text("  ")
            line.append(f"{f.line}:{f.column}".ljust(7), style="dim")
            line.append(str(f.severity).ljust(8), style=_STYLE[f.severity])
            line.append(f"{f.code} ", style="bold")
            line.append(f"{f.name}  ", style="dim")
            line.append(visible(f.message))
            console.print(line, soft_wrap=True)
            if show_source and df is not None and f.path == df.display_path:
                _print_source(console, df, f)
            if f.hint:
                hint = Text("         ")
                hint.append("→ ", style="green")
                hint.append(visible(f.hint), style="green")
                console.print(hint, soft_wrap=True)
        console.print()
    console.print(_summary(report))


def _summary(report: LintReport) -> Text:
    """``Found 3 problems (1 error, 2 warning) in 2 files.``, or that none were found."""
    counts = report.counts()
    total = len(report.findings)
    files = len(report.files)
    parts = [
        f"{counts.get(str(s), 0)} {s}" for s in sorted(Severity, reverse=True) if counts.get(str(s))
    ]
    if total:
        summary = Text(f"Found {total} problem{'s' if total != 1 else ''} ", style="bold")
        summary.append(f"({', '.join(parts)}) in {files} file{'s' if files != 1 else ''}.")
    else:
        summary = Text(
            f"No problems found in {files} file{'s' if files != 1 else ''}.", style="bold green"
        )
    if report.errors:
        summary.append(f" {len(report.errors)} file(s) could not be parsed.", style="bold red")
    return summary


def _print_source(console: Console, df: Dockerfile, f: Finding) -> None:
    lines = df.text.splitlines()
    last = f.end_line or f.line
    shown = range(f.line, min(last, f.line + 2) + 1)
    width = len(str(shown[-1]))
    for n in shown:
        if 1 <= n <= len(lines):
            row = Text(f"    {str(n).rjust(width)} │ ", style="dim")
            row.append(one_line(lines[n - 1].rstrip("\r").expandtabs(4)))
            console.print(row, soft_wrap=True, overflow="ellipsis", no_wrap=True)
    if last > shown[-1]:
        console.print(Text(f"    {' ' * width} │ … ({last - shown[-1]} more line(s))", style="dim"))
