"""slimline's own image: its Dockerfile passes slimline's lint with no finding,
`optimize` finds nothing to gain, and the image runs slimline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slimline.cli.commands import optimize as _optimize  # noqa: F401
from slimline.cli.main import cli
from slimline.engine import Engine
from slimline.engine.probe import probe_from_mapping
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_path

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
MB = 1_000_000


def test_own_dockerfile_is_clean() -> None:
    result = lint_path(REPO / "Dockerfile", LintConfig(select=["ALL"]), REPO)
    assert result.findings == [], [(f.code, f.line, f.message) for f in result.findings]


def test_own_image_runs_and_is_small(engine: Engine, build_image: Callable[..., Any]) -> None:
    built = build_image(REPO, name="slimline-dogfood")
    probe = probe_from_mapping({"command": ["--version"], "output_contains": "slimline, version"}, "test")
    outcome = engine.run_probe(built.tag, probe)
    assert outcome.passed, outcome.detail
    size = engine.image_size(built.tag)
    print(f"slimline's own image: {size / MB:.1f} MB")
    assert size < 150 * MB


def test_optimize_finds_nothing_to_gain(engine: Engine) -> None:
    result = CliRunner().invoke(cli, ["optimize", str(REPO), "--no-build", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"status": "no-change"' in result.stdout
