"""scripts/realworld.py: the manifest, base overrides, probe options, compose projects and the
table (no engine)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "realworld.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


rw = _load()

MANIFEST = """
[[project]]
name = "flask-app"
repo = "someone/flask-app"
commit = "0123456789abcdef0123456789abcdef01234567"
subdir = "backend"
shape = "Flask on python:3.10-slim"
probe = { port = 5000, path = "/health", body_contains = "ok", env = { TOKEN = "x y" } }
overrides = [{ file = "Dockerfile", from = "python:3.10-slim", to = "python:3.11-slim" }]

[[project]]
name = "stack"
repo = "someone/stack"
commit = "fedcba9876543210fedcba9876543210fedcba98"
shape = "compose, two services"
compose = true
"""


def test_manifest_reads_projects_with_origins(tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(MANIFEST, encoding="utf-8")
    first, second = rw.load_manifest(path)
    assert first.origin == "someone/flask-app@0123456789ab:backend"
    assert first.overrides == (rw.Override("Dockerfile", "python:3.10-slim", "python:3.11-slim"),)
    assert second.compose and not second.probe


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[project]]\nname = "Bad Name"\n', "lower-case"),
        ('[[project]]\nname = "a"\nrepo = "r"\ncommit = "c"\nshape = "s"\n', "probe"),
        ('[[project]]\nname = "a"\nrepo = "r"\ncommit = "c"\nshape = "s"\nport = 1\n', "unknown"),
        ("title = 1\n", r"no \[\[project\]\]"),
        ("[[project]\n", "invalid TOML"),
    ],
)
def test_manifest_errors_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rw.ManifestError, match=message):
        rw.load_manifest(path)


def test_override_replaces_only_the_named_base() -> None:
    text = "FROM python:3.10-slim AS base\nRUN echo python:3.10-slim\nfrom python:3.10-slim\n"
    new = rw.apply_override(text, rw.Override("Dockerfile", "python:3.10-slim", "python:3.11-slim"))
    assert (
        new == "FROM python:3.11-slim AS base\nRUN echo python:3.10-slim\nfrom python:3.11-slim\n"
    )
    with pytest.raises(rw.ManifestError, match=r"no FROM python:3\.10"):
        rw.apply_override(
            "FROM python:3.10-slim-bookworm\n", rw.Override("D", "python:3.10-slim", "x")
        )


def test_probe_options_and_toml() -> None:
    probe = {"port": 8000, "path": "/", "command_never": None}
    with pytest.raises(rw.ManifestError, match="command_never"):
        rw.probe_arguments(probe)
    assert rw.probe_arguments({"command": ["app", "--check it"], "output_contains": "ok"}) == [
        "--probe-command", "app '--check it'", "--probe-output", "ok",
    ]  # fmt: skip
    text = rw.probe_toml({"port": 5000, "env": {"TOKEN": 'a "b"'}})
    import tomllib

    assert tomllib.loads(text) == {"probe": {"port": 5000, "env": {"TOKEN": 'a "b"'}}}


def test_final_base_and_runtime_label(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.11-slim AS builder\nRUN true\n"
        "FROM --platform=linux/amd64 gcr.io/distroless/python3-debian12:nonroot\n",
        encoding="utf-8",
    )
    assert rw.final_base(dockerfile) == "gcr.io/distroless/python3-debian12:nonroot"
    assert rw.runtime_label(rw.final_base(dockerfile)) == "distroless/python3"
    assert rw.runtime_label("python:3.11-slim") == "python:3.11-slim"


def test_table_shows_last_attempt_and_why_earlier_ones_were_dropped() -> None:
    results = {
        "schema": rw.SCHEMA,
        "projects": {
            "flask-app": {
                "name": "flask-app",
                "origin": "someone/flask-app@0123456789ab",
                "shape": "Flask | slim",
                "overrides": ["Dockerfile: FROM python:3.10-slim -> python:3.11-slim"],
                "attempts": [
                    {
                        "runtime_requested": "distroless",
                        "status": "probe-failed",
                        "message": "the optimized image FAILS its probe",
                    },
                    {
                        "runtime_requested": "slim",
                        "status": "optimized",
                        "message": "2x",
                        "before": 160_000_000,
                        "after": 80_000_000,
                        "ratio": 0.5,
                        "runtime": "python:3.11-slim",
                        "probe_before": True,
                        "probe_after": True,
                    },
                ],
            },
            "go": {
                "name": "go",
                "origin": "someone/go@fedcba987654",
                "shape": "Go",
                "attempts": [
                    {
                        "probe": "GET / on port 8080",
                        "runtime_requested": "distroless",
                        "status": "no-gain",
                        "message": "not smaller",
                        "before": 5_000_000,
                        "after": 5_000_000,
                        "ratio": 1.0,
                        "probe_before": True,
                        "probe_after": True,
                    }
                ],
            },
        },
    }
    table = rw.render_table(results)
    lines = table.splitlines()
    assert lines[2] == (
        "| flask-app | someone/flask-app@0123456789ab | Flask \\| slim | 160.0 MB | 80.0 MB "
        "| 0.50x | python:3.11-slim | passed |"
    )
    assert "2 projects: probe passed on 2; passing and at least 5 % smaller on 1 (50 %)" in table
    assert "`--runtime distroless`: probe-failed" in table
    assert "**go**: no-gain: not smaller" in table
    assert "- go: GET / on port 8080" in table  # the probes are listed after the notes
    assert rw._probe_cell({"status": "error"}) == "not run (error)"


def test_a_declined_rewrite_is_worth_another_runtime() -> None:
    declined = "line 1: SL103 not fixed: cannot run line 8 (CMD) with distroless python"
    assert rw._worth_retrying({"status": "optimized", "notes": [declined]})
    assert rw._worth_retrying({"status": "no-gain", "notes": []})
    assert not rw._worth_retrying({"status": "optimized", "notes": ["line 3: SL203: x"]})


def test_run_refuses_an_unknown_only_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "projects.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    code = rw.main(
        ["run", "--manifest", str(manifest), "--projects", str(tmp_path), "--only", "nope",
         "--results", str(tmp_path / "r.json")]
    )  # fmt: skip
    assert code == 2
    assert "no project nope" in capsys.readouterr().err


def test_run_skips_projects_already_in_the_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "projects.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    results = tmp_path / "r.json"
    done = {"attempts": [{"status": "optimized"}]}
    results.write_text(
        json.dumps({"schema": rw.SCHEMA, "projects": {"flask-app": done, "stack": done}}),
        encoding="utf-8",
    )
    code = rw.main(
        ["run", "--manifest", str(manifest), "--projects", str(tmp_path), "--results", str(results)]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "[flask-app] already in" in err and "0 project(s) run" in err


# Compose projects: the total, each service's runtime and probe, one row per project.


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
