"""Text edits on Dockerfile source, and the helpers fixes use to build them.

An :class:`Edit` replaces the source range ``[start, end)`` with new text.
Edits never touch anything outside their range, so comments, spacing and
line endings elsewhere stay exactly as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from slimline.dockerfile.model import Dockerfile, Instruction


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    start: int
    end: int
    text: str

    def overlaps(self, other: Edit) -> bool:
        """Whether the two edits cannot both be applied unambiguously."""
        if self.start == self.end or other.start == other.end:
            insert, span = (self, other) if self.start == self.end else (other, self)
            # An insertion at either end of a replaced range is ambiguous too.
            return span.start <= insert.start <= span.end
        return self.start < other.end and other.start < self.end


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (raises ValueError when two overlap)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.start < pos:
            raise ValueError(f"overlapping edits at offset {e.start}")
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def newline_of(df: Dockerfile) -> str:
    """The file's line ending (CRLF when its first line ends so)."""
    i = df.text.find("\n")
    return "\r\n" if i > 0 and df.text[i - 1] == "\r" else "\n"


def line_indent(df: Dockerfile, offset: int) -> str:
    start = df.text.rfind("\n", 0, offset) + 1
    m = re.match(r"[ \t]*", df.text[start:])
    return m.group() if m else ""


def physical_lines(df: Dockerfile, inst: Instruction) -> list[str]:
    return df.text[inst.span.start : inst.span.end].splitlines()


def continuation_indent(df: Dockerfile, inst: Instruction) -> str:
    """The indentation used on the instruction's continuation lines (4 spaces by default)."""
    lines = physical_lines(df, inst)
    for line in lines[1:]:
        stripped = line.lstrip(" \t")
        if stripped and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)]
    return "    "


def leading_operators(df: Dockerfile, inst: Instruction) -> bool:
    """Whether continuation lines start with the operator (``    && cmd``)."""
    lines = physical_lines(df, inst)
    return any(line.lstrip().startswith(("&&", "||", "|")) for line in lines[1:])


def args_end(inst: Instruction) -> int:
    """Source offset just after the last character of the arguments."""
    return inst.args_source_span().end


def append_shell(df: Dockerfile, inst: Instruction, command: str) -> Edit:
    """An edit that runs ``command`` after the RUN's script with ``&&``.

    Keeps the RUN's style: a one-line RUN stays on one line; a RUN split over
    continuation lines gets a new continuation line with the same indentation
    and operator placement.
    """
    end = args_end(inst)
    if inst.end_line == inst.line:
        return Edit(end, end, f" && {command}")
    indent = continuation_indent(df, inst)
    esc = df.escape
    nl = newline_of(df)
    if leading_operators(df, inst):
        return Edit(end, end, f" {esc}{nl}{indent}&& {command}")
    return Edit(end, end, f" && {esc}{nl}{indent}{command}")


def prepend_shell(inst: Instruction, command: str) -> Edit:
    """An edit that runs ``command && `` before the RUN's script."""
    start = inst.args_source_span().start
    return Edit(start, start, f"{command} && ")


def remove_instruction(inst: Instruction) -> Edit:
    """Delete an instruction (all its lines)."""
    return Edit(inst.span.start, inst.span.end, "")


def insert_after_word(position: int, text: str) -> Edit:
    return Edit(position, position, text)


def json_array(values: list[str]) -> str:
    """``["a", "b"]`` as people write it (one space after commas)."""
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"
