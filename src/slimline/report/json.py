"""JSON output of every command: ``slimline.lint/v1``, ``slimline.analyze/v1``,
``slimline.compare/v1``, ``slimline.optimize/v1``.

The schemas are documented in docs/json-schema/. Within v1 fields are only added,
never renamed or removed. Text is written as it was read; bytes of a file name that
are not UTF-8 appear as ``\\udcNN`` escapes (see :func:`slimline.report.safe.json_dumps`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from slimline import __version__
from slimline.analysis.model import (
    AnalysisResult,
    DockerfileRef,
    FileFact,
    LayerFacts,
    Recommendation,
)
from slimline.lint.model import Finding, Severity
from slimline.report import RenderOptions, StringFormat
from slimline.report.model import LintReport
from slimline.report.safe import json_dumps

if TYPE_CHECKING:
    from slimline.analysis.model import ImageSummary
    from slimline.compare import (
        AttackSurface,
        ComparedImage,
        CompareResult,
        KnownVulnerability,
        PackageChange,
        SurfaceCounts,
    )
    from slimline.optimize import ImageSide, OptimizeResult

SCHEMA = "slimline.analyze/v1"
LINT_SCHEMA = "slimline.lint/v1"
COMPARE_SCHEMA = "slimline.compare/v1"
OPTIMIZE_SCHEMA = "slimline.optimize/v1"


# -- lint ----------------------------------------------------------------------------------------


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


def lint_json(report: LintReport, options: RenderOptions | None = None) -> str:
    counts = report.counts()
    doc = {
        "schema": LINT_SCHEMA,
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
    return json_dumps(doc, ensure_ascii=False)


# -- analyze -------------------------------------------------------------------------------------


def _dockerfile(ref: DockerfileRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "path": ref.path,
        "line": ref.line,
        "end_line": ref.end_line,
        "keyword": ref.keyword,
        "text": ref.text,
    }


def _file(f: FileFact) -> dict[str, Any]:
    return {"path": f.path, "size": f.size, "layer": f.layer}


def _layer(layer: LayerFacts) -> dict[str, Any]:
    return {
        "index": layer.index,
        "diff_id": layer.diff_id,
        "digest": layer.digest,
        "media_type": layer.media_type or None,
        "compression": layer.compression,
        "blob_size": layer.blob_size,
        "tar_size": layer.tar_size,
        "size": layer.size,
        "final_bytes": layer.final_bytes,
        "wasted_bytes": layer.wasted_bytes,
        "removed_bytes": layer.removed_bytes,
        "base": layer.base,
        "history_index": layer.history_index if layer.history_index >= 0 else None,
        "created_by": layer.created_by,
        "instruction": layer.instruction,
        "created": layer.created,
        "comment": layer.comment or None,
        "entries": layer.entries,
        "files_added": layer.files_added,
        "files_changed": layer.files_changed,
        "files_removed": layer.files_removed,
        "dirs_added": layer.dirs_added,
        "whiteouts": layer.whiteouts,
        "largest_files": [_file(f) for f in layer.largest_files],
        "categories": layer.categories,
        "wasted_by": [{"layer": i, "bytes": b} for i, b in layer.wasted_by.items()],
        "removed_from": [{"layer": i, "bytes": b} for i, b in layer.removed_from.items()],
        "dockerfile": _dockerfile(layer.dockerfile),
    }


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.id,
        "message": r.message,
        "bytes": r.bytes,
        "layer": r.layer,
        "lint_rules": list(r.lint_rules),
        "dockerfile": _dockerfile(r.dockerfile),
    }


def _finite(value: float | None) -> float | None:
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return value


def analyze_dict(result: AnalysisResult) -> dict[str, Any]:
    """The JSON document for ``result`` as plain Python objects."""
    img = result.image
    dive = result.dive
    return {
        "schema": SCHEMA,
        "version": __version__,
        "image": {
            "reference": img.reference,
            "transport": img.transport,
            "name": img.name,
            "id": img.id,
            "manifest_digest": img.manifest_digest,
            "platform": img.platform,
            "created": img.created,
            "user": img.user,
            "entrypoint": list(img.entrypoint) if img.entrypoint is not None else None,
            "cmd": list(img.cmd) if img.cmd is not None else None,
            "working_dir": img.working_dir,
            "exposed_ports": list(img.exposed_ports),
            "layers": img.layer_count,
            "history_entries": img.history_count,
        },
        "summary": {
            "size": result.total_size,
            "final_size": result.final_size,
            "wasted_bytes": result.wasted_bytes,
            "reclaimable_bytes": result.reclaimable_bytes,
            "tar_size": result.tar_size,
            "blob_size": result.blob_size,
            "compressed_size": result.compressed_size,
            "files": result.final_files,
            "dirs": result.final_dirs,
            "efficiency": dive.efficiency,
        },
        "base": {
            "layers": result.base.layers,
            "history_entries": result.base.history_entries,
            "method": result.base.method,
            "name": result.base.name,
            "size": result.base.size,
        },
        "dive": {
            "efficiency": dive.efficiency,
            "wasted_bytes": dive.wasted_bytes,
            "user_wasted_percent": _finite(dive.user_wasted_percent),
            "size_bytes": dive.size_bytes,
            "user_size_bytes": dive.user_size_bytes,
            "inefficient_files": [
                {"path": p, "count": n, "size": b} for p, n, b in dive.inefficient_files
            ],
        },
        "layers": [_layer(layer) for layer in result.layers],
        "largest_files": [_file(f) for f in result.largest_files],
        "largest_dirs": [
            {"path": d.path, "size": d.size, "files": d.files} for d in result.largest_dirs
        ],
        "categories": [
            {
                "id": c.id,
                "title": c.title,
                "kind": c.kind,
                "final_bytes": c.final_bytes,
                "final_files": c.final_files,
                "wasted_bytes": c.wasted_bytes,
                "by_layer": [{"layer": i, "bytes": b} for i, b in sorted(c.by_layer.items())],
                "final_by_layer": [
                    {"layer": i, "bytes": b} for i, b in sorted(c.final_by_layer.items())
                ],
                "lint_rules": list(c.lint_rules),
            }
            for c in result.categories
        ],
        "present": [
            {"category": p.category, "title": p.title, "paths": list(p.paths), "bytes": p.bytes}
            for p in result.present
        ],
        "recommendations": [_recommendation(r) for r in result.recommendations],
        "gates": {
            "checked": bool(result.gates),
            "passed": not result.gates_failed,
            "results": [
                {
                    "key": g.key,
                    "threshold": g.threshold,
                    "value": g.value,
                    "status": g.status,
                    "message": g.message,
                }
                for g in result.gates
            ],
        },
        "dockerfile": result.dockerfile,
        "warnings": list(result.warnings),
    }


def analyze_json(result: AnalysisResult, options: RenderOptions | None = None) -> str:
    """The JSON document, indented, with a trailing newline."""
    return json_dumps(analyze_dict(result), ensure_ascii=False)


# -- compare -------------------------------------------------------------------------------------


def _side_json(side: ComparedImage, result: CompareResult) -> dict[str, Any]:
    return {
        "reference": side.reference,
        "name": side.name,
        "id": side.id,
        "platform": side.platform,
        "size": side.size,
        "size_source": side.size_source,
        "content_size": side.content_size,
        "compressed_size": side.compressed_size,
        "layers": side.layers,
        "files": side.files,
        "efficiency": side.efficiency,
        "wasted_bytes": side.wasted_bytes,
        "reclaimable_bytes": side.reclaimable_bytes,
        "base": {
            "name": side.base_name,
            "method": side.base_method,
            "layers": side.base_layers,
            "size": side.base_size,
        },
        "user": side.user,
        "shells": _tool_paths(side, "shells"),
        "package_managers": _tool_paths(side, "package-managers"),
        "package_counts": side.package_counts(),
        "pull_seconds": round(result.pull_seconds(side), 3),
        "measured_pull": (
            {"seconds": round(side.measured_pull.seconds, 3), "bytes": side.measured_pull.bytes}
            if side.measured_pull is not None
            else None
        ),
    }


def _tool_paths(side: ImageSummary, category: str) -> list[str]:
    tool = side.tool(category)
    return list(tool.paths) if tool is not None else []


def _known(listed: list[KnownVulnerability]) -> list[dict[str, Any]]:
    return [{"id": v.id, "severity": v.severity, "packages": list(v.packages),
             "aliases": list(v.aliases)} for v in listed]


def surface_json(surface: AttackSurface | None) -> dict[str, Any] | None:
    """The attack surface before -> after (compare's ``attack_surface``, optimize's too)."""
    if surface is None:
        return None
    vulns = surface.vulnerabilities

    def side(counts: SurfaceCounts) -> dict[str, Any]:
        return {
            "packages": counts.packages,
            "shells": list(counts.shells),
            "package_managers": list(counts.package_managers),
            "setid_files": list(counts.setid_files),
        }

    return {
        "a": side(surface.a),
        "b": side(surface.b),
        "vulnerabilities": None if vulns is None else {
            "database": vulns.database,
            "database_built": vulns.database_built,
            "before": vulns.before,
            "after": vulns.after,
            "removed": vulns.removed,
            "added": vulns.added,
            "removed_vulnerabilities": _known(vulns.removed_list),
            "added_vulnerabilities": _known(vulns.added_list),
            "warnings": list(vulns.warnings),
        },
        "vulnerabilities_note": surface.vulnerabilities_note,
    }


def compare_dict(result: CompareResult, *, top: int | None = None) -> dict[str, Any]:
    from slimline.report.views import highlights

    paths = result.paths if top is None else result.paths[:top]
    return {
        "schema": COMPARE_SCHEMA,
        "version": __version__,
        "a": _side_json(result.a, result),
        "b": _side_json(result.b, result),
        "bandwidth_bps": result.bandwidth_bps,
        "pull_basis": result.pull_basis,
        "differences": [
            {
                "path": c.path,
                "kind": c.kind,
                "change": c.change,
                "files": c.files,
                "bytes_a": c.bytes_a,
                "bytes_b": c.bytes_b,
                "delta": c.delta,
            }
            for c in paths
        ],
        "differences_total": len(result.paths),
        "packages": package_changes_json(result.packages),
        "removed_toolchain": [p.name for p in result.removed_toolchain],
        "tools": [
            {
                "category": t.category,
                "title": t.title,
                "in_a": t.in_a,
                "in_b": t.in_b,
                "removed": list(t.removed),
                "added": list(t.added),
            }
            for t in result.tools
        ],
        "attack_surface": surface_json(result.surface),
        "highlights": highlights(result),
        "warnings": list(result.warnings),
    }


def package_changes_json(packages: list[PackageChange]) -> list[dict[str, Any]]:
    return [
        {
            "ecosystem": p.ecosystem,
            "name": p.name,
            "change": p.change,
            "version_a": p.version_a,
            "version_b": p.version_b,
            "size_a": p.size_a,
            "size_b": p.size_b,
            "toolchain": p.toolchain,
        }
        for p in packages
    ]


def compare_json(result: CompareResult, options: RenderOptions | None = None) -> str:
    return json_dumps(compare_dict(result, top=options.top if options else None), ensure_ascii=True)


# -- optimize ------------------------------------------------------------------------------------


def _optimize_side(side: ImageSide | None) -> dict[str, Any] | None:
    if side is None:
        return None
    summary = side.summary
    return {
        "tag": side.tag,
        "image_id": side.image_id,
        "size": side.size,
        "layers": side.layers,
        "build_seconds": round(side.build_seconds, 3),
        "builder": side.builder,
        "probe_passed": side.probe_passed,
        "probe_detail": side.probe_detail,
        "efficiency": summary.efficiency if summary else None,
        "reclaimable_bytes": summary.reclaimable_bytes if summary else None,
        "user_bytes": summary.user_bytes if summary else None,
        "base_bytes": summary.base_size if summary else None,
        "categories": summary.categories if summary else {},
        "present": summary.tool_names() if summary else [],
    }


def optimize_dict(result: OptimizeResult) -> dict[str, Any]:
    return {
        "schema": OPTIMIZE_SCHEMA,
        "version": __version__,
        "dockerfile": str(result.dockerfile),
        "context": str(result.context),
        "status": result.status,
        "message": result.message,
        "verified": result.verified,
        "probe": result.probe,
        "engine": result.engine,
        "builder": result.builder,
        "findings": [
            {"code": f.code, "line": f.line, "severity": str(f.severity), "message": f.message}
            for f in result.findings
        ],
        "fixed": sorted({f.code for f in result.fix.applied}),
        "remaining": [{"code": f.code, "line": f.line} for f in result.fix.remaining],
        "diff": result.diff,
        "before": _optimize_side(result.before),
        "after": _optimize_side(result.after),
        "ratio": result.ratio(),
        "bandwidth_bps": result.bandwidth_bps,
        "pull_seconds": {
            "before": result.pull_seconds(result.before.size) if result.before else None,
            "after": result.pull_seconds(result.after.size) if result.after else None,
        },
        "failed_step": result.failed_step,
        "failure_log": result.failure_log,
        "notes": result.notes,
        "runtime": result.runtime or None,
        "candidates": [
            {
                "runtime": c.runtime,
                "outcome": c.outcome,
                "reason": c.reason,
                "image": _optimize_side(c.side) if c.side is not None and c.side.size else None,
                "notes": c.notes,
                "failure_log": c.failure_log,
            }
            for c in result.candidates
        ],
        "packages": None if result.surface is None else
        package_changes_json(result.surface.packages),
        "attack_surface": None if result.surface is None else
        surface_json(result.surface.surface),
    }


def optimize_json(result: OptimizeResult, options: RenderOptions | None = None) -> str:
    return json_dumps(optimize_dict(result), ensure_ascii=True)


def _compose_json(result: Any, options: RenderOptions | None = None) -> str:
    from slimline.report.compose import compose_json

    return compose_json(result, options)


def _sbom_json(result: Any, options: RenderOptions) -> str:
    from slimline.report.sbom_json import sbom_json

    return sbom_json(result, options)


def _scan_json(result: Any, options: RenderOptions | None = None) -> str:
    from slimline.report.scan_report import scan_json

    return scan_json(result, options)


FORMAT = StringFormat(
    {
        "lint": lint_json,
        "analyze": analyze_json,
        "compare": compare_json,
        "optimize": optimize_json,
        "optimize-compose": _compose_json,
        "sbom": _sbom_json,
        "scan": _scan_json,
    }
)
