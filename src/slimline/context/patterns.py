"""Docker's ignore-pattern language: compiling patterns and matching paths.

This follows the behaviour of ``github.com/moby/patternmatcher``, the code the
docker CLI, BuildKit and the classic builder all use:

* each pattern is trimmed, cleaned (``filepath.Clean``) and split into an
  exclusion flag (a leading ``!``) and the pattern proper, which must be a
  valid ``filepath.Match`` pattern;
* a pattern is matched against the whole slash path relative to the context
  root. ``*`` matches any run of characters except ``/``, ``?`` one character
  except ``/``, ``[...]`` a class, ``\\`` escapes the next character, ``**``
  any number of directories (including none);
* a pattern made only of literals is an exact comparison, a literal followed
  by a final ``**`` a prefix test, and ``**`` followed by literals a *suffix
  test* (so ``**.pyc`` matches ``a/b.pyc`` and ``**foo`` matches ``barfoo``);
  everything else becomes a regular expression;
* a pattern that matches a directory also matches everything below it;
* patterns are read in order and the last one that matches decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from slimline.context.gosemantics import BadPattern, go_clean, go_match, go_trim_space
from slimline.context.re2 import RegexSyntaxError, translate_go_regex

__all__ = [
    "CompiledPattern",
    "MatchKind",
    "MatchResult",
    "PatternError",
    "PatternMatcher",
    "compile_pattern",
]

# Characters patternmatcher escapes because they are regexp syntax but plain
# characters in filepath.Match patterns.
_REGEX_ONLY = frozenset(".+()|{}$")


class PatternError(ValueError):
    """A pattern Docker would refuse; ``index`` is its position in the list."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


class MatchKind(Enum):
    """How a compiled pattern is tested (mirrors patternmatcher's match types)."""

    EXACT = "exact"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    REGEX = "regex"


@dataclass(frozen=True)
class CompiledPattern:
    """One pattern, cleaned and compiled once."""

    text: str
    """The cleaned pattern without its ``!`` (what Docker calls ``String()``)."""
    exclusion: bool
    """True for a ``!`` pattern, which re-includes what it matches."""
    kind: MatchKind
    go_regex: str
    """The Go regular expression Docker builds (informative; ``^...$``)."""
    regex: re.Pattern[str] | None = field(compare=False)

    def match(self, path: str) -> bool:
        """Test the pattern against one slash path (no parent-directory logic)."""
        if self.kind is MatchKind.EXACT:
            return path == self.text
        if self.kind is MatchKind.PREFIX:
            return path.startswith(self.text[:-2])
        if self.kind is MatchKind.SUFFIX:
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self.regex is not None
        return self.regex.search(path) is not None  # Go MatchString is unanchored

    def matches_self_or_parent(self, path: str) -> bool:
        """True when the pattern matches ``path`` or one of its parent directories."""
        if self.match(path):
            return True
        parts = path.split("/")
        return any(self.match("/".join(parts[:i])) for i in range(1, len(parts)))

    @property
    def literal_prefix(self) -> str:
        """The pattern with one trailing ``/**`` and then one ``/*`` removed.

        BuildKit uses this to decide whether an excluded directory must still
        be walked because an exception could re-include something inside it.
        """
        text = self.text
        if text.endswith("/**"):
            text = text[:-3]
        if text.endswith("/*"):
            text = text[:-2]
        return text


def _go_regex(pattern: str) -> tuple[str, MatchKind]:
    """Build Docker's regular expression for a cleaned pattern and pick its match kind."""
    reg = ["^"]
    kind = MatchKind.EXACT
    i = 0
    n = len(pattern)
    step = 0
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                if i >= n:
                    if kind is MatchKind.EXACT:
                        kind = MatchKind.PREFIX
                    else:
                        reg.append(".*")
                        kind = MatchKind.REGEX
                else:
                    reg.append("(.*/)?")
                    kind = MatchKind.REGEX
                if step == 0:
                    kind = MatchKind.SUFFIX
            else:
                reg.append("[^/]*")
                kind = MatchKind.REGEX
        elif ch == "?":
            reg.append("[^/]")
            kind = MatchKind.REGEX
        elif ch in _REGEX_ONLY:
            reg.append("\\" + ch)
        elif ch == "\\":
            if i < n:
                reg.append("\\" + pattern[i])
                i += 1
                kind = MatchKind.REGEX
            else:
                reg.append("\\")
        elif ch in "[]":
            reg.append(ch)
            kind = MatchKind.REGEX
        else:
            reg.append(ch)
        step += 1
    if kind is MatchKind.REGEX:
        reg.append("$")
    return "".join(reg), kind


def _go_regex_fileutils(pattern: str) -> str:
    """The regular expression of docker's older ``pkg/fileutils`` (Docker 20.10 and before).

    It escaped only ``.`` and ``$``, so ``+``, ``(``, ``)``, ``|``, ``{`` and
    ``}`` kept their regular-expression meaning, and ``**`` was never a
    prefix or suffix test.
    """
    reg = ["^"]
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                reg.append(".*" if i >= n else "(.*/)?")
            else:
                reg.append("[^/]*")
        elif ch == "?":
            reg.append("[^/]")
        elif ch in ".$":
            reg.append("\\" + ch)
        elif ch == "\\":
            if i < n:
                reg.append("\\" + pattern[i])
                i += 1
            else:
                reg.append("\\")
        else:
            reg.append(ch)
    reg.append("$")
    return "".join(reg)


