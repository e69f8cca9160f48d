"""The lossless Dockerfile parser.

It follows BuildKit's front end (``frontend/dockerfile/parser``) line by line:
parser directives at the top, continuation lines ending in the escape character
(comments and blank lines allowed inside), heredocs after RUN/COPY/ADD, flags
before the arguments, and JSON (exec) or shell form. Unlike BuildKit it keeps
every byte: the file becomes a list of nodes whose source ranges partition it.
"""

from __future__ import annotations

import re
from pathlib import Path

from slimline import fsio
from slimline.dockerfile.expand import ExpansionBudget, ExpansionLimitError, expand
from slimline.dockerfile.model import (
    Blank,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    LogicalText,
    Node,
    Segment,
    Span,
    Stage,
)
from slimline.dockerfile.words import (
    extract_flags,
    find_heredoc_markers,
    is_space,
    parse_json_array,
    split_words,
)
from slimline.errors import ParseError, SlimlineError, printable

#: Directives BuildKit recognises; an unknown one ends the directive block.
VALID_DIRECTIVES = frozenset({"syntax", "escape", "check"})
#: directives.go: after the ``#``, any white space (Go's unicode.IsSpace), then
#: ``([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`` with Go's ASCII ``\s``.
_DIRECTIVE_RE = re.compile(
    r"#[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
    r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z"
)

#: Instructions whose arguments may be a JSON array.
EXEC_FORM_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "ADD", "COPY", "VOLUME"})
#: Instructions that may carry heredocs.
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
#: Every instruction BuildKit knows.
KNOWN_KEYWORDS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)

#: Build arguments BuildKit defines for every build (usable in FROM).
AUTOMATIC_PLATFORM_ARGS = {
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
}

_SPACES = " \t\v\f\r"


class _Line:
    """A physical line: where it starts, where its content ends, where it ends."""

    __slots__ = ("content_end", "end", "start")

    def __init__(self, start: int, content_end: int, end: int) -> None:
        self.start = start
        self.content_end = content_end
        self.end = end


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl + 1
        content_end = end
        # BuildKit trims every trailing \r and \n of a line.
        while content_end > pos and text[content_end - 1] in "\r\n":
            content_end -= 1
        lines.append(_Line(pos, content_end, end))
        pos = end
    return lines


def _lstrip_offset(text: str, start: int, end: int) -> int:
    while start < end and is_space(text[start]):
        start += 1
    return start


def parse(text: str, path: str | Path | None = None) -> Dockerfile:
    """Parse Dockerfile source text. Raises :class:`ParseError` on invalid input."""
    return _Parser(text, Path(path) if path is not None else None).parse()


def parse_bytes(data: bytes, path: str | Path | None = None) -> Dockerfile:
    """Parse raw bytes; undecodable bytes are kept (``surrogateescape``)."""
    return parse(data.decode("utf-8", "surrogateescape"), path)


def parse_file(path: str | Path) -> Dockerfile:
    """Read and parse a Dockerfile the user gave (see :func:`parse_user_bytes`).

    Only a regular file of at most :data:`~slimline.fsio.MAX_DOCKERFILE_BYTES` is read:
    a FIFO, a device or a directory is refused without blocking. Raises
    :class:`ParseError` naming the file.
    """
    p = Path(path)
    try:
        data = fsio.read_bytes(p, limit=fsio.MAX_DOCKERFILE_BYTES, what="Dockerfile")
    except SlimlineError as exc:
        raise ParseError(exc.message, path=p, line=exc.line) from None
    return parse_user_bytes(data, p)


def parse_user_bytes(data: bytes, path: str | Path) -> Dockerfile:
    """Parse a file the user means to build, and refuse what BuildKit would refuse to build.

    On top of :func:`parse_bytes`: binary data (a NUL byte, or mostly bytes that are not
    UTF-8) is "not a Dockerfile"; a file with no instruction, or with no ``FROM``,
    cannot be built (BuildKit: "file with no instructions", "no build stage in current
    context"). Fragments without ``FROM`` can still be parsed with :func:`parse`.
    """
    from slimline.dockerfile.semantics import Semantics  # it imports this module

    check_not_binary(data, path)
    df = parse_bytes(data, path)
    check_buildable(df)
    Semantics(df)  # ARG/ENV limits: an error here is about this file, not a rule's
    return df


