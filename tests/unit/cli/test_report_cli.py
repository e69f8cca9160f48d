"""Report output shared by every command: -o into a missing directory, --format choices."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slimline.cli import commands  # noqa: F401  (registers the commands)
from slimline.cli.main import cli


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_lint_output_into_missing_directory_names_it(tmp_path: Path, fmt: str) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12\nRUN apt-get update\n")
    target = tmp_path / "missing" / "report.out"
    result = CliRunner().invoke(cli, ["lint", "-f", fmt, "-o", str(target), str(dockerfile)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"slimline: {target}: cannot write: No such file or directory"
    ]
    assert not target.parent.exists()


def test_lint_output_file_is_written_atomically(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12\n")
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    result = CliRunner().invoke(cli, ["lint", "-f", "json", "-o", str(target), str(dockerfile)])
    assert result.exit_code in (0, 1), result.output
    assert target.read_text().startswith("{")
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("command", "formats"),
    [
        ("lint", "text, json, sarif, github"),
        ("analyze", "text, json, markdown"),
        ("compare", "text, json, markdown"),
        ("optimize", "text, json, markdown"),
    ],
)
def test_format_choices_in_help(command: str, formats: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert "--format [" + formats.replace(", ", "|") + "]" in flat


def test_error_lines_show_control_characters(tmp_path: Path) -> None:
    missing = tmp_path / "no\x1b[31m-\udcff"
    result = CliRunner().invoke(cli, ["lint", str(missing)])
    assert result.exit_code == 2
    shown = str(tmp_path) + "/no\\x1b[31m-\\xff"  # undecodable bytes as escapes, like control characters
    assert result.stderr.splitlines() == [f"slimline: {shown}: no such file or directory"]
