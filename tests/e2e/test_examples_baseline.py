"""The baseline: every example's own Dockerfile, built, run and probed for real.

Each example in ``examples/`` is built with the real engine exactly as the seed
writes its Dockerfile, started, and checked with its ``.slimline.toml`` probe.
Sizes, build times and the builder that ran are written to
``artifacts/baseline.json``: the numbers later optimizations must beat.

The seed's "complete example" (``fastapi-complete``) builds but does not run:
the distroless image's ENTRYPOINT is ``python3.11``, so the CMD
``["app.main:app", ...]`` is taken as a script path. The test pins that down.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker.errors
import pytest

from slimline.engine import BuilderKind, Engine, ProbeConfig, load_probe_config

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: What the conftest fixtures give: ``example_image(name)`` and
#: ``build_image(context, name=..., **build_kwargs)`` return a BuiltImage (``.tag``,
#: ``.result``, ``.image_id``).
BuiltImage = Any
BuildImage = Callable[..., Any]

REPO = Path(__file__).resolve().parents[2]
MB = 1_000_000
BASELINE_FILE = REPO / "artifacts" / "baseline.json"


@dataclass(frozen=True)
class Expectation:
    name: str
    base: str
    probe_passes: bool
    min_size: int
    failure_log: str | None = None


EXPECTATIONS = [
    Expectation("fastapi-naive", "python:3.11", True, min_size=500 * MB),
    Expectation("flask-layers", "python:3.11-slim", True, min_size=100 * MB),
    Expectation("go-server", "golang:1.19", True, min_size=500 * MB),
    Expectation(
        "fastapi-complete",
        "gcr.io/distroless/python3-debian12",
        False,
        min_size=20 * MB,
        failure_log="can't open file '/app/app.main:app'",
    ),
]


def record(name: str, entry: dict[str, Any]) -> None:
    """Merge one example's numbers into artifacts/baseline.json."""
    BASELINE_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(BASELINE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[name] = entry
    BASELINE_FILE.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"example": name, **entry}, sort_keys=True))


def layer_history(engine: Engine, image: str) -> list[tuple[str, int]]:
    """(created_by, size) per history entry, oldest first."""
    history = engine.client.api.history(image)
    return [(str(h.get("CreatedBy", "")), int(h.get("Size", 0))) for h in reversed(history)]


