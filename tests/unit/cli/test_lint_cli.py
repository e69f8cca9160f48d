"""`slimline lint` end to end through the CLI: formats, exit codes, errors, discovery."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sarif_pydantic import Sarif

from slimline.cli.commands import lint as _lint  # noqa: F401  (registers the command)
from slimline.cli.main import cli

SEED = Path(__file__).parents[2] / "fixtures" / "seed"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "Dockerfile"
    clean.write_text("FROM scratch\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n")
    assert run("lint", str(clean))[0] == 0
    assert run("lint", str(SEED / "naive"))[0] == 1
    # the naive file has warnings only: below an error fail level
    assert run("lint", str(SEED / "naive"), "--fail-level", "error")[0] == 0


def test_parse_error_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM debian\nRUN <<EOF\necho never closed\n")
    code, out, err = run("lint", str(bad))
    assert code == 2
    assert err.strip().splitlines() == [f"slimline: {bad}:2: unterminated heredoc <<EOF (no line 'EOF' before the end of the file)"]
    assert "Traceback" not in err + out


def test_missing_path_exit_2(tmp_path: Path) -> None:
    code, _, err = run("lint", str(tmp_path / "nope"))
    assert code == 2
    assert "no such file or directory" in err


def test_invalid_config_exit_2(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian\n")
    (tmp_path / ".slimline.toml").write_text('select = ["SL9"]\n')
    code, _, err = run("lint", str(tmp_path / "Dockerfile"))
    assert code == 2
    assert ".slimline.toml" in err and "names no rule" in err


def test_json_schema() -> None:
    code, out, _ = run("lint", "--format", "json", str(SEED / "four-run"))
    assert code == 1
    doc = json.loads(out)
    assert doc["schema"] == "slimline.lint/v1"
    (file,) = doc["files"]
    assert file["path"].endswith("four-run/Dockerfile")
    codes = {(f["code"], f["line"]) for f in file["findings"]}
    assert ("SL110", 5) in codes
    finding = file["findings"][0]
    assert set(finding) >= {"code", "name", "severity", "category", "message", "hint", "line", "column", "end_line", "end_column", "hadolint", "fix", "data"}
    assert doc["summary"]["findings"] == len(file["findings"])


def test_sarif_validates_against_the_object_model() -> None:
    code, out, _ = run("lint", "--format", "sarif", str(SEED / "naive"))
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    model = Sarif.model_validate(doc)
    run0 = model.runs[0]
    results = run0.results or []
    assert {r.rule_id for r in results} >= {"SL101", "SL107"}
    rule_ids = [r.id for r in run0.tool.driver.rules or []]
    for r in results:
        assert rule_ids[r.rule_index] == r.rule_id


def test_github_annotations() -> None:
    code, out, _ = run("lint", "--format", "github", str(SEED / "layer-order"))
    assert code == 1
    lines = out.strip().splitlines()
    assert any(line.startswith("::warning file=") and "title=SL201 install-after-copy-all" in line for line in lines)
    assert all("\n" not in line for line in lines)


def test_stdin_and_select() -> None:
    code, out, _ = run("lint", "-", "--select", "SL107", "--format", "json", input="FROM python\nRUN pip install x\n")
    assert code == 1
    findings = json.loads(out)["files"][0]["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("SL107", 2)]


def test_discovers_dockerfiles(tmp_path: Path) -> None:
    for name in ("Dockerfile", "api.Dockerfile", "Containerfile", "Dockerfile.prod", "Dockerfile.dockerignore", "notes.txt"):
        (tmp_path / name).write_text("FROM scratch\nUSER 1\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "Dockerfile").write_text("FROM x\n")
    code, out, _ = run("lint", "--format", "json", str(tmp_path))
    assert code == 0
    names = sorted(Path(f["path"]).name for f in json.loads(out)["files"])
    assert names == ["Containerfile", "Dockerfile", "Dockerfile.prod", "api.Dockerfile"]


def test_output_file_written(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run("lint", "--format", "json", "-o", str(target), str(SEED / "naive"))
    assert code == 1
    assert out == ""
    assert json.loads(target.read_text())["schema"] == "slimline.lint/v1"


def test_rules_command() -> None:
    from slimline.cli import rules as _rules  # noqa: F401

    code, out, _ = run("rules", "--format", "json")
    assert code == 0
    assert any(r["code"] == "SL101" for r in json.loads(out))
    code, out, _ = run("rules", "DL3042", "--format", "markdown")
    assert code == 0 and out.startswith("# SL107 pip-cache-kept")
    code, _, err = run("rules", "SL999")
    assert code == 2 and "no rule" in err


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["lint", "--help"]])
def test_console_script(args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "slimline", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
