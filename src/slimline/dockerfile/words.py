"""Word splitting as BuildKit's Dockerfile front end does it.

These helpers work on a logical line (continuations already joined) and return
words together with their offsets, so that callers can map them back to the
source. They follow BuildKit's rules, which are close to, but not the same as,
a POSIX shell's: only whitespace separates words, quotes group, and the escape
character protects the next character.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

#: Characters that Python's ``str.isspace`` accepts but Go's ``unicode.IsSpace``
#: (which BuildKit uses) does not: the ASCII file, group, record and unit separators.
_NOT_GO_SPACE = frozenset("\x1c\x1d\x1e\x1f")


def is_space(ch: str) -> bool:
    """White space as BuildKit sees it (Go's ``unicode.IsSpace``)."""
    return ch.isspace() and ch not in _NOT_GO_SPACE


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a logical line: its text with quotes removed, its raw form and offsets."""

    value: str
    raw: str
    start: int
    end: int
    quoted: bool


def split_words(text: str, escape: str = "\\", *, keep_quotes: bool = False) -> list[Word]:
    """Split ``text`` into whitespace-separated words, honouring quotes and escapes.

    With ``keep_quotes`` the values keep their quote characters and escapes (the
    ``RawQuotes``/``RawEscapes`` mode BuildKit uses to find heredocs).
    """
    words: list[Word] = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and is_space(text[i]):
            i += 1
        if i >= n:
            break
        start = i
        out: list[str] = []
        quoted = False
        while i < n and not is_space(text[i]):
            ch = text[i]
            if ch == escape:
                if i + 1 < n:
                    if keep_quotes:
                        out.append(ch)
                    out.append(text[i + 1])
                    i += 2
                else:
                    if keep_quotes:
                        out.append(ch)
                    i += 1
                continue
            if ch in "'\"":
                quoted = True
                quote = ch
                if keep_quotes:
                    out.append(ch)
                i += 1
                while i < n and text[i] != quote:
                    if quote == '"' and text[i] == escape and i + 1 < n:
                        if keep_quotes:
                            out.append(text[i])
                        out.append(text[i + 1])
                        i += 2
                        continue
                    out.append(text[i])
                    i += 1
                if i < n:
                    if keep_quotes:
                        out.append(quote)
                    i += 1
                continue
            out.append(ch)
            i += 1
        words.append(Word("".join(out), text[start:i], start, i, quoted))
    return words


@dataclass(frozen=True, slots=True)
class RawFlag:
    name: str
    value: str | None
    raw: str
    start: int
    end: int


def extract_flags(text: str, offset: int = 0) -> tuple[list[RawFlag], int]:
    """Leading ``--name[=value]`` words of an instruction's arguments.

    Returns the flags and the offset (in ``text``) where the arguments start.
    Mirrors BuildKit's ``extractBuilderFlags``: quotes group inside a flag, a
    backslash escapes, and a lone ``--`` ends the flags.
    """
    flags: list[RawFlag] = []
    i = offset
    n = len(text)
    while True:
        while i < n and is_space(text[i]):
            i += 1
        if i >= n:
            return flags, n
        if not text.startswith("--", i):
            return flags, i
        start = i
        word: list[str] = []
        while i < n and not is_space(text[i]):
            ch = text[i]
            if ch in "'\"":
                quote = ch
                i += 1
                while i < n and text[i] != quote:
                    if text[i] == "\\" and i + 1 < n:
                        i += 1
                    word.append(text[i])
                    i += 1
                i += 1
                continue
            if ch == "\\":
                if i + 1 < n:
                    i += 1
                    word.append(text[i])
                i += 1
                continue
            word.append(ch)
            i += 1
        body = "".join(word)
        if body == "--":
            # BuildKit: "--" ends the flags; the arguments start after it.
            return flags, i
        name, sep, value = body[2:].partition("=")
        flags.append(RawFlag(name, value if sep else None, text[start:i], start, i))


_HEREDOC_RE = re.compile(r"^(\d*)<<(-?)([^<]*)$")


@dataclass(frozen=True, slots=True)
class HeredocMarker:
    name: str
    expand: bool
    chomp: bool
    fd: int
    start: int
    end: int


def find_heredoc_markers(line: str) -> list[HeredocMarker]:
    """Heredoc markers (``<<EOF``, ``<<-'EOF'``, ``3<<"X"``) in a logical line, in order.

    Like BuildKit, a marker must be a word of its own; ``<<<`` is not a heredoc,
    and the delimiter's quotes decide whether the body is expanded.
    """
    markers: list[HeredocMarker] = []
    for word in split_words(line, "\\", keep_quotes=True):
        m = _HEREDOC_RE.match(word.value)
        if m is None:
            continue
        fd_text, dash, rest = m.groups()
        if not rest:
            continue
        parts = split_words(rest, "\\")
        if len(parts) != 1:
            continue
        name = parts[0].value
        raw_quotes = rest.count("'") + rest.count('"')
        name_quotes = name.count("'") + name.count('"')
        markers.append(
            HeredocMarker(
                name=name,
                expand=raw_quotes == name_quotes,
                chomp=dash == "-",
                fd=int(fd_text) if fd_text else 0,
                start=word.start,
                end=word.end,
            )
        )
    return markers


def parse_json_array(text: str) -> list[str] | None:
    """The exec form of ``text`` when it is a JSON array of strings, else None.

    Anything else (invalid JSON, ``'`` quotes, non-string items) is shell form
    as far as the model goes; the linter reports arguments that look like an
    exec form but are not one.
    """
    k = 0
    while k < len(text) and is_space(text[k]):
        k += 1
    stripped = text[k:]
    if not stripped.startswith("["):
        return None
    try:
        value = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return value
