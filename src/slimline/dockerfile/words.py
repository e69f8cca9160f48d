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


def extract_flags(text: str, offset: int = 0, escape: str = "\\") -> tuple[list[RawFlag], int]:
    """Leading ``--name[=value]`` words of an instruction's arguments.

    Returns the flags and the offset (in ``text``) where the arguments start.
    Mirrors BuildKit's ``extractBuilderFlags``: quotes group inside a flag, the
    escape character (``\\`` or the directive's backtick) escapes, and a lone ``--``
    ends the flags.
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
                    if text[i] == escape:
                        i += 1
                        if i == n:
                            break  # BuildKit skips an escape character at the end
                    word.append(text[i])
                    i += 1
                i += 1
                continue
            if ch == escape:
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


#: BuildKit's ``reHeredoc``: ``^(\d*)<<(-?)\s*([^<]*)$`` with Go's ASCII ``\d`` and ``\s``.
_HEREDOC_RE = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_MAX_UINT64 = 2**64 - 1


class _LexError(Exception):
    """The lexer gave up (unterminated quote, bad substitution...)."""


class _Buffer:
    """The word buffer; BuildKit's lexer shares one between nested calls."""

    __slots__ = ("chars",)

    def __init__(self) -> None:
        self.chars: list[str] = []


class _Words:
    def __init__(self, buf: _Buffer) -> None:
        self.buf = buf
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if is_space(ch):
            if self.in_word and self.buf.chars:
                self.words.append("".join(self.buf.chars))
                self.buf.chars.clear()
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_raw(self, text: str) -> None:
        if text:  # an empty quoted string ("") marks a word but adds nothing to it
            self.buf.chars.append(text)
        self.in_word = True

    def add_string(self, text: str) -> None:
        for ch in text:
            self.add_char(ch)

    def finish(self) -> list[str]:
        if self.buf.chars:
            self.words.append("".join(self.buf.chars))
            self.buf.chars.clear()
            self.in_word = False
        return self.words


class _HeredocLexer:
    """Word splitting as BuildKit's ``shell.Lex.ProcessWords`` does it to find heredocs.

    Variables are never set (``SkipUnsetEnv``: ``$X`` stays ``$X``), the escape character
    is always the backslash, and ``<<`` keeps the blanks that follow it (so ``<< EOF`` is
    one word). ``raw_quotes``/``raw_escapes`` keep quotes and escapes in the words. Any
    lexing error (an unterminated quote, ``${}``, ``${X^^}``) raises :class:`_LexError`;
    BuildKit then finds no heredoc at all on the line. Like BuildKit, a nested
    ``${X:-w}`` clears the word being built (the two share one buffer).
    """

    def __init__(self, text: str, *, raw_quotes: bool, raw_escapes: bool) -> None:
        # Go reads invalid UTF-8 as U+FFFD; undecodable bytes are surrogates here.
        self.text = "".join("\ufffd" if "\udc80" <= c <= "\udcff" else c for c in text)
        self.pos = 0
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.buf = _Buffer()

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        ch = self.peek()
        if ch:
            self.pos += 1
        return ch

    def words(self) -> list[str]:
        return self.stop_on("", self.raw_escapes)[1]

    def stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        result: list[str] = []
        self.buf.chars.clear()
        words = _Words(self.buf)
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            while self.peek():
                ch = self.peek()
                if stop and ch == stop:
                    self.next()
                    return "".join(result), words.finish()
                if ch in "$<'\"":
                    if ch == "$":
                        piece = self.dollar()
                        words.add_string(piece)
                    else:
                        piece = self.heredoc_start() if ch == "<" else self.quoted(ch)
                        words.add_raw(piece)
                    result.append(piece)
                    continue
                ch = self.next()
                if ch == "\\":
                    if self.raw_escapes:
                        words.add_raw(ch)
                        result.append(ch)
                    ch = self.next()
                    if not ch:
                        break
                    words.add_raw(ch)
                else:
                    words.add_char(ch)
                result.append(ch)
            if stop:
                raise _LexError(f"unexpected end of statement while looking for {stop}")
            return "".join(result), words.finish()
        finally:
            self.raw_escapes = saved

    def quoted(self, quote: str) -> str:
        self.next()
        out = [quote] if self.raw_quotes else []
        while True:
            ch = self.peek()
            if not ch:
                raise _LexError("unterminated quote")
            if ch == quote:
                self.next()
                if self.raw_quotes:
                    out.append(quote)
                return "".join(out)
            if quote == '"' and ch == "$":
                out.append(self.dollar())
                continue
            self.next()
            if quote == '"' and ch == "\\":
                if self.raw_escapes:
                    out.append(ch)
                if not self.peek():
                    continue
                if self.peek() in '"$\\':
                    ch = self.next()
            out.append(ch)

    def heredoc_start(self) -> str:
        self.next()
        if self.peek() != "<":
            return "<"
        self.next()
        blanks: list[str] = []
        while self.peek() and self.peek() in "\t\r ":
            blanks.append(self.next())
        return "<<" + "".join(blanks)

    def name(self) -> str:
        out: list[str] = []
        while self.peek():
            ch = self.peek()
            if not out and ch.isdecimal():
                while self.peek() and self.peek().isdecimal():
                    out.append(self.next())
                return "".join(out)
            if not out and ch in _SPECIAL_PARAMS:
                return self.next()
            if not (ch.isalpha() or ch.isdecimal() or ch == "_"):
                break
            out.append(self.next())
        return "".join(out)

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            return "$" + name
        self.next()
        if not self.peek() or self.peek() in "{}:":
            raise _LexError("bad substitution")
        name = self.name()
        ch = self.next()
        if ch == "}":
            return "${" + name + "}"
        modifier = ch
        null_is_unset = ch == ":"
        if null_is_unset:
            ch = self.next()
            modifier += ch
        if null_is_unset or (ch and ch in "+-?#%"):
            raw = ch in ("#", "%")
            if null_is_unset and raw:
                raise _LexError(f"unsupported modifier ({modifier}) in substitution")
            word, _ = self.stop_on("}", raw)
            return "${" + name + modifier + word + "}"
        if ch == "/":
            if self.peek() == "/":
                self.next()
            pattern, _ = self.stop_on("/", True)
            replacement, _ = self.stop_on("}", True)
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        raise _LexError(f"unsupported modifier ({modifier}) in substitution")


