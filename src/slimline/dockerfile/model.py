"""The Dockerfile model: a lossless partition of the source into nodes.

Every node keeps the exact source range it came from, so that concatenating the
source text of all nodes gives the input back byte for byte, and so that fixes
can be expressed as text edits on the original (see :mod:`slimline.dockerfile.edit`).

Offsets are indexes into the decoded text (UTF-8 with ``surrogateescape``, so that
undecodable bytes survive); lines and columns are 1-based.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of source offsets."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


class LineIndex:
    """Maps source offsets to 1-based line/column positions."""

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts
        self._length = len(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def position(self, offset: int) -> Position:
        index = bisect.bisect_right(self._starts, offset) - 1
        return Position(index + 1, offset - self._starts[index] + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset) - 1 + 1


@dataclass(slots=True)
class Segment:
    """A run of logical-line characters taken verbatim from the source."""

    logical_start: int
    source_start: int
    length: int


@dataclass(slots=True)
class LogicalText:
    """Text assembled from pieces of the source (continuations and comments dropped).

    ``segments`` maps every character of ``text`` back to a source offset, so a
    range of the logical text can be turned into a source range for editing.
    """

    text: str
    segments: list[Segment]

    def source_offset(self, logical: int) -> int:
        """Source offset of logical character ``logical`` (or just past the end)."""
        if not self.segments:
            raise ValueError("empty logical text has no source offsets")
        starts = [s.logical_start for s in self.segments]
        i = max(0, bisect.bisect_right(starts, logical) - 1)
        seg = self.segments[i]
        # A position just past a segment maps to the end of that segment.
        return seg.source_start + min(logical - seg.logical_start, seg.length)

    def source_span(self, start: int, end: int) -> Span:
        """Source range for logical range ``[start, end)``.

        The end is mapped as "just after the last character" so that a range
        ending at a continuation does not swallow the continuation itself.
        """
        if end <= start:
            offset = self.source_offset(start)
            return Span(offset, offset)
        return Span(self.source_offset(start), self.source_offset(end - 1) + 1)

    def slice(self, start: int, end: int) -> LogicalText:
        """The sub-text ``[start, end)`` with its segments re-based at 0."""
        segs: list[Segment] = []
        for seg in self.segments:
            lo = max(start, seg.logical_start)
            hi = min(end, seg.logical_start + seg.length)
            if lo < hi:
                segs.append(
                    Segment(lo - start, seg.source_start + (lo - seg.logical_start), hi - lo)
                )
        return LogicalText(self.text[start:end], segs)


@dataclass(slots=True)
class Node:
    """Base of all nodes: a source span and the 1-based lines it covers."""

    span: Span
    line: int
    end_line: int


@dataclass(slots=True)
class Directive(Node):
    """A parser directive such as ``# syntax=docker/dockerfile:1`` or ``# escape=`"``."""

    name: str
    value: str


@dataclass(slots=True)
class Comment(Node):
    """A comment line outside any instruction (text without the leading ``#``)."""

    text: str


@dataclass(slots=True)
class Blank(Node):
    """One or more whitespace-only lines outside any instruction."""


@dataclass(slots=True)
class Flag:
    """An instruction flag such as ``--mount=type=cache,target=/root/.cache``."""

    name: str
    value: str | None
    #: The flag as written in the logical line (``--from=builder``).
    raw: str
    #: Range of the flag inside the instruction's logical line.
    logical_start: int
    logical_end: int


@dataclass(slots=True)
class Heredoc:
    """A here-document attached to RUN, COPY or ADD."""

    name: str
    #: False when any part of the delimiter word was quoted: no expansion inside.
    expand: bool
    #: ``<<-``: leading tabs are stripped from the body and the terminator.
    chomp: bool
    #: File descriptor written before ``<<`` (``3<<EOF``), 0 when absent.
    fd: int
    #: Body as BuildKit sees it: the body lines exactly as written, line endings
    #: (``\r\n`` in CRLF files) included. Tabs of ``<<-`` bodies are not stripped here.
    content: str
    #: Source range of the body lines (terminator excluded).
    body_span: Span
    #: Source range of the terminator line (including its line ending).
    terminator_span: Span
    #: 1-based line of the first body line.
    body_line: int


