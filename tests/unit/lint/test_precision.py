"""Issue 12: findings that were wrong on real-world Dockerfiles, each with a firing and a
silent case that mirror the real pattern."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import slimline.cli.commands  # noqa: F401  (registers the sub-commands)
from slimline.cli.main import cli
from slimline.dockerfile.parser import parse
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile, lint_text


def codes(text: str, **config: list[str]) -> list[str]:
    return [f.code for f in lint_text(text, LintConfig(**config))]  # type: ignore[arg-type]


# -- 1. context rules only on a real build context ---------------------------------------------

_COPY_ALL = "FROM python:3.11-slim\nCOPY requirements.txt .\nCOPY . /app\n"


def test_context_rules_run_where_the_named_sources_are(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "Dockerfile").write_text(_COPY_ALL)
    found = lint_dockerfile(parse(_COPY_ALL, tmp_path / "Dockerfile"), LintConfig(), tmp_path)
    assert "SL203" in [f.code for f in found]


def test_context_rules_skipped_in_a_folder_of_dockerfiles(tmp_path: Path) -> None:
    (tmp_path / "app.Dockerfile").write_text(_COPY_ALL)
    (tmp_path / "web.Dockerfile").write_text("FROM nginx\nCOPY . /usr/share/nginx/html\n")
    result = CliRunner().invoke(cli, ["lint", "--format", "json", str(tmp_path)])
    doc = json.loads(result.output)
    found = [f["code"] for f in doc["files"][0]["findings"] + doc["files"][1]["findings"]]
    assert "SL203" not in found
    assert len(doc["context_rules_skipped"]) == 2
    text = CliRunner().invoke(cli, ["lint", str(tmp_path)]).output
    assert text.count("context rules (SL203-SL207) skipped for 2 files") == 1


def test_context_given_runs_the_context_rules(tmp_path: Path) -> None:
    (tmp_path / "app.Dockerfile").write_text(_COPY_ALL)
    args = ["lint", "--format", "json", "--context", str(tmp_path), str(tmp_path)]
    doc = json.loads(CliRunner().invoke(cli, args).output)
    assert "SL203" in [f["code"] for f in doc["files"][0]["findings"]]
    assert doc["context_rules_skipped"] == []
