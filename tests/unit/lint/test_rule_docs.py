"""Every rule is documented, and docs/rules/ matches the rules' docstrings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from slimline.lint.model import Category
from slimline.lint.registry import all_rules

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_has_a_full_doc(rule: object) -> None:
    from slimline.lint.model import Rule

    assert isinstance(rule, Rule)
    assert re.fullmatch(r"SL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and rule.summary.endswith(".")
    for section in ("## Why", "## Bad", "## Good"):
        assert section in rule.doc, f"{rule.code} lacks {section}"
    assert "```dockerfile" in rule.doc
    assert rule.category in Category


def test_codes_and_names_are_unique() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


def test_docs_are_generated_and_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, "docs/rules is stale; run scripts/gen_docs.py\n" + result.stdout
