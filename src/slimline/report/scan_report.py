"""``slimline scan`` rendered: a terminal table, ``slimline.scan/v1`` JSON and SARIF 2.1.0.

The SARIF follows :mod:`slimline.report.sarif`'s conventions (schema URL, one run,
the driver named slimline with its version, ``invocations`` with notifications):
one rule per vulnerability, one result per affected package, located at the
image reference (an image has no source lines).
"""

from __future__ import annotations

from typing import Any, TextIO

from slimline import __version__
from slimline.report import RenderOptions
from slimline.report.safe import joined, json_dumps, one_line, report_console, visible
from slimline.vuln.model import Finding, Level, ScanResult

SCAN_SCHEMA = "slimline.scan/v1"

_STYLE = {
    Level.CRITICAL: "bold red",
    Level.HIGH: "red",
    Level.MEDIUM: "yellow",
    Level.LOW: "cyan",
    Level.NEGLIGIBLE: "dim",
    Level.UNKNOWN: "dim",
}
_SARIF_LEVEL = {
    Level.CRITICAL: "error",
    Level.HIGH: "error",
    Level.MEDIUM: "warning",
    Level.LOW: "note",
    Level.NEGLIGIBLE: "note",
    Level.UNKNOWN: "warning",
}


def _package(f: Finding) -> str:
    if f.source_package and f.source_package != f.package:
        return f"{f.package} ({f.source_package})"
    return f.package


def scan_text(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from rich.table import Table
    from rich.text import Text

    console = report_console(out, soft_wrap=False, pipe_width=120)
    console.print(Text(f"slimline scan {one_line(result.target)}", style="bold"))
    console.print(Text(f"{result.packages} packages; distribution "
                       f"{result.distro or 'not Debian or unknown'}; database "
                       f"{one_line(result.database)} (built {result.database_built})",
                       style="dim"))
    for warning in result.warnings:
        console.print(Text(f"warning: {visible(warning)}", style="yellow"))
    if result.findings:
        table = Table(show_header=True, header_style="bold")
        for name in ("severity", "package", "installed", "fixed in", "id", "aliases"):
            table.add_column(name, overflow="fold")
        rows = result.findings if options.top is None else result.findings[: options.top]
        for f in rows:
            table.add_row(Text(f.level.label, style=_STYLE[f.level]), one_line(_package(f)),
                          one_line(f.installed), joined(f.fixed) or "-", one_line(f.id),
                          joined(f.aliases))
        console.print(table)
        if len(rows) < len(result.findings):
            console.print(Text(f"... {len(result.findings) - len(rows)} more (--top)",
                               style="dim"))
    counts = ", ".join(f"{n} {label}" for label, n in result.counts().items() if n)
    console.print(Text(f"{len(result.findings)} findings of {result.distinct} vulnerabilities"
                       + (f": {counts}" if counts else ""), style="bold"))
    for f, rule in result.ignored:
        console.print(Text(f"ignored {one_line(f.id)} in {one_line(f.package)}: "
                           f"{visible(rule.reason, one_line=True)}", style="dim"))
    if result.failed and result.fail_on is not None:
        console.print(Text(f"failed: vulnerabilities of severity {result.fail_on.label} or "
                           "higher", style="bold red"))


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "aliases": list(f.aliases),
        "advisories": list(f.advisories),
        "severity": f.level.label,
        "cvss_score": f.score,
        "package": {
            "ecosystem": f.ecosystem,
            "name": f.package,
            "version": f.installed,
            "source": f.source_package or None,
        },
        "fixed_in": list(f.fixed),
        "summary": f.summary,
    }


def scan_dict(result: ScanResult) -> dict[str, Any]:
    return {
        "schema": SCAN_SCHEMA,
        "tool": {"name": "slimline", "version": __version__},
        "target": result.target,
        "distribution": result.distro or None,
        "database": {"path": result.database, "built": result.database_built},
        "packages": result.packages,
        "only_fixed": result.only_fixed,
        "fail_on": result.fail_on.label if result.fail_on is not None else None,
        "failed": result.failed,
        "counts": result.counts(),
        "distinct_vulnerabilities": result.distinct,
        "vulnerabilities": [_finding_dict(f) for f in result.findings],
        "ignored": [{**_finding_dict(f), "reason": rule.reason, "expires": rule.expires or None}
                    for f, rule in result.ignored],
        "expired_ignores": [{"id": r.id, "reason": r.reason, "expires": r.expires}
                            for r in result.expired],
        "warnings": list(result.warnings),
    }


def scan_json(result: ScanResult, options: RenderOptions | None = None) -> str:
    return json_dumps(scan_dict(result), ensure_ascii=True)


def _rule(f: Finding) -> dict[str, Any]:
    text = f.summary or f.id
    return {
        "id": f.id,
        "name": f.id,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": f"Aliases: {', '.join(f.aliases) or '-'}"},
        "defaultConfiguration": {"level": _SARIF_LEVEL[f.level]},
        "properties": {
            "tags": ["security", "vulnerability", f.level.label],
            "precision": "high",
            **({"security-severity": f"{f.score:.1f}"} if f.score is not None else {}),
        },
    }


def scan_sarif(result: ScanResult, options: RenderOptions | None = None) -> str:
    rules: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        rules.setdefault(f.id, _rule(f))
    index = {ident: i for i, ident in enumerate(rules)}
    results = []
    for f in result.findings:
        fixed = f"; fixed in {', '.join(f.fixed)}" if f.fixed else "; no fix yet"
        results.append({
            "ruleId": f.id,
            "ruleIndex": index[f.id],
            "level": _SARIF_LEVEL[f.level],
            "message": {"text": f"{f.package} {f.installed} is affected by {f.id}{fixed}"},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": result.target}},
                "logicalLocations": [{"name": f.package, "kind": "package",
                                      "fullyQualifiedName": f"{f.ecosystem}:{f.package}"}],
            }],
            "partialFingerprints": {"package/id": f"{f.ecosystem}:{f.package}/{f.id}"},
        })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "slimline", "version": __version__,
                                "semanticVersion": __version__, "rules": list(rules.values())}},
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": w}} for w in result.warnings],
            }],
            "results": results,
        }],
    }
    return json_dumps(doc, ensure_ascii=False)
