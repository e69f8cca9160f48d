"""Terminal output (rich) of every command: one module per command.

The console comes from :func:`slimline.report.safe.report_console`: no markup, no
emoji codes, control characters and undecodable bytes made visible. Piped to
stdout, ``analyze`` keeps 120 columns (its tables are wide), the others rich's
default; written to a file every report has 120 columns and no colours.
"""

from __future__ import annotations

from typing import Any, TextIO

from slimline.report import RenderOptions, WriterFormat
from slimline.report.safe import report_console


def _lint(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.text.lint import render_quiet, render_text

    console = report_console(out)
    if options.quiet:
        render_quiet(console, result)
    else:
        render_text(console, result, show_source=options.show_source)
    note = result.context_note()
    if note:
        console.print(note, soft_wrap=True)


def _analyze(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.text.analyze import render_text

    console = report_console(out, soft_wrap=False, pipe_width=120, highlight=True)
    render_text(console, result, top=10 if options.top is None else options.top)


def _compare(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.text.compare import render_text

    render_text(report_console(out), result, top=15 if options.top is None else options.top)


def _optimize(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.text.optimize import render_text

    render_text(report_console(out), result)


def _optimize_compose(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.compose import write_text

    write_text(result, out, options)


def _sbom(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.sbom_text import write_sbom_text

    write_sbom_text(result, out, options)


def _scan(result: Any, out: TextIO, options: RenderOptions) -> None:
    from slimline.report.scan_report import scan_text

    scan_text(result, out, options)


FORMAT = WriterFormat(
    {
        "lint": _lint,
        "analyze": _analyze,
        "compare": _compare,
        "optimize": _optimize,
        "optimize-compose": _optimize_compose,
        "sbom": _sbom,
        "scan": _scan,
    }
)
