"""scripts/hadolint_compare.py: the per-rule comparison, and one real run of both tools."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))  # the script imports its neighbours the same way
hc = importlib.import_module("hadolint_compare")


def _f(code: str, line: int, message: str = "m") -> dict[str, Any]:
    return {"code": code, "line": line, "message": message}


def test_lines_compared_per_rule_and_unparsed_files_left_out() -> None:
    rules = {"SL104": ("DL3009",), "SL506": ("DL3041", "DL3033"), "SL201": ()}
    same = hc.FileLines(
        "o/r",
        "Dockerfile",
        hadolint=[_f("DL3009", 3), _f("DL3009", 9), _f("DL3033", 4), _f("SC2086", 3)],
        slimline=[_f("SL104", 3), _f("SL104", 12), _f("SL506", 5), _f("SL201", 3)],
    )
    broken = hc.FileLines(
        "o/r", "b/Dockerfile", hadolint=[_f("DL1000", 1)], slimline=[_f("SL104", 2)]
    )
    rejected = hc.FileLines("o/r", "c/Dockerfile", hadolint=[_f("DL3009", 2)], slimline=None)
    rows = {r.rule: r for r in hc.compare([same, broken, rejected], rules)}
    assert set(rows) == {"SL104", "SL506"}  # rules without hadolint codes are not compared
    assert rows["SL506"].codes == ("DL3033", "DL3041")
    sl104 = rows["SL104"]
    assert sl104.both == 1
    assert [(fl.path, f["line"]) for fl, f in sl104.only_hadolint] == [("Dockerfile", 9)]
    assert [(fl.path, f["line"]) for fl, f in sl104.only_slimline] == [("Dockerfile", 12)]
    assert [f["line"] for _, f in rows["SL506"].only_hadolint] == [4]
    assert [f["line"] for _, f in rows["SL506"].only_slimline] == [5]


HADOLINT = hc.default_hadolint()

DOCKERFILE = """\
FROM debian:bookworm AS build
RUN mkdir /a
RUN mkdir /b
FROM debian:bookworm-slim
COPY --from=build /a /a
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN echo hi | tee /etc/motd
USER nobody
"""


@pytest.mark.skipif(not Path(HADOLINT).is_file(), reason="the hadolint binary is not installed")
def test_a_real_run_prints_the_table_and_every_only_hadolint_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repos = tmp_path / "repos"
    repos.mkdir()
    toml = repos / "someone__demo.toml"
    toml.write_text(
        'repo = "someone/demo"\ncommit = "' + "0" * 40 + '"\nkind = "official-image"\n'
        'files = ["Dockerfile"]\n'
    )
    tree = tmp_path / "corpus" / "someone__demo"
    tree.mkdir(parents=True)
    (tree / "Dockerfile").write_text(DOCKERFILE)
    (tree / ".hadolint.yaml").write_text("ignored:\n  - DL3008\n")
    argv = [str(toml), "--corpus", str(tmp_path / "corpus"), "--hadolint", HADOLINT]

    assert hc.main([*argv, "--only-slimline"]) == 0
    out = capsys.readouterr().out
    assert "1 repositories, 1 Dockerfiles: 1 compared" in out
    assert "someone/demo `.hadolint.yaml`" in out
    # The builder stage's layers never ship; the pipe is fed by echo.
    assert "- DL3059 (SL111) someone/demo Dockerfile:3 [stage does not ship]: " in out
    assert "- DL4006 (SL419) someone/demo Dockerfile:7: " in out
    assert "| DL3059 | SL111 | 0 | 1 | 0 |" in out
    # The repository's configuration hides DL3008, so the line is slimline's alone ...
    assert "| DL3008 | SL501 | 0 | 0 | 1 |" in out
    assert "- SL501 someone/demo Dockerfile:6: " in out
    assert "hadolint codes slimline does not map: DL3066 (1); ShellCheck (SC): 0." in out

    # ... and without it both tools report it.
    assert hc.main([*argv, "--no-repo-config"]) == 0
    out = capsys.readouterr().out
    assert "| DL3008 | SL501 | 1 | 0 | 0 |" in out
    assert "configuration applied" not in out


def test_a_missing_tree_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = tmp_path / "someone__demo.toml"
    toml.write_text(
        'repo = "someone/demo"\ncommit = "' + "0" * 40 + '"\nkind = "ci"\nfiles = ["Dockerfile"]\n'
    )
    assert hc.main([str(toml), "--corpus", str(tmp_path / "none"), "--hadolint", "x"]) == 2
    assert "no tree at" in capsys.readouterr().err
    assert hc.main([str(toml), "--kind", "windows"]) == 2
    assert "no repo file left" in capsys.readouterr().err
