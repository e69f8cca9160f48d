"""Rules and findings."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slimline.dockerfile.model import Node
    from slimline.lint.context import RuleContext
    from slimline.lint.fixes import Fixer


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``>=`` compares with ``--fail-level``."""

    STYLE = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


class Category(enum.StrEnum):
    SIZE = "size"
    CACHE = "cache"
    SECURITY = "security"
    CORRECTNESS = "correctness"
    STYLE = "style"


class FixKind(enum.StrEnum):
    """Whether a rule's fix keeps behaviour (safe) or may change it (unsafe)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    category: Category
    summary: str
    doc: str
    check: Callable[[RuleContext], Iterator[Finding]]
    hadolint: tuple[str, ...] = ()
    #: Off unless selected (e.g. version pinning).
    default_enabled: bool = True
    #: Needs the build context (reads .dockerignore and files).
    needs_context: bool = False
    #: The fix registered under this rule's code (``slimline.lint.fixes.fixer``); the
    #: registry attaches it, a rule never declares one.
    fixer: Fixer | None = None

    @property
    def fix(self) -> FixKind:
        """Whether the rule can be fixed, and how safely: its fix's declared safety."""
        return self.fixer.safety if self.fixer is not None else FixKind.NONE


@dataclass(slots=True)
class Finding:
    """A rule's report about one place in a file."""

    code: str
    name: str
    severity: Severity
    category: Category
    message: str
    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    #: One-line advice on what to do instead.
    hint: str | None = None
    hadolint: tuple[str, ...] = ()
    fix: FixKind = FixKind.NONE
    #: Extra facts for JSON consumers (e.g. sizes for context findings).
    data: dict[str, object] = field(default_factory=dict)
    #: The instruction (or other node) the finding is about, for fixes; None for findings
    #: about other files or the file as a whole. Not part of any output format.
    node: Node | None = field(default=None, compare=False, repr=False)
    #: Other nodes the finding names (e.g. the broad COPY an install follows).
    related: tuple[Node, ...] = field(default=(), compare=False, repr=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)
