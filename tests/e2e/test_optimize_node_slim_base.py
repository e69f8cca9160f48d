"""`slimline optimize --unsafe` (``--runtime auto``) on a Node.js project already on
`node:18-slim`, with the real engine.

The shape of a real express project: one stage on `node:18-slim`, `ADD . /app`, `npm
install`, `ENTRYPOINT ["npm"]` and `CMD ["start"]` (package.json's ``scripts.start`` is
`node server.js`). The examples/node-express sources in that shape become builder +
distroless Node.js (`CMD ["server.js"]`), at or below half the size, still serving; the
slim candidate is declined with the reason. Written back with --write, a second optimize
finds nothing left to do.
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
NPM_START = 'FROM node:18-slim\nADD . /app\nWORKDIR /app\nRUN npm install\nENTRYPOINT ["npm"]\nCMD ["start"]\n'


def run_optimize(project: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["optimize", str(project), "--format", "json", *args])
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_npm_start_on_node_slim_becomes_distroless(
    engine: Engine, examples_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / "node-slim-npm-start"
    shutil.copytree(examples_dir / "node-express", project)
    (project / "Dockerfile").write_text(NPM_START)
    code, doc = run_optimize(project, "--unsafe", "--no-vulns", "--write")
    assert code == 0, (doc["message"], doc.get("failure_log"))
    assert doc["status"] == "optimized", doc["message"]
    before, after = doc["before"], doc["after"]
    assert before["probe_passed"] is True and after["probe_passed"] is True
    assert after["size"] == engine.image_size(after["tag"])
    assert after["size"] <= 0.5 * before["size"], (before["size"], after["size"])
    print(f"optimize node:18-slim npm start: {before['size'] / MB:.1f} MB -> {after['size'] / MB:.1f} MB")
    assert doc["runtime"] == "distroless"
    slim = next(c for c in doc["candidates"] if c["runtime"] == "slim")
    assert "a slim runtime from a slim base gains nothing" in slim["reason"]
    written = (project / "Dockerfile").read_text()
    assert "FROM gcr.io/distroless/nodejs18-debian12:nonroot" in written
    assert written.endswith('CMD ["server.js"]\n') and "ENTRYPOINT" not in written
    # the same project again: nothing left to do, nothing rewritten
    code, again = run_optimize(project, "--unsafe", "--no-vulns", "--write")
    assert code == 0, again["message"]
    assert again["status"] == "no-change", again["diff"]
    assert (project / "Dockerfile").read_text() == written
