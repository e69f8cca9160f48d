"""The GitHub action, the example workflow and the pre-commit hook call slimline with
options that exist, and the hook's file pattern matches the files lint discovers."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from slimline.cli.commands import lint as _lint  # noqa: F401
from slimline.cli.main import cli
from slimline.lint.engine import is_dockerfile_name

ROOT = Path(__file__).resolve().parents[3]


def slimline_calls(text: str) -> list[list[str]]:
    calls = []
    for line in text.splitlines():
        line = re.sub(r"\$\{\{[^}]*\}\}", "X", line.strip()).split("||")[0]
        if line.startswith("slimline "):
            calls.append(shlex.split(line)[1:])
    return calls


def _options(command: str) -> set[str]:
    cmd = cli.commands[command]
    return {opt for param in cmd.params for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", [])}


def test_action_runs_real_commands() -> None:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    calls = [call for step in steps for call in slimline_calls(step.get("run", ""))]
    assert {c[0] for c in calls} == {"lint", "optimize"}
    for call in calls:
        options = _options(call[0])
        for word in call[1:]:
            if word.startswith("--"):
                assert word in options, f"slimline {call[0]} has no option {word}"
    referenced = set(re.findall(r"inputs\.([\w-]+)", (ROOT / "action.yml").read_text()))
    assert referenced <= set(action["inputs"])


def test_example_workflow_uses_action_outputs() -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "github-workflow.yml").read_text())
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    text = (ROOT / "docs" / "ci" / "github-workflow.yml").read_text()
    for output in re.findall(r"steps\.slimline\.outputs\.([\w-]+)", text):
        assert output in action["outputs"]
    assert workflow["jobs"]["slimline"]["steps"]


@pytest.mark.parametrize(
    "name",
    ["Dockerfile", "Containerfile", "Dockerfile.prod", "api.Dockerfile", "x.containerfile", "Dockerfile.dockerignore", "README.md", "docker-compose.yml"],
)
def test_pre_commit_pattern_agrees_with_discovery(name: str) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    matched = re.search(hook["files"], f"src/{name}") is not None and re.search(hook["exclude"], name) is None
    assert matched == is_dockerfile_name(name)
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["slimline", "lint"]
    assert all(w in _options("lint") for w in entry[2:] if w.startswith("--"))


def test_pre_commit_entry_runs(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text("FROM scratch\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n")
    result = CliRunner().invoke(cli, ["lint", "--no-source", str(target)])
    assert result.exit_code == 0, result.output