def compile_pattern(raw: str, index: int = 0, *, legacy: bool = False) -> CompiledPattern | None:
    """Compile one pattern as ``patternmatcher.New`` does; ``None`` for a blank one.

    ``legacy`` compiles it as the docker CLI 20.10 and older did (see
    :func:`_go_regex_fileutils`). Raises :class:`PatternError` where Docker
    would fail the build: a lone ``!``, a malformed ``filepath.Match`` pattern
    (such as an unclosed ``[``) or a regular expression Go cannot compile.
    """
    p = go_trim_space(raw)
    if p == "":
        return None
    p = go_clean(p)
    exclusion = False
    if p.startswith("!"):
        if len(p) == 1:
            raise PatternError('illegal exclusion pattern: "!"', index)
        exclusion = True
        p = p[1:]
    try:
        go_match(p, ".")
    except BadPattern as exc:
        raise PatternError(f"syntax error in pattern {p!r}", index) from exc
    if legacy:
        go_regex, kind = _go_regex_fileutils(p), MatchKind.REGEX
    else:
        go_regex, kind = _go_regex(p)
    regex: re.Pattern[str] | None = None
    if kind is MatchKind.REGEX:
        try:
            regex = re.compile(translate_go_regex(go_regex), re.ASCII)
        except RegexSyntaxError as exc:
            raise PatternError(f"syntax error in pattern {p!r}: {exc}", index) from exc
    return CompiledPattern(text=p, exclusion=exclusion, kind=kind, go_regex=go_regex, regex=regex)


@dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one path, plus what its children need to know."""

    excluded: bool
    decider: int | None
    """Index of the last pattern that matched (and so decided), if any."""
    parent_info: tuple[bool, ...]
    """Per pattern: did it match this path (or an ancestor)? Feed to children."""


class PatternMatcher:
    """An ordered list of compiled patterns with Docker's two matching algorithms."""

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        self.patterns: tuple[CompiledPattern, ...] = tuple(patterns)
        self.has_exclusions = any(p.exclusion for p in self.patterns)

    @classmethod
    def from_strings(cls, patterns: Sequence[str], *, legacy: bool = False) -> PatternMatcher:
        """Compile a list of pattern strings (blank ones are dropped)."""
        compiled = []
        for index, raw in enumerate(patterns):
            pat = compile_pattern(raw, index, legacy=legacy)
            if pat is not None:
                compiled.append(pat)
        return cls(compiled)

    def match_using_parent(self, path: str, parent_info: tuple[bool, ...] | None) -> MatchResult:
        """Match ``path`` as a directory walk does (``MatchesUsingParentResults``).

        ``parent_info`` comes from the parent directory's result; ``None`` for
        a top-level entry (then parents are matched explicitly). A pattern that
        matched the parent counts as matching the child. A pattern skipped for
        the parent (because it could not change the state there) is evaluated
        for the child against the child's own path only.
        """
        matched = False
        decider: int | None = None
        info = [False] * len(self.patterns)
        for i, pat in enumerate(self.patterns):
            hit = parent_info[i] if parent_info else False
            if not hit:
                if pat.exclusion != matched:
                    continue
                hit = pat.match(path) if parent_info else pat.matches_self_or_parent(path)
            info[i] = hit
            if hit:
                matched = not pat.exclusion
                decider = i
        return MatchResult(excluded=matched, decider=decider, parent_info=tuple(info))

    def match_or_parent(self, path: str) -> MatchResult:
        """Match ``path`` on its own (``MatchesOrParentMatches``).

        Used by Docker outside a walk, e.g. to decide whether the Dockerfile
        and ``.dockerignore`` are removed from a classic build's context.
        """
        matched = False
        decider: int | None = None
        for i, pat in enumerate(self.patterns):
            if pat.exclusion != matched:
                continue
            if pat.matches_self_or_parent(path):
                matched = not pat.exclusion
                decider = i
        return MatchResult(excluded=matched, decider=decider, parent_info=())

    def match_single_parent(self, path: str) -> MatchResult:
        """Match ``path`` as the deprecated ``Matches`` does (docker 20.10's walks).

        Besides the path itself, each pattern is tried against only one parent:
        the ancestor with as many components as the pattern has. So ``**/foo``
        (two components) does not match ``x/y/foo/z`` unless ``x/y/foo`` itself
        is tested, which a walk does before entering it.
        """
        matched = False
        decider: int | None = None
        parts = path.split("/")
        parents = len(parts) - 1
        for i, pat in enumerate(self.patterns):
            if pat.exclusion != matched:
                continue
            hit = pat.match(path)
            if not hit and parents > 0:
                depth = pat.text.count("/") + 1
                if depth <= parents:
                    hit = pat.match("/".join(parts[:depth]))
            if hit:
                matched = not pat.exclusion
                decider = i
        return MatchResult(excluded=matched, decider=decider, parent_info=())
