"""GitHub Actions workflow commands of ``slimline lint`` (``::warning file=...::message``)."""

from __future__ import annotations

from slimline.lint.model import Severity
from slimline.report import RenderOptions, StringFormat
from slimline.report.model import LintReport
from slimline.report.safe import visible


def _gh_escape(text: str, prop: bool = False) -> str:
    text = visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


_GH_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.STYLE: "notice",
}


def to_github(report: LintReport, options: RenderOptions | None = None) -> str:
    """One workflow command per finding and per file that could not be parsed."""
    lines = []
    for f in report.findings:
        props = [f"file={_gh_escape(f.path, True)}", f"line={f.line}", f"col={f.column}"]
        if f.end_line is not None:
            props.append(f"endLine={f.end_line}")
        props.append(f"title={_gh_escape(f'{f.code} {f.name}', True)}")
        message = f.message + (f". {f.hint}" if f.hint else "")
        lines.append(f"::{_GH_LEVEL[f.severity]} {','.join(props)}::{_gh_escape(message)}")
    for path, line, message in report.errors:
        loc = f"file={_gh_escape(path, True)}" + (f",line={line}" if line else "")
        lines.append(f"::error {loc},title=parse error::{_gh_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMAT = StringFormat({"lint": to_github})
