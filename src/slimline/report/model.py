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

    def counts(self) -> Counter[str]:
        return Counter(str(f.severity) for f in self.findings)
