"""Inline suppression comments.

slimline's own::

    # slimline: ignore=SL101,SL111      (the next instruction)
    # slimline: ignore-file=SL205        (the whole file)

and hadolint's, for the rules that map to a hadolint code::

    # hadolint ignore=DL3008,DL3009
    # hadolint global ignore=DL3059
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from slimline.dockerfile.model import Comment, Dockerfile, Instruction
from slimline.lint.model import Finding

_SLIMLINE_RE = re.compile(r"^slimline:\s*(ignore|ignore-file)\s*(?:=\s*(.*))?$", re.IGNORECASE)
_HADOLINT_RE = re.compile(r"^hadolint\s+(global\s+)?ignore\s*=\s*(.*)$", re.IGNORECASE)


@dataclass(slots=True)
class Suppressions:
    file_codes: set[str] = field(default_factory=set)
    #: (first line, last line) of an instruction -> codes ignored there.
    ranges: list[tuple[int, int, set[str]]] = field(default_factory=list)

    def suppressed(self, finding: Finding) -> bool:
        keys = {finding.code, *finding.hadolint}
        if "ALL" in self.file_codes or keys & self.file_codes:
            return True
        for first, last, codes in self.ranges:
            if first <= finding.line <= last and ("ALL" in codes or keys & codes):
                return True
        return False


def _codes(text: str | None) -> set[str]:
    if not text:
        return {"ALL"}
    return {c.strip().upper() for c in re.split(r"[,\s]+", text) if c.strip()}


def collect(df: Dockerfile) -> Suppressions:
    out = Suppressions()
    pending: set[str] = set()
    for node in df.nodes:
        if isinstance(node, Comment):
            m = _SLIMLINE_RE.match(node.text)
            if m:
                codes = _codes(m.group(2))
                if m.group(1).lower() == "ignore-file":
                    out.file_codes |= codes
                else:
                    pending |= codes
                continue
            m = _HADOLINT_RE.match(node.text)
            if m:
                codes = _codes(m.group(2))
                if m.group(1):
                    out.file_codes |= codes
                else:
                    pending |= codes
            continue
        if isinstance(node, Instruction):
            if pending:
                out.ranges.append((node.line, node.end_line, pending))
            pending = set()
        # Blank lines and directives keep a pending pragma for the next instruction.
    return out
