"""Rules fixed after the hand check of the sample-app/open-source corpus half: each still
fires on its case and stays silent on the shape of the finding that was judged wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_cases import OSS_CORPUS_CASES, Case, parse_case

from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile


def _codes(code: str, case: Case | str, directory: Path) -> set[str]:
    case = Case(case) if isinstance(case, str) else case
    # The Dockerfile sits two levels down, as in a repository (`cmd/logcli/Dockerfile`).
    dockerfile = case.write(directory / "cmd" / "tool")
    context = dockerfile.parent if case.has_context else None
    config = LintConfig(select=[code])
    return {f.code for f in lint_dockerfile(parse_case(dockerfile), config, context)}


@pytest.mark.parametrize(
    ("code", "firing", "silent"), OSS_CORPUS_CASES, ids=[c[0] for c in OSS_CORPUS_CASES]
)
def test_oss_corpus_case(code: str, firing: Case | str, silent: Case | str, tmp_path: Path) -> None:
    assert code in _codes(code, firing, tmp_path / "fires")
    assert code not in _codes(code, silent, tmp_path / "silent")
