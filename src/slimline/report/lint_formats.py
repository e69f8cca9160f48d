"""Machine-readable lint output: JSON (slimline.lint/v1), SARIF 2.1.0, GitHub annotations.

The JSON schema is documented in docs/json-schema/lint.md and only grows:
fields are added, never renamed or removed, within ``slimline.lint/v1``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from slimline import __version__
from slimline.lint.model import Finding, Rule, Severity
from slimline.lint.registry import all_rules


@dataclass(slots=True)
class LintReport:
    """Everything one ``slimline lint`` run found."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Files that could not be parsed: (path, line, message).
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)
    #: Files whose directory was not taken as their build context: (path, why).
    context_skipped: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(str(f.severity) for f in self.findings)


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "category": str(f.category),
        "message": f.message,
        "hint": f.hint,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "hadolint": list(f.hadolint),
        "fix": str(f.fix),
        "data": f.data,
    }


def to_json(report: LintReport) -> str:
    counts = report.counts()
    doc = {
        "schema": "slimline.lint/v1",
        "version": __version__,
        "files": [
            {"path": path, "findings": [finding_dict(f) for f in report.findings if f.path == path]}
            for path in report.files
        ],
        "errors": [{"path": p, "line": line, "message": m} for p, line, m in report.errors],
        "context_rules_skipped": [{"path": p, "reason": why} for p, why in report.context_skipped],
        "summary": {
            "files": len(report.files),
            "findings": len(report.findings),
            "by_severity": {str(s): counts.get(str(s), 0) for s in sorted(Severity, reverse=True)},
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def context_note(report: LintReport) -> str:
    """The one line saying that the context rules were skipped, for how many files, and why."""
    n = len(report.context_skipped)
    reasons = sorted({why for _, why in report.context_skipped})
    return (
        f"note: context rules (SL203-SL207) skipped for {n} file{'s' if n != 1 else ''} whose "
        f"directory does not look like the build context ({'; '.join(reasons)}); "
        "name the context with --context DIR to check it"
    )


_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.STYLE: "note",
}


def _sarif_rule(r: Rule) -> dict[str, Any]:
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.summary},
        "help": {"text": r.doc, "markdown": r.doc},
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        "properties": {
            "tags": [str(r.category), *[f"hadolint:{c}" for c in r.hadolint]],
            "precision": "high",
        },
    }


def to_sarif(report: LintReport) -> str:
    rules = list(all_rules())
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in report.findings:
        region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column}
        if f.end_line is not None:
            region["endLine"] = f.end_line
        if f.end_column is not None:
            region["endColumn"] = f.end_column
        message = f.message + (f". {f.hint}" if f.hint else "")
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": f.path.replace("\\", "/"),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": region,
                        }
                    }
                ],
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": path.replace("\\", "/"),
                            "uriBaseId": "%SRCROOT%",
                        },
                        **({"region": {"startLine": line}} if line else {}),
                    }
                }
            ],
        }
        for path, line, message in report.errors
    ]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "slimline",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


_GH_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.STYLE: "notice",
}


def to_github(report: LintReport) -> str:
    """GitHub Actions workflow commands (``::warning file=...::message``)."""
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
