"""scripts/realworld.py on compose projects: the total, each service's runtime and
probe, one table row per project (no engine)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "realworld.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld_script_compose", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


rw = _load()


def service(name: str, status: str, before: int, after: int, kept: bool, probe: str) -> Any:
    return {
        "name": name,
        "status": status,
        "message": f"{name} said {status}",
        "before": before,
        "after": after,
        "kept": kept,
        "probe": probe,
        "runtime": "gcr.io/distroless/python3-debian12:nonroot" if kept else "node:18-slim",
    }


API = dict(
    service("api", "optimized", 150_000_000, 50_000_000, True, "passed"),
    optimize={"probe": "GET / on container port 8000 answers 200"},
)
GO = service("go", "optimized", 800_000_000, 2_000_000, True, "passed")
WEB_ALONE = service(
    "web", "not-verifiable", 300_000_000, 290_000_000, False, "FAILED (the original too)"
)


def test_both_services_passing() -> None:
    fields = rw.compose_fields([API, GO], {"before": 950_000_000, "after": 52_000_000})
    assert fields["status"] == "optimized" and fields["probe_after"] is True
    assert (fields["before"], fields["after"]) == (950_000_000, 52_000_000)
    assert round(fields["ratio"], 4) == round(52 / 950, 4)
    assert fields["runtime"] == "api distroless/python3, go distroless/python3"
    assert rw._probe_cell(fields) == "passed (2 services)"
    assert fields["probe"] == "api: GET / on container port 8000 answers 200"


def test_a_service_not_verifiable_alone() -> None:
    # No total given (an attempt recorded before): summed, the kept image or the original.
    fields = rw.compose_fields([API, WEB_ALONE])
    assert (fields["before"], fields["after"]) == (450_000_000, 350_000_000)
    assert fields["status"] == "not-verifiable" and fields["probe_after"] is False
    assert fields["runtime"] == "api distroless/python3, web original"
    assert rw._probe_cell(fields) == (
        "api passed, web not verifiable alone (the original fails too)"
    )
    failed = dict(WEB_ALONE, status="probe-failed", probe="FAILED")
    assert rw.compose_fields([API, failed])["status"] == "probe-failed"
    skipped = {"name": "db", "status": "skipped", "message": "not built", "before": None}
    none = rw.compose_fields([skipped])
    assert none["status"] == "error" and none["before"] is None and none["ratio"] is None
    assert rw._probe_cell(none) == "not run (error)"


def test_table_has_one_row_per_compose_project() -> None:
    old = {
        "runtime_requested": "auto",
        "runtime": "auto",
        "status": None,
        "services": [API, WEB_ALONE],
    }
    new = {"runtime_requested": "auto", **rw.compose_fields([API, GO])}
    results = {
        "schema": rw.SCHEMA,
        "projects": {
            "old": {"name": "old", "order": 0, "origin": "a/b@1", "shape": "s", "attempts": [old]},
            "new": {"name": "new", "order": 1, "origin": "c/d@2", "shape": "t", "attempts": [new]},
        },
    }
    table = rw.render_table(results)
    lines = table.splitlines()
    assert lines[2] == (
        "| old | a/b@1 | s | 450.0 MB | 350.0 MB | 0.78x | api distroless/python3, web original "
        "| api passed, web not verifiable alone (the original fails too) |"
    )
    assert lines[3] == (
        "| new | c/d@2 | t | 950.0 MB | 52.0 MB | 0.05x | api distroless/python3, "
        "go distroless/python3 | passed (2 services) |"
    )
    assert "2 projects: probe passed on 1; passing and at least 5 % smaller on 1 (50 %)" in table
    assert "a service not verifiable alone (its original fails its probe) in 1" in table
    assert (
        "services: api 150.0 MB -> 50.0 MB (distroless/python3, optimized, probe passed); "
        "web 300.0 MB -> 300.0 MB (original, not-verifiable, probe FAILED (the original too))"
    ) in table
    assert "not-verifiable: web: web said not-verifiable" in table and "api said" not in table
    assert "- new: api: GET / on container port 8000 answers 200" in table
