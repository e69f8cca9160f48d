"""`slimline optimize --unsafe` on the Node.js and Rust examples, with the real engine.

node-express (express, `npm ci` from a lockfile, one stage on `node:18`) and rust-server
(std-only HTTP server, `cargo build --release` on `rust:1.63`) are built as written,
probed, rewritten into builder + runtime, built and probed again. The runtime images
are stand-ins from Debian's packages (testbed/setup.sh): `node:18-slim`, distroless
`nodejs18-debian12`, distroless `cc-debian12` and `debian:bookworm-slim`.

Each optimization runs once per module (the fixtures share it); written back with
--write, a second optimize of the same project finds nothing left to do.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slimline.cli.commands import optimize as _optimize  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MB = 1_000_000

Optimized = tuple[Path, dict[str, Any]]


def run_optimize(project: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["optimize", str(project), "--format", "json", *args])
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def optimized(
    engine: Engine, examples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], Optimized]:
    """``optimized(example, runtime)``: a copy of the example optimized with --unsafe
    --write onto ``runtime`` (once per module), and the JSON report."""
    done: dict[tuple[str, str], Optimized] = {}

    def get(example: str, runtime: str) -> Optimized:
        if (example, runtime) not in done:
            project = tmp_path_factory.mktemp(f"{example}-{runtime}") / example
            shutil.copytree(examples_dir / example, project)
            code, doc = run_optimize(project, "--unsafe", "--runtime", runtime, "--write")
            assert code == 0, (doc["message"], doc.get("failure_log"))
            # the report's sizes are the engine's
            assert doc["after"]["size"] == engine.image_size(doc["after"]["tag"])
            before, after = doc["before"]["size"], doc["after"]["size"]
            print(f"optimize {example} {runtime}: {before / MB:.1f} MB -> {after / MB:.1f} MB")
            done[example, runtime] = project, doc
        return done[example, runtime]

    return get


def assert_served_and_smaller(doc: dict[str, Any], max_ratio: float) -> None:
    assert doc["status"] == "optimized", doc["message"]
    before, after = doc["before"], doc["after"]
    assert before["probe_passed"] is True, before
    assert after["probe_passed"] is True, after
    assert after["size"] <= max_ratio * before["size"], (before["size"], after["size"])


def stages_of(project: Path) -> list[str]:
    return [
        line.split()[1]
        for line in (project / "Dockerfile").read_text().splitlines()
        if line.startswith("FROM ")
    ]


@pytest.mark.parametrize(
    ("example", "runtime", "runtime_image", "max_ratio"),
    [
        # node:18 (toolchain, 690 MB) -> node:18-slim with the pruned node_modules
        ("node-express", "slim", "node:18-slim", 0.6),
        # -> distroless Node.js: node is the entrypoint, no npm, no shell
        ("node-express", "distroless", "gcr.io/distroless/nodejs18-debian12:nonroot", 0.25),
        # rust:1.63 (840 MB) -> the release binary on distroless/cc (glibc, no shell)
        # (on debian:bookworm-slim it is about 75 MB: not run here, each optimize analyzes
        # the 840 MB original once more)
        ("rust-server", "distroless", "gcr.io/distroless/cc-debian12:nonroot", 0.05),
    ],
)
def test_optimized_image_serves_and_is_smaller(
    optimized: Callable[[str, str], Optimized],
    example: str,
    runtime: str,
    runtime_image: str,
    max_ratio: float,
) -> None:
    project, doc = optimized(example, runtime)
    assert_served_and_smaller(doc, max_ratio)
    builder = {"node-express": "node:18", "rust-server": "rust:1.63"}[example]
    assert stages_of(project) == [builder, runtime_image]


def test_node_distroless_runs_the_script_with_the_image_node(
    optimized: Callable[[str, str], Optimized],
) -> None:
    project, _doc = optimized("node-express", "distroless")
    text = (project / "Dockerfile").read_text()
    assert 'CMD ["server.js"]' in text
    # dependencies from the lock file before the sources (SL201's fix), dev ones pruned
    assert text.index("COPY package.json package-lock.json ./") < text.index("RUN npm ci")
    assert text.index("RUN npm prune --omit=dev") < text.index("COPY . .")


def test_rust_dependencies_are_built_before_the_sources(
    optimized: Callable[[str, str], Optimized],
) -> None:
    project, doc = optimized("rust-server", "distroless")
    lines = (project / "Dockerfile").read_text().splitlines()
    first = lines.index("COPY Cargo.toml Cargo.lock ./")
    assert lines[first + 1].startswith("RUN mkdir -p src && echo 'fn main() {}' > src/main.rs")
    assert lines[first + 2 : first + 4] == ["COPY . .", "RUN cargo build --release"]
    assert 'CMD ["/usr/local/bin/rust-server"]' in lines
    assert not any(f["code"] == "SL201" for f in doc["remaining"])


@pytest.mark.parametrize("example", ["node-express", "rust-server"])
def test_a_second_optimize_is_a_no_op(
    optimized: Callable[[str, str], Optimized], example: str
) -> None:
    project, _doc = optimized(example, "distroless")
    written = (project / "Dockerfile").read_text()
    code, again = run_optimize(project, "--unsafe", "--runtime", "distroless", "--write")
    assert code == 0, again["message"]
    assert again["status"] == "no-change", again["diff"]
    assert again["diff"] == ""
    assert again["before"]["probe_passed"] is True
    assert (project / "Dockerfile").read_text() == written