@pytest.mark.parametrize("expect", EXPECTATIONS, ids=[e.name for e in EXPECTATIONS])
def test_example_baseline(
    engine: Engine,
    example_image: Callable[[str], BuiltImage],
    examples_dir: Path,
    expect: Expectation,
) -> None:
    base_attrs = engine.image_attrs(expect.base)
    base_labels = base_attrs.get("Config", {}).get("Labels") or {}
    base_size = int(base_attrs["Size"])

    built = example_image(expect.name)
    probe = load_probe_config(examples_dir / expect.name)
    assert probe is not None
    outcome = engine.run_probe(built.tag, probe)
    size = engine.image_size(built.tag)
    history = layer_history(engine, built.tag)

    record(
        expect.name,
        {
            "image_size": size,
            "image_size_mb": round(size / MB, 1),
            "base": expect.base,
            "base_size": base_size,
            "base_is_standin": base_labels.get("org.slimline.standin") == "true",
            "layers": sum(1 for _, layer_size in history if layer_size > 0),
            "history_entries": len(history),
            "builder": built.result.builder.value,
            "build_seconds": round(built.result.duration_s, 2),
            "build_notes": list(built.result.notes),
            "probe": probe.describe(),
            "probe_passed": outcome.passed,
            "probe_detail": outcome.detail,
            "probe_seconds": round(outcome.duration_s, 2),
            "engine": engine.info().server_version,
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    )

    if expect.probe_passes:
        assert outcome.passed, f"{outcome.detail}\n--- container log ---\n{outcome.container_logs}"
        assert outcome.host_port is not None and outcome.status == probe.status
    else:
        assert not outcome.passed
        assert expect.failure_log is not None
        assert expect.failure_log in outcome.container_logs, outcome.container_logs
    # the image is its base plus the app's layers: bigger than the base, plausibly sized
    assert size > base_size
    assert size >= expect.min_size
    assert size < base_size + 400 * MB


def test_naive_fastapi_is_many_times_the_complete_example(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    naive = engine.image_size(example_image("fastapi-naive").tag)
    complete = engine.image_size(example_image("fastapi-complete").tag)
    assert naive > 500 * MB
    assert complete * 5 < naive, (naive, complete)


def test_four_run_apt_install_keeps_the_lists_in_their_own_layer(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    """The seed's "Bad: 4 layers": deleting the lists in a later RUN saves nothing."""
    history = layer_history(engine, example_image("flask-layers").tag)
    by_step = {}
    for created_by, size in history:
        for step in ("apt-get update", "apt-get install -y curl", "rm -rf /var/lib/apt/lists/*"):
            if created_by.removesuffix("# buildkit").rstrip().endswith(step):
                by_step[step] = size
    assert set(by_step) == {
        "apt-get update",
        "apt-get install -y curl",
        "rm -rf /var/lib/apt/lists/*",
    }, history
    assert by_step["apt-get update"] > 1 * MB  # the package lists, kept forever
    assert by_step["apt-get install -y curl"] > 1 * MB
    assert by_step["rm -rf /var/lib/apt/lists/*"] < 100_000  # only whiteouts


def test_fastapi_complete_builds_from_the_stand_in_distroless_base(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    built = example_image("fastapi-complete")
    config = engine.image_attrs(built.tag)["Config"]
    assert config["Entrypoint"] == ["/usr/bin/python3.11"]
    assert config["Cmd"] == ["app.main:app", "--host", "0.0.0.0", "--port", "8000"]
    # the dependencies installed with --target are importable through PYTHONPATH=/deps
    check = ProbeConfig(
        command=("-c", "import fastapi, uvicorn; print('deps', fastapi.__version__)"),
        output_contains="deps 0.115.14",
        timeout=60,
    )
    outcome = engine.run_probe(built.tag, check)
    assert outcome.passed, outcome.detail + "\n" + outcome.container_logs


def test_command_probe_passes_and_fails(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    image = example_image("fastapi-naive").tag
    good = ProbeConfig(
        command=("python", "-c", "import fastapi; print(fastapi.__version__)"),
        output_contains="0.115.14",
    )
    outcome = engine.run_probe(image, good)
    assert outcome.passed, outcome.detail
    assert outcome.exit_code == 0 and "0.115.14" in outcome.container_logs

    wrong_output = ProbeConfig(command=good.command, output_contains="9.9.9")
    outcome = engine.run_probe(image, wrong_output)
    assert not outcome.passed
    assert "output does not contain '9.9.9'" in outcome.detail

    failing = ProbeConfig(command=("python", "-c", "raise SystemExit(3)"))
    outcome = engine.run_probe(image, failing)
    assert not outcome.passed
    assert outcome.exit_code == 3
    assert "exit code 3, expected 0" in outcome.detail


def test_http_probe_reports_what_it_saw(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    image = example_image("go-server").tag
    missing = ProbeConfig(port=8080, path="/missing", timeout=3)
    outcome = engine.run_probe(image, missing)
    assert not outcome.passed
    assert outcome.status == 404
    assert "GET /missing -> 404" in outcome.detail
    assert outcome.attempts > 1  # retried until the timeout

    wrong_body = ProbeConfig(port=8080, path="/healthz", body_contains="not there", timeout=2)
    outcome = engine.run_probe(image, wrong_body)
    assert not outcome.passed and outcome.status == 200

    env = ProbeConfig(port=9090, path="/healthz", body_contains="ok", env={"ADDR": ":9090"})
    outcome = engine.run_probe(image, env)
    assert outcome.passed, outcome.detail


def test_probe_containers_are_always_removed(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    image = example_image("go-server").tag
    outcomes = [
        engine.run_probe(image, ProbeConfig(port=8080, timeout=5)),
        engine.run_probe(image, ProbeConfig(port=8080, path="/missing", timeout=1)),
        engine.run_probe(image, ProbeConfig(command=("sh", "-c", "exit 4"), timeout=10)),
    ]
    assert [o.passed for o in outcomes] == [True, False, False]
    for outcome in outcomes:
        assert outcome.container_id
        with pytest.raises(docker.errors.NotFound):
            engine.client.containers.get(outcome.container_id)


def test_legacy_builder_builds_and_probes(
    engine: Engine, build_image: BuildImage, examples_dir: Path
) -> None:
    built = build_image(examples_dir / "go-server", name="go-server-legacy", builder="legacy")
    assert built.result.builder is BuilderKind.LEGACY
    assert built.result.cli is None
    assert built.image_id.startswith("sha256:")
    probe = load_probe_config(examples_dir / "go-server")
    assert probe is not None
    outcome = engine.run_probe(built.tag, probe)
    assert outcome.passed, outcome.detail


def test_default_builder_is_reported(
    engine: Engine, example_image: Callable[[str], BuiltImage]
) -> None:
    built = example_image("go-server")
    choice = engine.builder()
    assert built.result.builder is choice.kind
    assert built.result.cli == choice.cli
    assert choice.reason