#: A file is binary when more than this share of its bytes do not decode as UTF-8.
BINARY_UNDECODABLE_RATIO = 0.25


def check_not_binary(data: bytes, path: str | Path) -> None:
    """Raise :class:`ParseError` for data that is not text (a NUL byte, or mostly bytes
    that are not UTF-8): one clear error instead of a finding on every "line" of it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(
            "not a Dockerfile: the text is UTF-16 (save it as UTF-8)", path=path, line=1
        )
    nul = data.find(b"\0")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise ParseError("not a Dockerfile: binary data (a NUL byte)", path=path, line=line)
    text = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    if data and bad > BINARY_UNDECODABLE_RATIO * len(data):
        raise ParseError(
            f"not a Dockerfile: binary data ({bad * 100 // len(data)}% of its bytes are not UTF-8)",
            path=path,
            line=1,
        )


def check_buildable(df: Dockerfile) -> None:
    """Raise :class:`ParseError` when BuildKit could not build the file at all: no
    instruction, or no ``FROM`` (an instruction other than ARG before any FROM in a file
    that has a FROM is left to rule SL415, which says more)."""
    where = df.path if df.path is not None else "<stdin>"
    instructions = df.instructions
    if not instructions:
        raise ParseError("file with no instructions", path=where, line=1)
    if df.stages:
        return
    first = next((i for i in instructions if i.keyword != "ARG"), None)
    if first is None:
        raise ParseError(
            "dockerfile contains no stages to build (no FROM)",
            path=where,
            line=instructions[-1].line,
        )
    raise ParseError(
        f"no build stage in current context: {first.keyword} before any FROM",
        path=where,
        line=first.line,
    )


class _Parser:
    def __init__(self, text: str, path: Path | None) -> None:
        self.text = text
        self.path = path
        self.lines = _split_lines(text)
        self.escape = "\\"
        self.bom = text.startswith("\ufeff")
        self.nodes: list[Node] = []

    def error(self, message: str, line: int) -> ParseError:
        # The message may quote the file (a heredoc name): no raw control characters.
        return ParseError(
            printable(message), path=self.path if self.path is not None else "<stdin>", line=line
        )

    # -- top level ---------------------------------------------------------------------------
    def parse(self) -> Dockerfile:
        text = self.text
        lines = self.lines
        directives_done = False
        seen: set[str] = set()
        i = 0
        while i < len(lines):
            ln = lines[i]
            start = ln.start + (1 if i == 0 and self.bom else 0)
            content_start = _lstrip_offset(text, start, ln.content_end)
            content = text[content_start : ln.content_end]
            if not directives_done:
                m = _DIRECTIVE_RE.match(content)
                if m is not None and m.group(1).lower() in VALID_DIRECTIVES:
                    name = m.group(1).lower()
                    if name in seen:
                        raise self.error(f"only one {name} parser directive can be used", i + 1)
                    seen.add(name)
                    value = m.group(2)
                    if name == "escape":
                        if value not in ("`", "\\"):
                            raise self.error(
                                f"invalid escape token {value!r}: it must be ` or \\", i + 1
                            )
                        self.escape = value
                    self.nodes.append(Directive(Span(ln.start, ln.end), i + 1, i + 1, name, value))
                    i += 1
                    continue
                directives_done = True
            if not content:
                self.nodes.append(Blank(Span(ln.start, ln.end), i + 1, i + 1))
                i += 1
                continue
            if content.startswith("#"):
                self.nodes.append(
                    Comment(Span(ln.start, ln.end), i + 1, i + 1, content[1:].strip())
                )
                i += 1
                continue
            instruction, i = self.instruction(i, content_start)
            self.nodes.append(instruction)
        dockerfile = Dockerfile(
            path=self.path,
            text=text,
            nodes=self.nodes,
            escape=self.escape,
            stages=[],
            global_args=[],
            bom=self.bom,
        )
        _build_stages(dockerfile)
        return dockerfile

    # -- one instruction ---------------------------------------------------------------------
    def _continues(self, start: int, end: int) -> int | None:
        """If the line ``[start, end)`` ends with the escape character (then blanks),
        return the offset of that character; else None.

        Like BuildKit's continuation regex, an escape character preceded by another
        one (``echo \\\\``) is not a continuation, unless it is alone on the line.
        """
        j = end
        while j > start and self.text[j - 1] in " \t":
            j -= 1
        if j > start and self.text[j - 1] == self.escape:
            if j - 1 > start and self.text[j - 2] == self.escape:
                return None
            return j - 1
        return None

    def instruction(self, index: int, content_start: int) -> tuple[Instruction, int]:
        text = self.text
        lines = self.lines
        first = lines[index]
        segments: list[Segment] = []
        parts: list[str] = []
        inner_comments: list[str] = []
        length = 0

        def add(start: int, end: int) -> None:
            nonlocal length
            if end > start:
                segments.append(Segment(length, start, end - start))
                parts.append(text[start:end])
                length += end - start

        cont = self._continues(content_start, first.content_end)
        add(content_start, first.content_end if cont is None else cont)
        i = index
        while cont is not None and i + 1 < len(lines):
            i += 1
            ln = lines[i]
            stripped_start = _lstrip_offset(text, ln.start, ln.content_end)
            if stripped_start < ln.content_end and text[stripped_start] == "#":
                inner_comments.append(text[stripped_start + 1 : ln.content_end].strip())
                continue
            if stripped_start == ln.content_end:
                continue  # an empty continuation line
            cont = self._continues(ln.start, ln.content_end)
            add(ln.start, ln.content_end if cont is None else cont)
        last_line = i
        logical = LogicalText("".join(parts), segments)
        inst = self._make_instruction(logical, index + 1)
        inst.inner_comments = inner_comments

        effective = inst.effective
        if effective.keyword in HEREDOC_KEYWORDS and effective.exec_form is None:
            markers = find_heredoc_markers(logical.text)
            for marker in markers:
                body_start_line = last_line + 1
                terminated = False
                j = last_line
                while j + 1 < len(lines):
                    j += 1
                    ln = lines[j]
                    candidate = text[ln.start : ln.content_end]
                    if marker.chomp:
                        candidate = candidate.lstrip("\t")
                    if candidate == marker.name:
                        terminated = True
                        break
                if not terminated:
                    raise self.error(
                        f"unterminated heredoc <<{marker.name} (no line {marker.name!r} "
                        "before the end of the file)",
                        index + 1,
                    )
                body_span = Span(lines[body_start_line].start, lines[j].start)
                heredoc = Heredoc(
                    name=marker.name,
                    expand=marker.expand,
                    chomp=marker.chomp,
                    fd=marker.fd,
                    # BuildKit keeps the body lines byte for byte, line endings included.
                    content=text[body_span.start : body_span.end],
                    body_span=body_span,
                    terminator_span=Span(lines[j].start, lines[j].end),
                    body_line=body_start_line + 1,
                )
                effective.heredocs.append(heredoc)
                if effective is not inst:
                    inst.heredocs.append(heredoc)
                last_line = j
        inst.span = Span(first.start, lines[last_line].end)
        inst.end_line = last_line + 1
        if inst.inner is not None:
            inst.inner.span = inst.span
            inst.inner.end_line = inst.end_line
        return inst, last_line + 1

    def _make_instruction(self, logical: LogicalText, line: int, offset: int = 0) -> Instruction:
        """Build an instruction from ``logical.text[offset:]`` (offset > 0 for ONBUILD)."""
        text = logical.text
        # BuildKit trims the line (Go's unicode white space), then splits the keyword
        # off at the first run of [ \t\v\f\r].
        k = offset
        end = len(text)
        while k < end and is_space(text[k]):
            k += 1
        while end > k and is_space(text[end - 1]):
            end -= 1
        kw_start = k
        while k < end and text[k] not in _SPACES:
            k += 1
        raw_keyword = text[kw_start:k]
        keyword = raw_keyword.upper()
        raw_flags, args_start = extract_flags(text, k, self.escape)
        args_end = end
        args_start = min(args_start, args_end)
        while args_start < args_end and is_space(text[args_start]):
            args_start += 1
        flags = [Flag(f.name, f.value, f.raw, f.start, f.end) for f in raw_flags]
        inner: Instruction | None = None
        exec_form: list[str] | None = None
        if keyword == "ONBUILD":
            # BuildKit splits flags off ONBUILD too (and rejects them when it builds);
            # the rest is a whole instruction.
            inner = self._make_instruction(logical, line, args_start)
        args = text[args_start:args_end]
        if keyword in EXEC_FORM_KEYWORDS:
            exec_form = parse_json_array(args)
        elif keyword == "HEALTHCHECK":
            # parseHealthConfig: the first word is the type (CMD, NONE), the rest may be JSON.
            sep = 0
            while sep < len(args) and not is_space(args[sep]):
                sep += 1
            if sep:
                exec_form = parse_json_array(args[sep:])
        inst = Instruction(
            span=Span(0, 0),
            line=line,
            end_line=line,
            keyword=keyword,
            raw_keyword=raw_keyword,
            logical=logical,
            flags=flags,
            args_start=args_start,
            args=args,
            exec_form=exec_form,
            inner=inner,
        )
        return inst


def _build_stages(df: Dockerfile) -> None:
    """Group instructions into stages and resolve FROM bases and names."""
    global_env: dict[str, str] = dict(AUTOMATIC_PLATFORM_ARGS)
    current: Stage | None = None
    budget = ExpansionBudget()

    def expand_at(inst: Instruction, word: str) -> str:
        try:
            return expand(word, global_env, df.escape, budget=budget).value
        except ExpansionLimitError as exc:
            raise exc.at(df.display_path, inst.line) from None

    for inst in df.iter_instructions():
        if inst.keyword == "FROM":
            words = split_words(inst.args, df.escape)
            base_raw = words[0].raw if words else ""
            name = None
            if len(words) >= 3 and words[1].value.lower() == "as":
                name = words[2].value.lower()
            platform_flag = inst.flag("platform")
            base_expanded = expand_at(inst, base_raw)
            stage = Stage(
                index=len(df.stages),
                from_instruction=inst,
                base=base_raw,
                base_expanded=base_expanded,
                name=name,
                platform=platform_flag.value if platform_flag is not None else None,
            )
            parent = df.stage_by_ref(base_expanded, before=stage.index) if base_expanded else None
            if parent is not None and parent.name is not None:
                stage.parent = parent.index
            df.stages.append(stage)
            current = stage
            inst.stage_index = stage.index
            stage.instructions.append(inst)
            continue
        if current is None:
            if inst.keyword == "ARG":
                df.global_args.append(inst)
                # An ARG without a default (and no --build-arg) stays unset, as in
                # BuildKit's buildMetaArgs: `${V-x}` gives x, `${V+x}` gives nothing.
                for key, value in arg_pairs(inst, df.escape):
                    if value is not None:
                        global_env[key] = expand_at(inst, value)
            continue
        inst.stage_index = current.index
        current.instructions.append(inst)


def arg_pairs(inst: Instruction, escape: str = "\\") -> list[tuple[str, str | None]]:
    """``ARG a b=1`` -> [("a", None), ("b", "1")] (values unexpanded, quotes kept)."""
    pairs: list[tuple[str, str | None]] = []
    for word in split_words(inst.args, escape):
        key, sep, _ = word.raw.partition("=")
        pairs.append((key, word.raw[len(key) + 1 :] if sep else None))
    return pairs
