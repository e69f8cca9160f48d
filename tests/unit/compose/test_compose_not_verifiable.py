"""A service whose ORIGINAL image fails its probe alone is "not verifiable", not a
failure of slimline nor a gain: its own status, the original counted in the total,
nothing written, exit 1 (nothing was verified for it), as a single project's exit."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import slimline.optimize_compose as optimize_compose_module
from slimline.cli.commands import optimize as _optimize  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.compose import load_project
from slimline.optimize import ImageSide, OptimizeOptions, OptimizeResult
from slimline.optimize import optimize as real_optimize
from slimline.optimize_compose import (
    NOT_VERIFIABLE,
    NOT_VERIFIABLE_MESSAGE,
    ComposeOptions,
    optimize_compose,
    write_verified,
)
from slimline.report import render

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "compose-two-services"
DETAIL = "HTTP 500 on GET /"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(EXAMPLE, target)
    return target


def probed(original: bool, optimized: bool | None, status: str = "optimized") -> Any:
    """The single pipeline as it comes back (``build=False``: nothing is built here)
    with the probe outcomes of an original and its rewrite set on it."""

    def fake(options: OptimizeOptions, progress: Any = None) -> OptimizeResult:
        result = real_optimize(replace(options, build=False), progress)
        result.before = ImageSide(
            "b", size=1000, probe_passed=original, probe_detail="" if original else DETAIL
        )
        if optimized is not None:
            result.after = ImageSide("a", size=100, probe_passed=optimized)
        result.status = status
        return result

    return fake


def run(example: Path, monkeypatch: pytest.MonkeyPatch, fake: Any) -> Any:
    monkeypatch.setattr(optimize_compose_module, "optimize", fake)
    project = load_project(example / "compose.yaml", {})
    return optimize_compose(project, ComposeOptions(unsafe=True))


@pytest.mark.parametrize("optimized", [False, True, None])
def test_an_original_that_fails_alone_is_not_verifiable(
    example: Path, monkeypatch: pytest.MonkeyPatch, optimized: bool | None
) -> None:
    # Whatever its rewrite did (failed too, passed, or was not built), the service
    # cannot be verified: the original it would be compared with does not answer.
    status = "probe-failed" if optimized is False else "optimized"
    result = run(example, monkeypatch, probed(False, optimized, status))
    api, web = result.services
    assert api.status == web.status == NOT_VERIFIABLE
    assert api.message == f"{NOT_VERIFIABLE_MESSAGE} ({DETAIL})"
    assert "does it need another service? set x-slimline-probe" in api.message
    assert api.probe == "FAILED (the original too)"
    assert not api.kept and not result.failed
    assert result.unverified == ["api", "web"]
    assert result.totals() == (2000, 2000)  # the originals ship: no gain counted
    assert write_verified(result) == [] and api.written == []


def test_an_original_that_passes_keeps_the_pipeline_status(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(example, monkeypatch, probed(True, False, "probe-failed"))
    assert [s.status for s in result.services] == ["probe-failed", "probe-failed"]
    assert result.failed and result.unverified == []
    assert result.services[0].probe == "FAILED"
    result = run(example, monkeypatch, probed(True, True))
    assert [s.status for s in result.services] == ["optimized", "optimized"]
    assert not result.failed and result.unverified == [] and result.totals() == (2000, 200)


def test_reports_say_not_verifiable(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(example, monkeypatch, probed(False, False, "probe-failed"))
    doc = json.loads(render("json", "optimize-compose", result))
    assert doc["failed"] is False and doc["unverified"] == ["api", "web"]
    assert [s["status"] for s in doc["services"]] == [NOT_VERIFIABLE] * 2
    assert doc["services"][0]["kept"] is False
    assert doc["total"] == {"before": 2000, "after": 2000}
    markdown = render("markdown", "optimize-compose", result)
    assert "| FAILED (the original too) | none | not-verifiable |" in markdown
    assert f"- **api**: {NOT_VERIFIABLE_MESSAGE}" in markdown
    text = render("text", "optimize-compose", result)
    assert "api: not verifiable alone" in text


@pytest.mark.parametrize(
    ("original", "optimized", "status", "code"),
    [
        (False, False, "probe-failed", 1),
        (True, True, "optimized", 0),
        (True, False, "probe-failed", 1),
    ],
)
def test_exit_code(
    example: Path,
    monkeypatch: pytest.MonkeyPatch,
    original: bool,
    optimized: bool,
    status: str,
    code: int,
) -> None:
    monkeypatch.setattr(optimize_compose_module, "optimize", probed(original, optimized, status))
    result = CliRunner().invoke(cli, ["optimize", str(example), "--unsafe", "--format", "json"])
    assert result.exit_code == code, result.stderr
    doc = json.loads(result.stdout)
    assert doc["unverified"] == ([] if original else ["api", "web"])
