"""ARG/ENV variable expansion with BuildKit's word rules.

Supports ``$V``, ``${V}``, ``${V:-w}``, ``${V-w}``, ``${V:+w}``, ``${V+w}``,
``${V:?w}``, ``${V?w}``, prefix/suffix removal (``${V#p}``, ``${V##p}``,
``${V%p}``, ``${V%%p}``) and substitution (``${V/a/b}``, ``${V//a/b}``),
single and double quotes, and the escape character.

Expansion is bounded (docs/limits.md): one expanded word may not exceed
:data:`MAX_EXPANSION_CHARS`, and the work of a whole file (characters produced,
pattern-matching steps) is counted against an :class:`ExpansionBudget` of
:data:`MAX_EXPANSION_WORK`. Going over raises :class:`ExpansionLimitError`, so
``ARG A2=${A1}${A1}``, doubled forty times, is an error instead of exhausting memory.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from slimline.errors import ParseError

#: The longest value one ARG/ENV expansion may produce (characters).
MAX_EXPANSION_CHARS = 64 * 1024
#: The expansion work allowed for one file (or one call without a budget): characters
#: produced plus characters examined by ``#``, ``%`` and ``/`` pattern operations.
MAX_EXPANSION_WORK = 16 * 1024 * 1024

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]")


class ExpansionLimitError(ParseError):
    """An expansion over :data:`MAX_EXPANSION_CHARS` or over the work budget.

    Raised without a place; callers that know the instruction add the file and line
    (:meth:`at`)."""

    def at(self, path: object, line: int) -> ExpansionLimitError:
        return ExpansionLimitError(self.message, path=str(path), line=line)


class ExpansionBudget:
    """Expansion work left for one file; share one between the calls for a file."""

    __slots__ = ("left",)

    def __init__(self, work: int = MAX_EXPANSION_WORK) -> None:
        self.left = work

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise ExpansionLimitError(
                "ARG/ENV expansion needs more work than the limit of "
                f"{MAX_EXPANSION_WORK // (1024 * 1024)} Mi characters per file "
                "(see docs/limits.md)"
            )


def _too_long() -> ExpansionLimitError:
    return ExpansionLimitError(
        f"ARG/ENV expansion is longer than the {MAX_EXPANSION_CHARS // 1024} KiB limit "
        "(see docs/limits.md)"
    )


@dataclass
class Expansion:
    """The result of expanding a word: its value and the names that were not defined."""

    value: str
    unresolved: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return not self.unresolved


def expand(
    word: str,
    env: Mapping[str, str],
    escape: str = "\\",
    *,
    budget: ExpansionBudget | None = None,
) -> Expansion:
    """Expand variables in ``word`` and remove its quotes, as BuildKit does for FROM, COPY...

    Undefined variables expand to the empty string and are listed in
    ``unresolved`` so callers can tell a known value from a guess. Raises
    :class:`ExpansionLimitError` past the limits (``budget``: the file's, else a new one).
    """
    out = Expansion("")
    spend = budget if budget is not None else ExpansionBudget()
    out.value = _Expander(word, env, escape, out.unresolved, spend).run()
    return out


def expand_value(word: str, env: Mapping[str, str], escape: str = "\\") -> str:
    return expand(word, env, escape).value


class _Expander:
    def __init__(
        self,
        text: str,
        env: Mapping[str, str],
        escape: str,
        unresolved: set[str],
        budget: ExpansionBudget,
    ):
        self.text = text
        self.env = env
        self.escape = escape
        self.unresolved = unresolved
        self.budget = budget
        self.added = 0
        self.i = 0

    def run(self) -> str:
        out: list[str] = []
        text = self.text
        n = len(text)
        while self.i < n:
            ch = text[self.i]
            if ch == self.escape:
                if self.i + 1 < n:
                    out.append(text[self.i + 1])
                self.i += 2
            elif ch == "'":
                end = text.find("'", self.i + 1)
                if end == -1:
                    end = n
                out.append(text[self.i + 1 : end])
                self.i = end + 1
            elif ch == '"':
                self.i += 1
                while self.i < n and text[self.i] != '"':
                    c = text[self.i]
                    if c == self.escape and self.i + 1 < n:
                        out.append(text[self.i + 1])
                        self.i += 2
                    elif c == "$":
                        out.append(self.substitute())
                    else:
                        out.append(c)
                        self.i += 1
                self.i += 1
            elif ch == "$":
                out.append(self.substitute())
            else:
                out.append(ch)
                self.i += 1
        return "".join(out)

    def substitute(self) -> str:
        """A ``$`` substitution; what substitutions add is what may grow without bound."""
        value = self.dollar()
        self.added += len(value)
        self.budget.spend(len(value))
        if self.added > MAX_EXPANSION_CHARS:
            raise _too_long()
        return value

    def lookup(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None:
            self.unresolved.add(name)
        return value

    def dollar(self) -> str:
        text = self.text
        self.i += 1  # past "$"
        if self.i >= len(text):
            return "$"
        if text[self.i] != "{":
            m = _NAME_RE.match(text, self.i)
            if m is None:
                return "$"
            self.i = m.end()
            return self.lookup(m.group()) or ""
        # ${...}: find the matching brace, allowing nested ${...} in the word part.
        depth = 0
        j = self.i
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        body = text[self.i + 1 : j]
        self.i = j + 1
        m = _NAME_RE.match(body)
        if m is None:
            return ""
        name = m.group()
        rest = body[m.end() :]
        value = self.env.get(name)
        if not rest:
            return self.lookup(name) or ""

        def sub(word: str) -> Expansion:
            return expand(word, self.env, self.escape, budget=self.budget)

        for op in (":-", ":+", ":?", "-", "+", "?"):
            if rest.startswith(op):
                word = rest[len(op) :]
                unset = value is None or (op.startswith(":") and value == "")
                if op.endswith("-"):
                    if unset:
                        w = sub(word)
                        self.unresolved |= w.unresolved
                        return w.value
                    return value or ""
                if op.endswith("+"):
                    if unset:
                        return ""
                    w = sub(word)
                    self.unresolved |= w.unresolved
                    return w.value
                # "?": an error in BuildKit when unset; we only record it.
                if unset:
                    self.unresolved.add(name)
                    return ""
                return value or ""
        if value is None:
            self.unresolved.add(name)
            return ""
        return _pattern_op(value, rest, self.budget)


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


def _pattern_op(value: str, rest: str, budget: ExpansionBudget) -> str:
    """``#``, ``##``, ``%``, ``%%`` and ``/`` operations with shell glob patterns.

    Prefix and suffix removal try every cut; each try is charged to ``budget`` (the
    length it may examine), so a long value with a pattern that never matches stops.
    """
    if rest.startswith("##") or rest.startswith("#"):
        greedy = rest.startswith("##")
        regex = _glob(rest[2:] if greedy else rest[1:])
        lengths = range(len(value), -1, -1) if greedy else range(len(value) + 1)
        for k in lengths:
            budget.spend(k + 1)
            if regex.match(value, 0, k):
                return value[k:]
        return value
    if rest.startswith("%%") or rest.startswith("%"):
        greedy = rest.startswith("%%")
        regex = _glob(rest[2:] if greedy else rest[1:])
        starts = range(len(value) + 1) if greedy else range(len(value), -1, -1)
        for k in starts:
            budget.spend(len(value) - k + 1)
            if regex.match(value, k):
                return value[:k]
        return value
    if rest.startswith("/"):
        every = rest.startswith("//")
        spec = rest[2:] if every else rest[1:]
        pat, _, repl = spec.partition("/")
        if not pat:
            return value
        # fnmatch.translate gives "(?s:...)\\Z"; drop the anchor to search anywhere.
        regex = re.compile(fnmatch.translate(pat).removesuffix("\\Z"))
        budget.spend(len(value) * max(1, len(pat)))
        try:
            return regex.sub(repl.replace("\\", "\\\\"), value, count=0 if every else 1)
        except re.error:
            return value
    return value
