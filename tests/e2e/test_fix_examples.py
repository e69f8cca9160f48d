"""`slimline fix` proven by real builds: every example's naive image and its fixed image
are built with the engine, both are started and probed, and the size ratios are checked.

Targets (issue 4), on the stand-in base images:
- FastAPI naive -> `fix --unsafe --runtime slim`: at most 20 % of the naive size;
  `--runtime distroless`: at most 10 %;
- Go naive -> `--runtime scratch`: at most 3 % and under 15 MB;
- Flask with bad layer order: after `fix`, a rebuild after changing only the app source
  reuses the dependency layer (BuildKit reports the pip step as CACHED).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slimline.dockerfile.parser import parse, parse_file
from slimline.engine import Engine, load_probe_config
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTIFACT = REPO / "artifacts" / "fix-sizes.json"
MB = 1_000_000


def fixed_copy(example: Path, tmp: Path, runtime: str, *, unsafe: bool = True) -> Path:
    """Copy an example and apply `slimline fix` to the copy (the repository stays untouched)."""
    target = tmp / f"{example.name}-{runtime}"
    shutil.copytree(example, target)
    df = parse_file(target / "Dockerfile")
    result = fix_dockerfile(df, LintConfig(), target, unsafe=unsafe, options=FixOptions(runtime=runtime))
    assert result.changed, f"nothing fixed in {example.name}"
    parse(result.fixed)  # the output parses
    (target / "Dockerfile").write_text(result.fixed)
    for path, content in result.files.items():
        path.write_text(content)
    return target


def pip_step_cached(log: list[str]) -> bool | None:
    """Whether BuildKit's plain progress reports the pip install step as CACHED.

    BuildKit prints ``#9 [5/7] RUN pip install ...`` and later ``#9 CACHED`` for a
    step it reuses. None when no pip step is in the log.
    """
    steps = {line.split()[0] for line in log if line.startswith("#") and "pip install" in line}
    if not steps:
        return None
    return any(line.split()[:2] == [step, "CACHED"] for line in log for step in steps if line.startswith("#"))


def record(entry: dict[str, Any]) -> None:
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(ARTIFACT.read_text())
    except (OSError, ValueError):
        data = {}
    data[f"{entry['example']}:{entry['runtime']}"] = entry
    ARTIFACT.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(json.dumps(entry, sort_keys=True))


@pytest.mark.parametrize(
    ("example", "runtime", "max_ratio", "max_bytes"),
    [
        ("fastapi-naive", "slim", 0.20, None),
        ("fastapi-naive", "distroless", 0.10, None),
        ("go-server", "scratch", 0.03, 15 * MB),
    ],
)
def test_fixed_image_is_small_and_still_works(
    engine: Engine,
    example_image: Callable[[str], Any],
    build_image: Callable[..., Any],
    examples_dir: Path,
    tmp_path: Path,
    example: str,
    runtime: str,
    max_ratio: float,
    max_bytes: int | None,
) -> None:
    probe = load_probe_config(examples_dir / example)
    assert probe is not None
    naive = example_image(example)
    naive_probe = engine.run_probe(naive.tag, probe)
    assert naive_probe.passed, naive_probe.detail

    context = fixed_copy(examples_dir / example, tmp_path, runtime)
    fixed = build_image(context, name=f"{example}-{runtime}")
    fixed_probe = engine.run_probe(fixed.tag, probe)
    assert fixed_probe.passed, f"{fixed_probe.detail}\n{fixed_probe.container_logs}"
    assert fixed_probe.status == naive_probe.status
    if naive_probe.body is not None:
        # Same answer, apart from fields that describe the runtime itself.
        naive_body = json.loads(naive_probe.body)
        fixed_body = json.loads(fixed_probe.body or "{}")
        assert naive_body.get("service") == fixed_body.get("service")
        assert naive_body.get("status") == fixed_body.get("status")

    naive_size = engine.image_size(naive.tag)
    fixed_size = engine.image_size(fixed.tag)
    ratio = fixed_size / naive_size
    record({"example": example, "runtime": runtime, "naive_bytes": naive_size, "fixed_bytes": fixed_size, "ratio": round(ratio, 4)})
    assert ratio <= max_ratio, f"{fixed_size} / {naive_size} = {ratio:.3f} > {max_ratio}"
    if max_bytes is not None:
        assert fixed_size < max_bytes


def test_flask_fix_keeps_dependency_layer_cached(
    engine: Engine, build_image: Callable[..., Any], examples_dir: Path, tmp_path: Path
) -> None:
    if not engine.builder().kind.is_buildkit:
        pytest.skip("needs BuildKit to read the cache report")
    probe = load_probe_config(examples_dir / "flask-layers")
    assert probe is not None
    context = fixed_copy(examples_dir / "flask-layers", tmp_path, "slim")
    first = build_image(context, name="flask-fixed")
    assert engine.run_probe(first.tag, probe).passed
    # Change only the application source, then rebuild.
    app = context / "app.py"
    app.write_text(app.read_text() + f"\n# a source change {uuid.uuid4().hex}\n")
    log: list[str] = []
    second = build_image(context, name="flask-fixed-2", on_log=log.append)
    assert engine.run_probe(second.tag, probe).passed
    assert pip_step_cached(log) is True, "\n".join(log[-40:])
    # ... while the naive order re-runs the install on the same change.
    naive_copy = tmp_path / "flask-naive"
    shutil.copytree(examples_dir / "flask-layers", naive_copy)
    # (a unique change each run, so an earlier run's cache cannot answer for it)
    (naive_copy / "app.py").write_text((naive_copy / "app.py").read_text() + f"\n# {uuid.uuid4().hex}\n")
    build_image(naive_copy, name="flask-naive-1")
    (naive_copy / "app.py").write_text((naive_copy / "app.py").read_text() + f"\n# a source change {uuid.uuid4().hex}\n")
    naive_log: list[str] = []
    build_image(naive_copy, name="flask-naive-2", on_log=naive_log.append)
    assert pip_step_cached(naive_log) is False, "\n".join(naive_log[-40:])
