"""A rule's fix availability is derived from the fix registered under its code, end to end:
the registry, the rule's metadata, its docs page, `slimline rules`, its findings, and what
the fix really does on the rule's own firing case."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_cases import case_of, parse_case

from slimline.cli.rules import rule_dict, rule_markdown
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import registered_fixers
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile
from slimline.lint.model import FixKind, Rule
from slimline.lint.registry import all_rules

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules"


def _expected(rule: Rule) -> FixKind:
    registered = registered_fixers().get(rule.code)
    return registered.safety if registered is not None else FixKind.NONE


def test_every_fix_belongs_to_a_rule() -> None:
    codes = {r.code for r in all_rules()}
    assert sorted(set(registered_fixers()) - codes) == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_metadata_states_the_fix(rule: Rule) -> None:
    expected = _expected(rule)
    assert rule.fixer is registered_fixers().get(rule.code)
    assert rule.fix is expected
    assert rule_dict(rule)["fix"] == str(expected)
    stated = f"available ({expected})" if expected is not FixKind.NONE else "not available"
    assert f"- **Fix**: {stated}\n" in rule_markdown(rule)
    assert f"- **Fix**: {stated}\n" in (DOCS / f"{rule.code}.md").read_text(encoding="utf-8")
    # A "## Fix" section in the rule's own text names the same safety (and only a rule
    # with a fix has one).
    if "## Fix" in rule.doc:
        assert expected is not FixKind.NONE, f"{rule.code} describes a fix it does not have"
        first_word = rule.doc.split("## Fix", 1)[1].split()[0]
        assert first_word.rstrip(":").lower() == str(expected)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_findings_carry_the_fix_kind(rule: Rule, tmp_path: Path) -> None:
    case = case_of(rule.code, 0)
    path = case.write(tmp_path / "ctx")
    config = LintConfig(select=[rule.code], **case.config)
    context = path.parent if case.has_context else None
    findings = [
        f for f in lint_dockerfile(parse_case(path), config, context) if f.code == rule.code
    ]
    assert findings and {f.fix for f in findings} == {_expected(rule)}


@pytest.mark.parametrize("code", sorted(registered_fixers()))
def test_fix_applies_to_its_rule_with_its_declared_safety(code: str, tmp_path: Path) -> None:
    """Every registered fix fixes its rule's firing case, and every fix it makes carries the
    safety it is registered with; an unsafe one needs --unsafe."""
    safety = registered_fixers()[code].safety
    case = case_of(code, 0)
    path = case.write(tmp_path / "ctx")
    context = path.parent if case.has_context else None
    config = LintConfig(select=[code])
    result = fix_dockerfile(parse_case(path), config, context, unsafe=True)
    assert result.applied, f"the fix of {code} does not fix the rule's own firing case"
    assert {(f.code, f.safety) for f in result.applied} == {(code, safety)}
    if not result.files:  # a fix that writes other files is seen by the next lint only
        assert code not in {f.code for f in result.remaining}
    safe_only = fix_dockerfile(parse_case(path), config, context, unsafe=False)
    assert bool(safe_only.applied) is (safety is FixKind.SAFE)
