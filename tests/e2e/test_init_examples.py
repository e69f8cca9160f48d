"""`slimline init` on each example without its Dockerfile: the generated image builds,
passes the example's probe, and meets the size targets of the fix issue."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slimline.cli.commands import init as _init  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.engine import Engine, load_probe_config

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MB = 1_000_000


@pytest.mark.parametrize(
    ("example", "runtime", "max_ratio", "max_bytes"),
    [
        ("fastapi-naive", "slim", 0.20, None),
        ("fastapi-naive", "auto", 0.10, None),  # auto = distroless here
        ("go-server", "auto", 0.03, 15 * MB),  # auto = scratch
        ("flask-layers", "auto", None, None),
        ("fastapi-complete", "auto", None, None),
    ],
)
def test_init_image_works_and_is_small(
    engine: Engine,
    example_image: Callable[[str], Any],
    build_image: Callable[..., Any],
    examples_dir: Path,
    tmp_path: Path,
    example: str,
    runtime: str,
    max_ratio: float | None,
    max_bytes: int | None,
) -> None:
    project = tmp_path / example
    shutil.copytree(examples_dir / example, project)
    (project / "Dockerfile").unlink()
    result = CliRunner().invoke(cli, ["init", str(project), "--runtime", runtime])
    assert result.exit_code == 0, result.output
    assert "Detected:" in result.stderr and "Chose:" in result.stderr
    probe = load_probe_config(project)
    assert probe is not None
    built = build_image(project, name=f"init-{example}-{runtime}")
    outcome = engine.run_probe(built.tag, probe)
    assert outcome.passed, f"{outcome.detail}\n{outcome.container_logs}"
    size = engine.image_size(built.tag)
    print(f"init {example} ({runtime}): {size / MB:.1f} MB")
    if max_ratio is not None:
        naive = engine.image_size(example_image(example).tag)
        assert size / naive <= max_ratio, f"{size} / {naive}"
    if max_bytes is not None:
        assert size < max_bytes
