"""`slimline optimize --unsafe` with the default `--runtime auto`, with the real engine.

On the Flask + gunicorn project on `python:3.11-slim`, distroless and slim are both
built and probed: distroless is kept (the smallest that passes), slim is listed as tried
and larger, and it is no longer larger than the original (the slim-on-slim gap: the venv
carried setuptools). When distroless cannot run the project (a shell-form CMD that needs
a shell to expand `${PORT:-8000}`), distroless is declined with the reason, nothing is
built for it, and slim is kept. Both projects share their dependencies, so the builder
stage is built once. Project copies are named `auto-*` so their tags are this test's own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slimline.cli.commands import optimize as _optimize  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MB = 1_000_000


def run_auto(project: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    result = CliRunner().invoke(cli, ["optimize", str(project), "--unsafe", "--format", "json", *args])
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def by_runtime(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["runtime"]: c for c in doc["candidates"]}


def test_auto_keeps_distroless_and_lists_slim(engine: Engine, examples_dir: Path, tmp_path: Path) -> None:
    project = tmp_path / "auto-flask-slim-gunicorn"
    shutil.copytree(examples_dir / "flask-slim-gunicorn", project)
    code, doc, err = run_auto(project, "--write")
    assert code == 0, doc["message"]
    assert doc["status"] == "optimized" and doc["runtime"] == "distroless", doc["message"]
    assert doc["message"].startswith("distroless runtime kept:")
    cands = by_runtime(doc)
    assert list(cands) == ["distroless", "slim"]  # Python never runs on scratch: not a candidate
    distroless, slim = cands["distroless"], cands["slim"]
    assert distroless["outcome"] == "kept"
    assert distroless["reason"] == "kept: the smallest that passed its probe"
    assert slim["outcome"] == "dropped" and slim["reason"].startswith("larger than distroless")
    before = doc["before"]
    for cand in (distroless, slim):
        image = cand["image"]
        assert image["probe_passed"] is True
        assert image["size"] == engine.image_size(image["tag"])
    assert doc["after"]["tag"] == distroless["image"]["tag"]
    assert distroless["image"]["size"] <= 0.5 * before["size"]
    # the slim candidate, on the project's own base, no longer carries pip/setuptools/wheel
    assert slim["image"]["size"] <= before["size"] + 0.2 * MB, (before["size"], slim["image"]["size"])
    print(
        "optimize auto flask-slim-gunicorn: before "
        + ", ".join(f"{r} {c['image']['size'] / MB:.1f} MB" for r, c in cands.items())
        + f" (original {before['size'] / MB:.1f} MB)"
    )
    # one progress line per candidate build
    assert "candidate 1/2: the distroless runtime" in err and "candidate 2/2: the slim runtime" in err
    written = (project / "Dockerfile").read_text()
    assert "FROM gcr.io/distroless/python3-debian12:nonroot" in written
    # the written winner is a no-op the second time: nothing to try, nothing rewritten
    code, again, _ = run_auto(project, "--write")
    assert code == 0 and again["status"] == "no-change", again["diff"]
    assert again["candidates"] == [] and (project / "Dockerfile").read_text() == written


def test_auto_falls_back_to_slim_when_distroless_cannot_run_it(
    engine: Engine, examples_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / "auto-flask-port-env"
    shutil.copytree(examples_dir / "flask-slim-gunicorn", project)
    dockerfile = project / "Dockerfile"
    text = dockerfile.read_text()
    shell_cmd = "CMD gunicorn --bind 0.0.0.0:${PORT:-8000} --workers 2 app:app"
    dockerfile.write_text(text.replace("CMD gunicorn --bind 0.0.0.0:8000 --workers 2 app:app", shell_cmd))
    code, doc, err = run_auto(project)
    assert code == 0, doc["message"]
    assert doc["runtime"] == "slim", doc["message"]
    assert doc["after"]["probe_passed"] is True
    cands = by_runtime(doc)
    assert list(cands) == ["distroless", "slim"]
    distroless = cands["distroless"]
    assert distroless["outcome"] == "declined" and distroless["image"] is None
    assert distroless["reason"].startswith("declined: cannot run line 14 (CMD) with distroless python")
    assert "use --runtime slim" in distroless["reason"]
    assert cands["slim"]["outcome"] == "kept"
    assert "the distroless runtime" not in err  # declined: never built
    assert "+FROM python:3.11-slim\n" in doc["diff"]
    assert shell_cmd in doc["diff"] or shell_cmd in dockerfile.read_text()
    print(f"optimize auto flask-port-env: kept slim {doc['after']['size'] / MB:.1f} MB (original {doc['before']['size'] / MB:.1f} MB)")


def test_a_candidate_that_fails_its_probe_is_dropped(
    engine: Engine, examples_dir: Path, tmp_path: Path
) -> None:
    # A probe that needs a shell: distroless builds (cached from the first test) but has no
    # `sh`, so it fails its probe and is dropped with the probe's words; slim is kept.
    project = tmp_path / "auto-flask-slim-gunicorn"
    shutil.copytree(examples_dir / "flask-slim-gunicorn", project)
    probe = "sh -c 'python -c \"import flask, gunicorn\" && echo imports-ok'"
    code, doc, _ = run_auto(project, "--probe-command", probe, "--probe-output", "imports-ok")
    assert code == 0, doc["message"]
    assert doc["before"]["probe_passed"] is True
    cands = by_runtime(doc)
    assert cands["distroless"]["outcome"] == "dropped"
    assert cands["distroless"]["reason"].startswith("failed probe: "), cands["distroless"]["reason"]
    print("optimize auto, a probe that needs a shell: distroless", cands["distroless"]["reason"])
    assert cands["distroless"]["image"]["probe_passed"] is False
    assert cands["slim"]["outcome"] == "kept" and doc["runtime"] == "slim"
    assert doc["after"]["tag"] == cands["slim"]["image"]["tag"]
