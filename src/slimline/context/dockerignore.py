"""Reading ``.dockerignore`` files and answering "is this path sent?".

Which file applies (BuildKit): ``<Dockerfile name>.dockerignore`` next to the
Dockerfile when it exists, otherwise ``.dockerignore`` at the context root.
The classic builder only reads the root file.

How the file is read (``patternmatcher/ignorefile.ReadAll``): a UTF-8 BOM on
the first line is dropped; a line whose very first character is ``#`` is a
comment (`` # x`` is a pattern); lines are trimmed; a blank line is skipped;
``!`` marks an exception and may be followed by spaces; the rest is cleaned
(``a/../b`` is ``b``, ``./a/`` is ``a``) and one leading ``/`` is removed, so
``/a`` and ``a`` are the same pattern.

A path is excluded when, walking from the context root down to it as Docker
does, the last pattern that matches it (or one of its directories) is not an
exception, or when one of its directories is excluded and Docker does not
walk into it at all (no exception could re-include anything below it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from slimline import fsio
from slimline.context.gosemantics import go_clean, go_trim_space
from slimline.context.patterns import (
    CompiledPattern,
    MatchResult,
    PatternError,
    PatternMatcher,
    compile_pattern,
)
from slimline.errors import SlimlineError

__all__ = [
    "DEFAULT_IGNORE_NAME",
    "Builder",
    "DockerIgnore",
    "IgnorePattern",
    "Matcher",
    "Verdict",
    "find_ignore_file",
    "matcher_for_client",
    "normalize_context_path",
    "read_patterns",
]

Builder = Literal["buildkit", "classic"]
"""Which of Docker's builders to model: they differ in which ignore file they
read and in when they skip walking an excluded directory."""

Matcher = Literal["patternmatcher", "fileutils"]
"""Which generation of Docker's matching code the *client* carries.