@dataclass(frozen=True, slots=True)
class HeredocMarker:
    name: str
    expand: bool
    chomp: bool
    fd: int
    start: int
    end: int


def parse_heredoc_word(word: str, start: int = 0) -> HeredocMarker | None:
    """The heredoc a word opens (BuildKit's ``ParseHeredoc``), or None.

    ``<<EOF``, ``<<-EOF``, ``<< EOF``, ``3<<"EOF"``; the delimiter must be one
    non-empty word, and any quote in it turns expansion off.
    """
    m = _HEREDOC_RE.match(word)
    if m is None:
        return None
    fd_text, dash, rest = m.groups()
    if not rest:
        return None
    try:
        names = _HeredocLexer(rest, raw_quotes=False, raw_escapes=False).words()
        raw_names = _HeredocLexer(rest, raw_quotes=True, raw_escapes=False).words()
    except _LexError:
        return None
    if len(names) != 1 or len(raw_names) != 1:
        return None
    name = names[0]
    quotes = name.count("'") + name.count('"')
    raw_quotes = raw_names[0].count("'") + raw_names[0].count('"')
    fd = int(fd_text) if fd_text else 0
    return HeredocMarker(
        name=name,
        expand=quotes == raw_quotes,
        chomp=dash == "-",
        fd=fd if fd <= _MAX_UINT64 else 0,
        start=start,
        end=start + len(word),
    )


def find_heredoc_markers(line: str) -> list[HeredocMarker]:
    """Heredoc markers (``<<EOF``, ``<<-'EOF'``, ``3<<"X"``, ``<< EOF``) in a logical line.

    As BuildKit's ``heredocsFromLine``: the whole line is split into words with its
    shell lexer (quotes and escapes kept), and every word that is a heredoc marker
    counts, in order. ``<<<`` is not a heredoc. A line the lexer rejects (an
    unterminated quote, a bad ``${...}``) has no heredocs.
    """
    if "<<" not in line:
        return []
    try:
        words = _HeredocLexer(line, raw_quotes=True, raw_escapes=True).words()
    except _LexError:
        return []
    markers: list[HeredocMarker] = []
    pos = 0
    for word in words:
        found = line.find(word, pos)
        start = found if found >= 0 else pos
        pos = start + len(word) if found >= 0 else pos
        marker = parse_heredoc_word(word, start)
        if marker is not None:
            markers.append(marker)
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
