"""The fix engine lints a file once per pass, and `optimize` does not lint it again."""

from __future__ import annotations

from pathlib import Path

import pytest

import slimline.fix.engine as fix_engine
import slimline.lint.engine as lint_engine
from slimline.dockerfile.parser import parse
from slimline.fix.engine import fix_dockerfile
from slimline.lint.config import LintConfig
from slimline.lint.context import LintInput
from slimline.lint.model import Finding
from slimline.optimize import OptimizeOptions, optimize

TEXT = (
    "FROM debian:bookworm-slim\n"
    "RUN apt-get update\n"
    "RUN apt-get install -y curl\n"
    "CMD python -m app\n"
)


@pytest.fixture
def lints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every file linted, in order (through either entry point)."""
    seen: list[str] = []
    real = lint_engine.lint_input

    def counting(data: LintInput) -> list[Finding]:
        seen.append(data.dockerfile.text)
        return real(data)

    monkeypatch.setattr(lint_engine, "lint_input", counting)
    monkeypatch.setattr(fix_engine, "lint_input", counting)
    return seen


def test_one_lint_per_pass_and_none_for_remaining(lints: list[str]) -> None:
    result = fix_dockerfile(parse(TEXT, "Dockerfile"), LintConfig())
    assert result.applied and result.fixed != TEXT
    # Every pass lints a different text; the last pass found nothing to fix and its lint
    # is what remains (no extra lint of the same text).
    assert len(lints) == len(set(lints)) >= 2
    assert lints[0] == TEXT and lints[-1] == result.fixed
    fresh = lint_engine.lint_dockerfile(parse(result.fixed, "Dockerfile"), LintConfig())
    assert result.remaining == fresh
    assert result.findings == lint_engine.lint_dockerfile(parse(TEXT, "Dockerfile"), LintConfig())


def test_pass_limit_still_lints_the_result(
    lints: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fix_engine, "MAX_PASSES", 1)
    result = fix_dockerfile(parse(TEXT, "Dockerfile"), LintConfig())
    assert lints == [TEXT, result.fixed]
    assert result.remaining == lint_engine.lint_dockerfile(
        parse(result.fixed, "Dockerfile"), LintConfig()
    )


def test_optimize_takes_its_findings_from_the_first_pass(lints: list[str], tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(TEXT, encoding="utf-8")
    (tmp_path / ".dockerignore").write_text(".git\n", encoding="utf-8")
    result = optimize(OptimizeOptions(dockerfile=dockerfile, context=tmp_path, build=False))
    assert lints.count(TEXT) == 1
    assert result.findings == result.fix.findings
    assert {f.code for f in result.findings} >= {"SL202", "SL104", "SL109"}
