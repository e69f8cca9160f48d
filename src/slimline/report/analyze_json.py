"""JSON output of ``slimline analyze`` (``slimline.analyze/v1``).

The schema is documented in docs/json-schema/analyze.md. Within v1 fields are only
added, never renamed or removed.
"""

from __future__ import annotations

import json
import math
from typing import Any

from slimline import __version__
from slimline.analysis.model import (
    AnalysisResult,
    DockerfileRef,
    FileFact,
    LayerFacts,
    Recommendation,
)

SCHEMA = "slimline.analyze/v1"


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


def to_dict(result: AnalysisResult) -> dict[str, Any]:
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


def render_json(result: AnalysisResult) -> str:
    """The JSON document, indented, with a trailing newline."""
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
