"""scripts/realworld.py: the manifest, base overrides, probe options and the table (no engine)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

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
