"""What a report of ``slimline lint`` holds (the other commands' results live with them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slimline.lint.model import Finding

if TYPE_CHECKING:
    from slimline.dockerfile.model import Dockerfile


@dataclass(slots=True)
class LintReport:
    """Everything one ``slimline lint`` run found."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Files that could not be parsed: (path, line, message).
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)
    #: The parsed files by display path, for the source lines of the text format.
    sources: dict[str, Dockerfile] = field(default_factory=dict)
    #: Files whose directory was not taken as their build context: (path, why).
    context_skipped: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(str(f.severity) for f in self.findings)

    def context_note(self) -> str | None:
        """The one line saying that the context rules were skipped, for how many files, and
        why (None when they ran everywhere)."""
        n = len(self.context_skipped)
        if not n:
            return None
        reasons = sorted({why for _, why in self.context_skipped})
        return (
            f"note: context rules (SL203-SL207) skipped for {n} file{'s' if n != 1 else ''} "
            f"whose directory does not look like the build context ({'; '.join(reasons)}); "
            "name the context with --context DIR to check it"
        )
