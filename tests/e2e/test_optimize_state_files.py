"""`slimline optimize --unsafe --runtime distroless` on an app that keeps its state next to
its code (issue 10's real-world set: a Django runserver with its SQLite file, a Flask app
whose database a `RUN python ...` creates), with the real engine.

The python RUN after the application COPY runs in the builder, the runtime copies the
WORKDIR owned by distroless' nonroot user, and CMD stays the arguments of the python
ENTRYPOINT: the probe's request writes to the SQLite file, so the optimized image
passes only if its user can write there.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from slimline.cli.commands import optimize as _optimize  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_state_next_to_the_code_stays_writable_on_distroless(
    engine: Engine, examples_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / "flask-sqlite-data"
    shutil.copytree(examples_dir / "flask-sqlite-data", project)
    args = ["optimize", str(project), "--unsafe", "--runtime", "distroless", "--write"]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, doc["message"]
    assert doc["status"] == "optimized", doc["message"]
    before, after = doc["before"], doc["after"]
    assert before["probe_passed"] is True and after["probe_passed"] is True, after["probe_detail"]
    assert after["size"] <= 0.5 * before["size"], (before["size"], after["size"])
    runtime = (project / "Dockerfile").read_text().split("FROM gcr.io/distroless/", 1)[1]
    assert "COPY --from=builder --chown=65532:65532 /app /app" in runtime
    assert "RUN" not in runtime
    assert 'ENTRYPOINT ["/usr/bin/python3.11"]\nCMD ["app.py"]' in runtime
    assert any("run python in the builder" in note for note in doc["notes"])
