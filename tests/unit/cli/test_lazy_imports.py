"""``slimline lint FILE`` starts fast because it loads only what linting needs (issue 12).

The guard is structural, not timed: a fresh interpreter lints one corpus file through the
console-script entry point in-process, then reports which heavy modules it loaded. The
image/engine stacks, the SBOM and vulnerability libraries and the build-context scanner
must stay out (the corpus directory is not a build context, so no context rule runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SRC = ROOT / "src"
FILE = ROOT / "tests" / "corpus" / "python" / "django-gunicorn.Dockerfile"

#: Modules (and their submodules) that ``slimline lint`` of one file must not import.
HEAVY = (
    "docker",
    "urllib3",
    "requests",
    "cyclonedx",
    "spdx_tools",
    "univers",
    "debian",
    "yaml",
    "packaging",
    "slimline.image",
    "slimline.engine",
    "slimline.analysis",
    "slimline.vuln",
    "slimline.optimize",
    # the build-context scanner and the .dockerignore generator: only with a context
    "slimline.context.scan",
    "slimline.context.copycheck",
    "slimline.context.dockerignore",
    "slimline.generate.dockerignore",
)

_PROBE = """
import json, sys
path, heavy = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["slimline", "lint", path]
from slimline.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted(
    m for m in list(sys.modules) if any(m == h or m.startswith(h + ".") for h in heavy)
)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _probe(path: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    last = proc.stderr.strip().splitlines()[-1]
    result: dict[str, object] = json.loads(last)
    return result


def test_lint_of_one_file_loads_no_heavy_module() -> None:
    result = _probe(FILE)
    assert result["code"] in (0, 1), result
    assert result["loaded"] == []


def test_the_probe_sees_what_a_context_lint_loads(tmp_path: Path) -> None:
    """The same probe on a Dockerfile in its build context does load the scanner, so an
    empty list above means the modules were not needed, not that the probe is blind."""
    (tmp_path / "app.py").write_text("print('hi')\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.11-slim\nCOPY app.py /app/\nCMD python /app/app.py\n")
    result = _probe(dockerfile)
    assert result["code"] in (0, 1), result
    loaded = result["loaded"]
    assert isinstance(loaded, list)
    assert "slimline.context.dockerignore" in loaded
    assert "slimline.image" not in loaded
