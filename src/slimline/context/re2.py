"""Translate the Go (RE2) regular expressions Docker builds into Python ones.

Docker turns each ``.dockerignore`` pattern into a Go regular expression, and
it copies ``[``, ``]``, ``^`` and backslash escapes from the user's pattern
into that expression verbatim. Python's ``re`` reads some of those
differently (POSIX ``[:alpha:]`` classes, ``\\z``, ``\\Q...\\E``, which escapes
are errors), so this module parses the expression with Go's rules and emits
an equivalent Python expression, or raises :class:`RegexSyntaxError` where Go's
``regexp.Compile`` would fail.

Only the syntax Docker can produce is handled: literals, ``.``, ``^``, ``$``,
``*``, ``?``, groups, character classes and escapes. Unicode classes
(``\\p{...}``) have no Python equivalent and are reported as unsupported.
"""

from __future__ import annotations

import re

__all__ = ["RegexSyntaxError", "translate_go_regex"]

_MAX_RUNE = 0x10FFFF

_PERL = {
    "d": ((0x30, 0x39),),
    "s": ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)),
    "w": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
}

_POSIX = {
    "alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "ascii": ((0x00, 0x7F),),
    "blank": ((0x09, 0x09), (0x20, 0x20)),
    "cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "digit": ((0x30, 0x39),),
    "graph": ((0x21, 0x7E),),
    "lower": ((0x61, 0x7A),),
    "print": ((0x20, 0x7E),),
    "punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "space": ((0x09, 0x0D), (0x20, 0x20)),
    "upper": ((0x41, 0x5A),),
    "word": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    "xdigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
}