``patternmatcher``: ``github.com/moby/patternmatcher``, in the docker CLI since
23.0 and in buildx (today's Docker). ``fileutils``: the older
``docker/pkg/fileutils`` of the docker CLI 20.10 and before (e.g. Debian 12's
``docker.io``). The client matters because it is the client that walks the
context and filters it, with BuildKit as with the classic builder."""

DEFAULT_IGNORE_NAME = ".dockerignore"
_UTF8_BOM = b"\xef\xbb\xbf"
# bufio.Scanner refuses lines longer than its 64 KiB buffer; Docker then fails.
_MAX_LINE = 64 * 1024
# Characters that make BuildKit walk excluded directories (see _must_descend).
_PATTERN_CHARS = frozenset("*[]?^\\")


def matcher_for_client(version: str) -> Matcher:
    """The matcher generation of a docker CLI version string (``"20.10.24+dfsg1"``, ``"28.2.2"``).

    The CLI switched to ``moby/patternmatcher`` in 23.0; buildx always uses it.
    """
    head = version.strip().lstrip("v").split(".")[0]
    try:
        major = int(head)
    except ValueError:
        return "patternmatcher"
    return "patternmatcher" if major >= 23 else "fileutils"


@dataclass(frozen=True)
class IgnorePattern:
    """One effective pattern of an ignore file, with where it came from."""

    line: int
    """1-based line number in the ignore file (0 for patterns given in code)."""
    source: str
    """The line as written (without its newline)."""
    text: str
    """The cleaned pattern, without ``!``."""
    exclusion: bool
    """True for an exception (``!pattern``), which re-includes what it matches."""

    def __str__(self) -> str:
        return ("!" if self.exclusion else "") + self.text


@dataclass(frozen=True)
class Verdict:
    """Why a path is, or is not, excluded from the build context."""

    path: str
    """The normalized path asked about."""
    excluded: bool
    pattern: IgnorePattern | None
    """The deciding pattern: the last one that matched the path or its parents.

    ``None`` when no pattern matched (the path is sent)."""
    pruned_at: str | None = None
    """The ancestor directory Docker never walks into, when that is the reason."""


def normalize_context_path(path: str) -> str:
    """Turn a path as users write it into Docker's form: clean, relative, slashes.

    The path is resolved inside the context root the way BuildKit scopes COPY
    sources: ``./a//b/`` is ``a/b``, ``/a`` is ``a`` and ``../a`` cannot leave
    the root, so it is ``a``. The root itself is ``.``.
    """
    return go_clean("/" + path).lstrip("/") or "."


def read_patterns(data: bytes) -> list[tuple[int, str, str]]:
    """Split ignore-file bytes into ``(line number, line as written, pattern)``.

    The pattern is in the form ``ignorefile.ReadAll`` returns (``!`` kept);
    comments and blank lines are dropped. Raises :class:`ValueError` for a
    line longer than Docker's 64 KiB limit.
    """
    if data == b"":
        return []
    chunks = data.split(b"\n")
    if chunks[-1] == b"":
        chunks.pop()
    out: list[tuple[int, str, str]] = []
    for number, chunk in enumerate(chunks, start=1):
        if len(chunk) >= _MAX_LINE:
            raise ValueError(f"line {number} is longer than 64 KiB")
        if chunk.endswith(b"\r"):
            chunk = chunk[:-1]
        if number == 1 and chunk.startswith(_UTF8_BOM):
            chunk = chunk[len(_UTF8_BOM) :]
        line = chunk.decode("utf-8", errors="surrogateescape")
        if line.startswith("#"):
            continue
        pattern = go_trim_space(line)
        if pattern == "":
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = go_trim_space(pattern[1:])
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        if invert:
            pattern = "!" + pattern
        out.append((number, line, pattern))
    return out


def find_ignore_file(
    context_dir: Path, dockerfile_path: Path | None = None, *, builder: Builder = "buildkit"
) -> Path | None:
    """The ignore file Docker would read for this build, or ``None``.

    With BuildKit a ``<Dockerfile name>.dockerignore`` beside the Dockerfile
    wins (even when empty); otherwise ``.dockerignore`` in the context root.
    """
    if builder == "buildkit" and dockerfile_path is not None:
        specific = dockerfile_path.with_name(dockerfile_path.name + DEFAULT_IGNORE_NAME)
        if specific.is_file():
            return specific
    root = context_dir / DEFAULT_IGNORE_NAME
    if root.is_file():
        return root
    return None


class DockerIgnore:
    """The effective ignore patterns of one build, with Docker's matching rules."""

    def __init__(
        self,
        patterns: Sequence[IgnorePattern],
        *,
        path: Path | None = None,
        builder: Builder = "buildkit",
        matcher: Matcher = "patternmatcher",
    ) -> None:
        """Build from already validated patterns; prefer :meth:`load` or :meth:`parse`."""
        self.patterns: tuple[IgnorePattern, ...] = tuple(patterns)
        self.path = path
        self.builder: Builder = builder
        self.matcher: Matcher = matcher
        self._legacy = matcher == "fileutils"
        compiled: list[CompiledPattern] = []
        for pattern in self.patterns:
            raw = ("!" if pattern.exclusion else "") + pattern.text
            done = compile_pattern(raw, legacy=self._legacy)
            if done is None:  # pragma: no cover - IgnorePattern text is never blank
                raise ValueError("blank pattern")
            compiled.append(done)
        self._matcher = PatternMatcher(compiled)
        exceptions = [p for p in compiled if p.exclusion]
        self._exception_prefixes_classic = tuple(p.text + "/" for p in exceptions)
        self._only_prefix_exceptions = not any(
            any(c in _PATTERN_CHARS for c in p.literal_prefix) for p in exceptions
        )
        self._exception_prefixes_buildkit = tuple(p.literal_prefix + "/" for p in exceptions)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def empty(
        cls, *, builder: Builder = "buildkit", matcher: Matcher = "patternmatcher"
    ) -> DockerIgnore:
        """No ignore file: everything in the context is sent."""
        return cls((), builder=builder, matcher=matcher)

    @classmethod
    def parse(
        cls,
        text: str | bytes,
        *,
        path: Path | str | None = None,
        builder: Builder = "buildkit",
        matcher: Matcher = "patternmatcher",
    ) -> DockerIgnore:
        """Parse ignore-file content.

        Raises :class:`SlimlineError` naming ``path`` and the line for a
        pattern Docker would reject (a lone ``!``, an unclosed ``[`` class,
        a trailing ``\\``...).
        """
        data = text.encode("utf-8", errors="surrogateescape") if isinstance(text, str) else text
        where = Path(path) if path is not None else None
        label = str(path) if path is not None else DEFAULT_IGNORE_NAME
        try:
            lines = read_patterns(data)
        except ValueError as exc:
            raise SlimlineError(f"cannot read ignore file: {exc}", path=label) from exc
        patterns: list[IgnorePattern] = []
        for number, line, pattern in lines:
            try:
                compiled = compile_pattern(pattern, number, legacy=matcher == "fileutils")
            except PatternError as exc:
                raise SlimlineError(
                    f"invalid ignore pattern {line.strip()!r}: {exc}", path=label, line=number
                ) from exc
            if compiled is None:  # pragma: no cover - read_patterns drops blank lines
                continue
            patterns.append(
                IgnorePattern(
                    line=number, source=line, text=compiled.text, exclusion=compiled.exclusion
                )
            )
        return cls(patterns, path=where, builder=builder, matcher=matcher)

    @classmethod
    def from_patterns(
        cls,
        patterns: Sequence[str],
        *,
        builder: Builder = "buildkit",
        matcher: Matcher = "patternmatcher",
    ) -> DockerIgnore:
        """Build from pattern strings, e.g. a proposed ``.dockerignore`` (line = index + 1)."""
        return cls.parse("\n".join(patterns), builder=builder, matcher=matcher)

    @classmethod
    def load(
        cls,
        context_dir: str | Path,
        dockerfile_path: str | Path | None = None,
        *,
        builder: Builder = "buildkit",
        matcher: Matcher = "patternmatcher",
    ) -> DockerIgnore:
        """Load the ignore file Docker would use for a build of ``context_dir``.

        ``dockerfile_path`` (absolute, or relative to the current directory)
        enables BuildKit's Dockerfile-specific ignore file. A missing file means
        no patterns. Raises :class:`SlimlineError` for an unreadable file or an
        invalid pattern.
        """
        context = Path(context_dir)
        if not context.is_dir():
            raise SlimlineError("build context is not a directory", path=context)
        dockerfile = Path(dockerfile_path) if dockerfile_path is not None else None
        found = find_ignore_file(context, dockerfile, builder=builder)
        if found is None:
            return cls.empty(builder=builder, matcher=matcher)
        data = fsio.read_bytes(found, limit=fsio.MAX_IGNORE_BYTES, what="ignore file")
        return cls.parse(data, path=found, builder=builder, matcher=matcher)

    # -- queries --------------------------------------------------------------------

    @property
    def has_exceptions(self) -> bool:
        """True when some pattern starts with ``!``."""
        return self._matcher.has_exclusions

    def match_entry(self, path: str, parent_info: tuple[bool, ...] | None) -> MatchResult:
        """Match one walked entry given its parent directory's result (walk helper)."""
        if self._legacy:
            return self._matcher.match_single_parent(path)
        return self._matcher.match_using_parent(path, parent_info)

    @property
    def sends_walked_excluded_dirs(self) -> bool:
        """Whether an excluded directory Docker walks into is still sent (as a directory).

        Only the BuildKit file sync of docker 20.10 and older does that; today's
        BuildKit sends such a directory only when something inside is sent.
        """
        return self._legacy and self.builder == "buildkit"

    def must_descend(self, directory: str) -> bool:
        """Whether Docker walks into an *excluded* directory anyway.

        Docker skips an excluded directory unless an exception pattern could
        re-include something under it: with no exceptions it always skips; the
        classic builder looks for an exception whose text starts with
        ``directory/``; BuildKit does the same with the exception's literal
        prefix, but walks every excluded directory as soon as one exception
        uses wildcards (``!**/keep.txt``). Docker 20.10 clients use the classic
        rule with either builder.
        """
        if not self._matcher.has_exclusions:
            return False
        prefix = directory + "/"
        if self.builder == "classic" or self._legacy:
            return any(p.startswith(prefix) for p in self._exception_prefixes_classic)
        if not self._only_prefix_exceptions:
            return True
        return any(p.startswith(prefix) for p in self._exception_prefixes_buildkit)

    def why(self, rel_path: str) -> Verdict:
        """Explain whether ``rel_path`` (relative to the context) is excluded.

        Every ancestor of the path is treated as a directory, as it must be.
        """
        path = normalize_context_path(rel_path)
        if path == ".":
            return Verdict(path=path, excluded=False, pattern=None)
        parts = path.split("/")
        info: tuple[bool, ...] | None = None
        for depth in range(1, len(parts) + 1):
            current = "/".join(parts[:depth])
            result = self.match_entry(current, info)
            decider = self.patterns[result.decider] if result.decider is not None else None
            if depth == len(parts):
                return Verdict(path=path, excluded=result.excluded, pattern=decider)
            if result.excluded and not self.must_descend(current):
                return Verdict(path=path, excluded=True, pattern=decider, pruned_at=current)
            info = result.parent_info
        raise AssertionError("unreachable")  # pragma: no cover

    def matches(self, rel_path: str) -> bool:
        """True when ``rel_path`` is excluded from the build context."""
        return self.why(rel_path).excluded

    def excludes_build_file(self, rel_path: str) -> bool:
        """Whether the classic builder hides this Dockerfile or ignore file from COPY.

        The docker CLI always sends the Dockerfile and ``.dockerignore`` to the
        classic builder (it adds ``!`` exceptions for them when the patterns
        exclude them, using the older single-parent ``Matches``) and the daemon
        then deletes them from the context before the build.
        """
        return self._matcher.match_single_parent(normalize_context_path(rel_path)).excluded

    def with_exceptions(self, paths: Sequence[str]) -> DockerIgnore:
        """A copy with ``!path`` appended for each path (how the CLI keeps build files)."""
        extra = [
            IgnorePattern(line=0, source="!" + p, text=normalize_context_path(p), exclusion=True)
            for p in paths
        ]
        return DockerIgnore(
            (*self.patterns, *extra), path=self.path, builder=self.builder, matcher=self.matcher
        )

    def __repr__(self) -> str:
        where = f" {self.path}" if self.path is not None else ""
        return (
            f"<DockerIgnore{where} {len(self.patterns)} patterns, {self.builder}, {self.matcher}>"
        )
