"""Small, exact ports of the Go standard-library behaviour Docker relies on.

Docker reads ``.dockerignore`` with Go code, so a faithful matcher needs Go's
idea of white space (``strings.TrimSpace``), of a clean path
(``path/filepath.Clean``) and of a shell pattern (``path/filepath.Match``,
which Docker uses both to validate ignore patterns and to expand COPY
wildcards). These are written from the documented Go semantics; they work on
``str`` where Go works on UTF-8 bytes, which gives the same answers for any
text that is valid UTF-8.
"""

from __future__ import annotations

import re

__all__ = [
    "BadPattern",
    "NotRegular",
    "compile_go_match",
    "go_clean",
    "go_match",
    "go_trim_space",
    "has_meta",
]

# unicode.IsSpace: the Latin-1 spaces plus the White_Space property.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class BadPattern(ValueError):
    """The pattern is malformed (Go's ``filepath.ErrBadPattern``)."""


class NotRegular(ValueError):
    """A pattern no regular expression can answer exactly as Go does (see
    :func:`compile_go_match`); use :func:`go_match` for it."""


def go_trim_space(text: str) -> str:
    """Strip leading and trailing white space the way Go's ``strings.TrimSpace`` does.

    Python's ``str.strip`` also removes U+001C..U+001F, which Go keeps.
    """
    start, end = 0, len(text)
    while start < end and text[start] in _GO_SPACE:
        start += 1
    while end > start and text[end - 1] in _GO_SPACE:
        end -= 1
    return text[start:end]


def go_clean(path: str) -> str:
    """Lexically clean a slash path like Go's ``filepath.Clean`` on Unix.

    Unlike ``posixpath.normpath``, a leading ``//`` collapses to ``/`` and the
    result of cleaning an empty path is ``.``.
    """
    if path == "":
        return "."
    rooted = path.startswith("/")
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    joined = "/".join(out)
    if rooted:
        return "/" + joined
    return joined or "."


def has_meta(pattern: str) -> bool:
    """True when ``pattern`` contains a character ``filepath.Match`` treats specially."""
    return any(c in "*?[\\" for c in pattern)


def _scan_chunk(pattern: str) -> tuple[bool, str, str]:
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 < n:
                i += 1
        elif c == "[":
            in_range = True
        elif c == "]":
            in_range = False
        elif c == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _get_esc(chunk: str) -> tuple[str, str]:
    if chunk == "" or chunk[0] in "-]":
        raise BadPattern("syntax error in pattern")
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if chunk == "":
            raise BadPattern("syntax error in pattern")
    r, rest = chunk[0], chunk[1:]
    if rest == "":
        raise BadPattern("syntax error in pattern")
    return r, rest


def _match_chunk(chunk: str, s: str) -> tuple[str, bool]:
    """Match the single-character operators of ``chunk`` at the start of ``s``.

    Returns (rest of s, ok). Keeps parsing after a mismatch so that syntax
    errors anywhere in the chunk are reported, as Go does.
    """
    failed = False
    while chunk:
        if not failed and s == "":
            failed = True
        c = chunk[0]
        if c == "[":
            r = ""
            if not failed:
                r, s = s[0], s[1:]
            chunk = chunk[1:]
            negated = False
            if chunk.startswith("^"):
                negated = True
                chunk = chunk[1:]
            matched = False
            nrange = 0
            while True:
                if chunk.startswith("]") and nrange > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _get_esc(chunk)
                hi = lo
                if chunk[0] == "-":
                    hi, chunk = _get_esc(chunk[1:])
                if not failed and lo <= r <= hi:
                    matched = True
                nrange += 1
            if matched == negated:
                failed = True
        elif c == "?":
            if not failed:
                if s[0] == "/":
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
        else:
            if c == "\\":
                chunk = chunk[1:]
                if chunk == "":
                    raise BadPattern("syntax error in pattern")
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    if failed:
        return "", False
    return s, True


def go_match(pattern: str, name: str) -> bool:
    """Report whether ``name`` matches the shell ``pattern`` (Go ``filepath.Match``).

    ``*`` and ``?`` never match ``/``; ``[...]`` classes use ``^`` for negation;
    ``\\`` escapes. Raises :class:`BadPattern` for a malformed pattern.
    """
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and chunk == "":
            return "/" not in name
        rest, ok = _match_chunk(chunk, name)
        if ok and (rest == "" or pattern):
            name = rest
            continue
        if star:
            found = False
            i = 0
            while i < len(name) and name[i] != "/":
                rest, ok = _match_chunk(chunk, name[i + 1 :])
                if ok:
                    if pattern == "" and rest:
                        i += 1
                        continue
                    name = rest
                    found = True
                    break
                i += 1
            if found:
                continue
        # Before answering "no", make sure the rest of the pattern is well formed.
        while pattern:
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return name == ""


def _lit(c: str) -> str:
    return f"\\U{ord(c):08x}"


def compile_go_match(pattern: str) -> re.Pattern[str]:
    """A regular expression whose ``fullmatch`` answers exactly as ``go_match(pattern, ...)``.

    Faster when one pattern is tried against many names. Raises
    :class:`BadPattern` for a malformed pattern, like :func:`go_match`, and
    :class:`NotRegular` for a pattern with a ``*`` and a character class that can
    match ``/``: Go commits to the first place a chunk after a star matches, and
    then a later ``*`` cannot cross the ``/`` the class left behind (Go says
    ``*[?/]*`` does not match ``?/`` but matches ``a/``), which a backtracking
    regular expression cannot reproduce.
    """
    go_match(pattern, ".")  # syntax check with Go's own rules
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "\\":
            out.append(_lit(pattern[i + 1]))
            i += 2
        elif c == "[":
            i += 1
            negated = pattern[i] == "^"
            if negated:
                i += 1
            ranges: list[str] = []
            bounds: list[tuple[str, str]] = []
            first = True
            while first or pattern[i] != "]":
                first = False
                if pattern[i] == "\\":
                    i += 1
                lo = pattern[i]
                i += 1
                hi = lo
                if pattern[i] == "-":
                    i += 1
                    if pattern[i] == "\\":
                        i += 1
                    hi = pattern[i]
                    i += 1
                if lo <= hi:
                    ranges.append(f"{_lit(lo)}-{_lit(hi)}")
                    bounds.append((lo, hi))
            i += 1
            slash = any(r[0] <= "/" <= r[-1] for r in bounds)
            if (slash != negated) and "*" in pattern:
                raise NotRegular(pattern)
            if ranges:
                out.append(("[^" if negated else "[") + "".join(ranges) + "]")
            else:  # only empty ranges such as [z-a]: nothing matches, or anything does
                out.append("(?s:.)" if negated else "(?!)")
        else:
            out.append(_lit(c))
            i += 1
    return re.compile("".join(out), re.DOTALL)
