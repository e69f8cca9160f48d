"""Every rule has a Dockerfile that fires it and one that does not, and both behave."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_cases import RULE_CASES, Case, case_of, parse_case

from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile
from slimline.lint.model import Rule
from slimline.lint.registry import all_rules


def _codes(rule: Rule, case: Case, directory: Path) -> set[str]:
    dockerfile = case.write(directory)
    config = LintConfig(select=[rule.code], **case.config)
    context = directory if case.has_context else None
    return {f.code for f in lint_dockerfile(parse_case(dockerfile), config, context)}


def test_every_rule_has_cases() -> None:
    codes = {r.code for r in all_rules()}
    assert sorted(codes - set(RULE_CASES)) == [], "rules without cases in rule_cases.py"
    assert sorted(set(RULE_CASES) - codes) == [], "cases for codes that are no rule"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_fires_on_its_case(rule: Rule, tmp_path: Path) -> None:
    if rule.code not in RULE_CASES:
        pytest.fail(f"{rule.code} has no cases in tests/unit/lint/rule_cases.py")
    assert rule.code in _codes(rule, case_of(rule.code, 0), tmp_path / "ctx")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_stays_silent_on_its_case(rule: Rule, tmp_path: Path) -> None:
    if rule.code not in RULE_CASES:
        pytest.fail(f"{rule.code} has no cases in tests/unit/lint/rule_cases.py")
    assert rule.code not in _codes(rule, case_of(rule.code, 1), tmp_path / "ctx")