_C_ESCAPES = {"a": 0x07, "f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}

Ranges = list[tuple[int, int]]

_REPEAT = re.compile(r"\{([0-9]+)(?:(,)([0-9]*))?\}")


class RegexSyntaxError(ValueError):
    """Go's ``regexp.Compile`` would reject the expression (or we cannot express it)."""


def _isalnum(c: str) -> bool:
    return ("0" <= c <= "9") or ("A" <= c <= "Z") or ("a" <= c <= "z")


def _unhex(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 0x30
    if "a" <= c <= "f":
        return ord(c) - 0x61 + 10
    if "A" <= c <= "F":
        return ord(c) - 0x41 + 10
    return -1


def _negate(ranges: Ranges) -> Ranges:
    out: Ranges = []
    nxt = 0
    for lo, hi in _normalize(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= _MAX_RUNE:
        out.append((nxt, _MAX_RUNE))
    return out


def _normalize(ranges: Ranges) -> Ranges:
    merged: Ranges = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _char(cp: int) -> str:
    return f"\\U{cp:08x}"


def _class_text(ranges: Ranges) -> str:
    ranges = _normalize(ranges)
    if not ranges:
        return "(?!)"
    body = "".join(_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in ranges)
    return f"[{body}]"


def _parse_escape(s: str, i: int) -> tuple[int, int]:
    """Parse a single-rune escape at ``s[i] == '\\\\'``; return (code point, next index)."""
    start = i
    i += 1
    if i >= len(s):
        raise RegexSyntaxError("trailing backslash at end of expression")
    c = s[i]
    i += 1
    if c < "\x80" and not _isalnum(c):
        return ord(c), i
    if c in "1234567":
        if i < len(s) and "0" <= s[i] <= "7":
            return _octal(c, s, i)
    elif c == "0":
        return _octal(c, s, i)
    elif c == "x":
        if i + 1 < len(s):
            x, y = _unhex(s[i]), _unhex(s[i + 1])
            if x >= 0 and y >= 0:
                return x * 16 + y, i + 2
    elif c in _C_ESCAPES:
        return _C_ESCAPES[c], i
    raise RegexSyntaxError(f"invalid escape sequence: {s[start:i]!r}")


def _octal(first: str, s: str, i: int) -> tuple[int, int]:
    value = ord(first) - 0x30
    for _ in range(2):
        if i < len(s) and "0" <= s[i] <= "7":
            value = value * 8 + ord(s[i]) - 0x30
            i += 1
        else:
            break
    return value, i


def _parse_class(s: str, i: int) -> tuple[str, int]:
    """Parse a class starting at ``s[i] == '['``; return (Python text, next index)."""
    start = i
    i += 1
    negated = False
    if i < len(s) and s[i] == "^":
        negated = True
        i += 1
    ranges: Ranges = []
    first = True
    while i >= len(s) or s[i] != "]" or first:
        first = False
        if i >= len(s):
            raise RegexSyntaxError(f"missing closing ]: {s[start:]!r}")
        if s.startswith("[:", i):
            end = s.find(":]", i + 2)
            if end >= 0:
                name = s[i + 2 : end]
                neg_group = name.startswith("^")
                posix = _POSIX.get(name[1:] if neg_group else name)
                if posix is None:
                    raise RegexSyntaxError(f"invalid character class range: {s[i : end + 2]!r}")
                ranges.extend(_negate(list(posix)) if neg_group else posix)
                i = end + 2
                continue
        if s[i] == "\\" and i + 1 < len(s):
            nxt = s[i + 1]
            if nxt in "pP":
                raise RegexSyntaxError("Unicode classes (\\p, \\P) are not supported by slimline")
            if nxt.lower() in _PERL:
                perl = list(_PERL[nxt.lower()])
                ranges.extend(_negate(perl) if nxt.isupper() else perl)
                i += 2
                continue
        lo, i = _class_char(s, i, start)
        hi = lo
        if i + 1 < len(s) and s[i] == "-" and s[i + 1] != "]":
            rng_start = i
            hi, i = _class_char(s, i + 1, start)
            if hi < lo:
                raise RegexSyntaxError(f"invalid character class range: {s[rng_start - 1 : i]!r}")
        ranges.append((lo, hi))
    i += 1  # the closing ]
    if negated:
        ranges = _negate(ranges)
    return _class_text(ranges), i


def _class_char(s: str, i: int, start: int) -> tuple[int, int]:
    if i >= len(s):
        raise RegexSyntaxError(f"missing closing ]: {s[start:]!r}")
    if s[i] == "\\":
        return _parse_escape(s, i)
    return ord(s[i]), i + 1


def translate_go_regex(expr: str) -> str:
    """Return a Python pattern (for use with ``re.ASCII``) equivalent to Go ``expr``."""
    out: list[str] = []
    i = 0
    n = len(expr)
    while i < n:
        c = expr[i]
        if c == "\\":
            if i + 1 >= n:
                raise RegexSyntaxError("trailing backslash at end of expression")
            nxt = expr[i + 1]
            if nxt == "A":
                out.append(r"\A")
                i += 2
            elif nxt == "z":
                out.append(r"\Z")
                i += 2
            elif nxt in "bB":
                out.append("\\" + nxt)
                i += 2
            elif nxt == "Q":
                end = expr.find(r"\E", i + 2)
                literal = expr[i + 2 :] if end < 0 else expr[i + 2 : end]
                out.append("".join(_char(ord(ch)) for ch in literal))
                i = n if end < 0 else end + 2
            elif nxt in "pP":
                raise RegexSyntaxError("Unicode classes (\\p, \\P) are not supported by slimline")
            elif nxt.lower() in _PERL:
                group = list(_PERL[nxt.lower()])
                out.append(_class_text(_negate(group) if nxt.isupper() else group))
                i += 2
            else:
                cp, i = _parse_escape(expr, i)
                out.append(_char(cp))
        elif c == "[":
            text, i = _parse_class(expr, i)
            out.append(text)
        elif c == "^":
            out.append(r"\A")
            i += 1
        elif c == "$":
            out.append(r"\Z")
            i += 1
        elif c == "(" and expr.startswith("(?", i):
            if expr.startswith(("(?:", "(?P<"), i):
                out.append(expr[i : i + 3])
                i += 3
            else:
                raise RegexSyntaxError(
                    f"group flags {expr[i : i + 4]!r}... are not supported by slimline"
                )
        elif c == "{":
            m = _REPEAT.match(expr, i)
            if m is None:  # Go reads a brace that is not a repeat count literally
                out.append(_char(ord(c)))
                i += 1
                continue
            if any(int(g) > 1000 for g in (m.group(1), m.group(3)) if g):
                raise RegexSyntaxError(f"invalid repeat count: {m.group(0)!r}")
            out.append(m.group(0))
            i = m.end()
        elif c in ".*?()|+":
            # Regular-expression syntax with the same meaning in Go and Python
            # (user patterns reach here unescaped only with the older matcher).
            out.append(c)
            i += 1
        elif c.isascii() and (c.isalnum() or c == "_"):
            out.append(c)  # never special unescaped; keeps "{2}" readable as a count
            i += 1
        else:
            out.append(_char(ord(c)))
            i += 1
    text = "".join(out)
    try:
        re.compile(text, re.ASCII)
    except re.error as exc:  # nested repetition and the like: Go rejects them too
        raise RegexSyntaxError(str(exc)) from exc
    return text