@dataclass(slots=True)
class Instruction(Node):
    """One instruction, with its continuation lines, inner comments and heredocs."""

    #: Upper-case keyword (``RUN``); unknown keywords are kept as written, upper-cased.
    keyword: str
    #: The keyword exactly as written (``run``, ``Run``...).
    raw_keyword: str
    #: The logical line: physical lines joined, continuations and comments removed.
    logical: LogicalText
    #: Flags that precede the arguments (``--from``, ``--mount``, ``--platform``...).
    flags: list[Flag]
    #: Offset in ``logical.text`` where the arguments start.
    args_start: int
    #: Arguments after the flags, surrounding whitespace removed.
    args: str
    #: The JSON (exec) form, when the arguments are a valid JSON array of strings
    #: (for HEALTHCHECK: the array after the type word, ``CMD ["curl", "-f", "..."]``).
    exec_form: list[str] | None
    heredocs: list[Heredoc] = field(default_factory=list)
    #: For ``ONBUILD X``, the inner instruction (sharing this instruction's source).
    inner: Instruction | None = None
    #: Comment lines (text without ``#``) that sat inside the continuation.
    inner_comments: list[str] = field(default_factory=list)
    #: Index of the stage this instruction belongs to; None before the first FROM.
    stage_index: int | None = None

    @property
    def is_exec_form(self) -> bool:
        return self.exec_form is not None

    def flag(self, name: str) -> Flag | None:
        """The last flag called ``name`` (BuildKit keeps the last one), or None."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def flag_values(self, name: str) -> list[str]:
        """Values of every flag called ``name`` (``--mount`` may repeat)."""
        return [f.value or "" for f in self.flags if f.name == name]

    @property
    def args_logical_end(self) -> int:
        return self.args_start + len(self.args)

    def args_source_span(self) -> Span:
        """Source range of the argument text (excluding heredoc bodies)."""
        return self.logical.source_span(self.args_start, self.args_start + len(self.args))

    @property
    def effective(self) -> Instruction:
        """The instruction that takes effect: the inner one for ONBUILD."""
        return self.inner if self.inner is not None else self

    @property
    def is_onbuild(self) -> bool:
        return self.keyword == "ONBUILD"


@dataclass(slots=True)
class Stage:
    """A build stage: a FROM instruction and everything up to the next FROM."""

    index: int
    from_instruction: Instruction
    #: The base image reference as written (``python:${PY}-slim``).
    base: str
    #: The base with global ARG defaults expanded (``python:3.11-slim``).
    base_expanded: str
    #: ``AS name`` (lower-cased, as BuildKit compares stage names), or None.
    name: str | None
    platform: str | None
    instructions: list[Instruction] = field(default_factory=list)
    #: When the base is an earlier stage, its index.
    parent: int | None = None

    @property
    def line(self) -> int:
        return self.from_instruction.line

    @property
    def is_scratch(self) -> bool:
        return self.base_expanded.lower() == "scratch"

    def label(self) -> str:
        return self.name if self.name is not None else str(self.index)


@dataclass(slots=True)
class Dockerfile:
    """A parsed Dockerfile."""

    path: Path | None
    text: str
    nodes: list[Node]
    escape: str
    stages: list[Stage]
    #: ARG instructions before the first FROM.
    global_args: list[Instruction]
    #: Whether the file started with a UTF-8 byte order mark.
    bom: bool = False
    lines: LineIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)

    @property
    def display_path(self) -> str:
        return str(self.path) if self.path is not None else "<stdin>"

    @property
    def directives(self) -> dict[str, Directive]:
        return {n.name: n for n in self.nodes if isinstance(n, Directive)}

    @property
    def instructions(self) -> list[Instruction]:
        return [n for n in self.nodes if isinstance(n, Instruction)]

    def iter_instructions(self) -> Iterator[Instruction]:
        for n in self.nodes:
            if isinstance(n, Instruction):
                yield n

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def stage_by_ref(self, ref: str, before: int | None = None) -> Stage | None:
        """Resolve ``COPY --from=REF`` / ``FROM REF``: a stage name or index.

        ``before`` limits the search to stages defined earlier (BuildKit only
        resolves names of previous stages in FROM).
        """
        candidates = self.stages if before is None else self.stages[:before]
        low = ref.lower()
        for stage in candidates:
            if stage.name is not None and stage.name == low:
                return stage
        if ref.isdigit():
            idx = int(ref)
            if 0 <= idx < len(candidates):
                return candidates[idx]
        return None

    def render(self) -> str:
        """The source text, rebuilt from the nodes (identical to the input)."""
        return "".join(self.text[n.span.start : n.span.end] for n in self.nodes)

    def render_bytes(self) -> bytes:
        return self.render().encode("utf-8", "surrogateescape")

    def source(self, node: Node) -> str:
        return self.text[node.span.start : node.span.end]

    def position(self, offset: int) -> Position:
        return self.lines.position(offset)
