"""The rule registry: rules register themselves with :func:`rule`."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from slimline.lint.model import Category, Finding, Rule, Severity

if TYPE_CHECKING:
    from slimline.lint.context import RuleContext

CheckFn = Callable[["RuleContext"], Iterator[Finding]]

_RULE_MODULES = (
    "slimline.lint.rules.size",
    "slimline.lint.rules.package_caches",
    "slimline.lint.rules.cache",
    "slimline.lint.rules.security",
    "slimline.lint.rules.correctness",
    "slimline.lint.rules.commands",
    "slimline.lint.rules.paths",
    "slimline.lint.rules.exec_form",
    "slimline.lint.rules.pinning",
    "slimline.lint.rules.context",
    "slimline.lint.rules.shell_checks",
)

#: Modules of fixes that do not sit next to their rule: structural rewrites.
_FIX_MODULES = (
    "slimline.fix.structural",
    "slimline.fix.multistage",
    "slimline.fix.ignorefile",
)

_registered: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    category: Category,
    *,
    hadolint: tuple[str, ...] = (),
    default_enabled: bool = True,
    needs_context: bool = False,
) -> Callable[[CheckFn], CheckFn]:
    """Register a check. Its docstring is the rule's documentation (first line: summary).

    A rule does not say whether it has a fix: a fix registers itself under the rule's
    code with its safety (``slimline.lint.fixes.fixer``, usually right after the check),
    and :func:`all_rules` attaches it to the rule, whose ``fix`` is derived from it.
    """

    def decorate(fn: CheckFn) -> CheckFn:
        doc = inspect.cleandoc(fn.__doc__ or "")
        summary = doc.split("\n", 1)[0].strip()
        if code in _registered and _registered[code].check is not fn:
            raise RuntimeError(f"rule code {code} registered twice")
        _registered[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            category=category,
            summary=summary,
            doc=doc,
            check=fn,
            hadolint=hadolint,
            default_enabled=default_enabled,
            needs_context=needs_context,
        )
        return fn

    return decorate


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code, each with the fix registered under its code."""
    # The rule modules register their checks and the fixes next to them; the structural
    # fix modules build on the rules, so they are loaded after them.
    for module in (*_RULE_MODULES, *_FIX_MODULES):
        importlib.import_module(module)
    from slimline.lint.fixes import registered_so_far

    registered = registered_so_far()
    unknown = sorted(set(registered) - set(_registered))
    if unknown:
        raise RuntimeError(f"fixes registered for codes that are no rule: {', '.join(unknown)}")
    rules = [
        replace(r, fixer=registered[r.code]) if r.code in registered else r
        for r in _registered.values()
    ]
    return tuple(sorted(rules, key=lambda r: r.code))


def rules_by_code() -> dict[str, Rule]:
    return {r.code: r for r in all_rules()}


def hadolint_map() -> dict[str, list[str]]:
    """hadolint code -> slimline codes."""
    out: dict[str, list[str]] = {}
    for r in all_rules():
        for dl in r.hadolint:
            out.setdefault(dl, []).append(r.code)
    return out


def find_rule(key: str) -> Rule | None:
    """Look a rule up by code (SL101), name (fat-base-image) or hadolint code (DL3042)."""
    key = key.strip()
    for r in all_rules():
        if r.code.lower() == key.lower() or r.name == key.lower():
            return r
    mapped = hadolint_map().get(key.upper())
    if mapped:
        return rules_by_code()[mapped[0]]
    return None
