"""SARIF 2.1.0 output of ``slimline lint`` (GitHub code scanning and other viewers)."""

from __future__ import annotations

from typing import Any

from slimline import __version__
from slimline.lint.model import Rule, Severity
from slimline.lint.registry import all_rules
from slimline.report import RenderOptions, StringFormat
from slimline.report.model import LintReport
from slimline.report.safe import json_dumps

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


def to_sarif(report: LintReport, options: RenderOptions | None = None) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
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
    return json_dumps(doc, ensure_ascii=False)


def _scan_sarif(result: Any, options: RenderOptions | None = None) -> str:
    from slimline.report.scan_report import scan_sarif

    return scan_sarif(result, options)


FORMAT = StringFormat({"lint": to_sarif, "scan": _scan_sarif})
