"""What a fix is, and how a rule's fix registers itself.

A fix registers under its rule's code with :func:`fixer`, once, with its safety. Simple
fixes sit next to their check in ``lint/rules/``; structural rewrites live in
``slimline.fix`` (``structural``, ``multistage``, ``ignorefile``). The registry attaches
each fix to its rule (``Rule.fixer``), and the rule's documented fix availability is
derived from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slimline.dockerfile.edit import Edit
from slimline.dockerfile.model import Instruction
from slimline.lint.context import RuleContext
from slimline.lint.model import Finding, FixKind


@dataclass(slots=True)
class Fix:
    """Edits that resolve one finding."""

    code: str
    title: str
    safety: FixKind
    edits: list[Edit]
    #: Whole-file writes outside the Dockerfile (e.g. a .dockerignore): path -> content.
    files: dict[Path, str] = field(default_factory=dict)
    line: int = 0
    #: Why a fixer could not fix (a Fix with a note and no edits is a refusal).
    note: str | None = None
    #: Restructures the file: applied alone in its pass, so other fixes see the new shape.
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class FixOptions:
    #: Runtime for structural multi-stage rewrites: slim, distroless or scratch.
    runtime: str = "slim"
    #: Debian packages the runtime stage installs (on slim) because the dependencies load
    #: their libraries: found by ``slimline optimize`` in the built builder image.
    runtime_packages: tuple[str, ...] = ()
    #: Shared libraries (absolute paths in the builder) a distroless runtime copies.
    runtime_libraries: tuple[str, ...] = ()


FixerFn = Callable[[RuleContext, Finding, FixOptions], Iterator[Fix]]


@dataclass(frozen=True, slots=True)
class Fixer:
    code: str
    safety: FixKind
    fn: FixerFn
    #: Lower runs first within a pass: fixes that merge or move instructions go before
    #: fixes that append to one, so an append never duplicates what a merge brings in.
    priority: int


_fixers: dict[str, Fixer] = {}


def fixer(code: str, safety: FixKind, *, priority: int = 1) -> Callable[[FixerFn], FixerFn]:
    """Register the fix of rule ``code``: the one place that says a rule can be fixed and
    how safely. The lint registry attaches it to the rule (``Rule.fixer``); the rule's fix
    availability (``Rule.fix``, docs/rules, ``slimline rules``, JSON findings) is derived
    from it."""

    if safety is FixKind.NONE:
        raise ValueError(f"the fix of {code} must be safe or unsafe")

    def decorate(fn: FixerFn) -> FixerFn:
        if code in _fixers and _fixers[code].fn is not fn:
            raise RuntimeError(f"two fixes registered for {code}")
        _fixers[code] = Fixer(code, safety, fn, priority)
        return fn

    return decorate


def registered_fixers() -> dict[str, Fixer]:
    """Every fix by rule code, as registered (all rule and fix modules loaded)."""
    from slimline.lint.registry import all_rules

    all_rules()
    return dict(_fixers)


def registered_so_far() -> dict[str, Fixer]:
    """The fixes registered by the modules imported until now (for the registry)."""
    return dict(_fixers)


def instruction_of(finding: Finding) -> Instruction | None:
    """The instruction a finding is about (None for findings about other files)."""
    node = finding.node
    return node if isinstance(node, Instruction) else None
