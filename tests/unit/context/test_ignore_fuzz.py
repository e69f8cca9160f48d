"""Fuzzing: bad .dockerignore content gives a SlimlineError, never a traceback."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from slimline.context import Builder, DockerIgnore
from slimline.context.dockerignore import Matcher
from slimline.context.patterns import PatternError, compile_pattern
from slimline.context.re2 import RegexSyntaxError, translate_go_regex
from slimline.errors import SlimlineError

PATTERN_ALPHABET = st.sampled_from([*list("ab/.*?[]^!-\\{}()|+$#: \t\n\r"), "é", "\ufeff"])
MATCHERS: tuple[Matcher, ...] = ("patternmatcher", "fileutils")
BUILDERS: tuple[Builder, ...] = ("buildkit", "classic")
patterns = st.text(PATTERN_ALPHABET, max_size=24)
paths = st.lists(
    st.sampled_from(["a", "b", "ab", ".a", "a.b", "*", "[", "é"]), min_size=1, max_size=4
).map("/".join)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200))
def test_parse_arbitrary_bytes(data: bytes) -> None:
    try:
        ignore = DockerIgnore.parse(data)
    except SlimlineError as exc:
        assert exc.line is not None or "64 KiB" in exc.message
        return
    ignore.matches("a/b")


@settings(max_examples=600, deadline=None)
@given(st.lists(patterns, max_size=6), paths, st.sampled_from(MATCHERS), st.sampled_from(BUILDERS))
def test_patterns_either_fail_cleanly_or_answer(
    lines: list[str], path: str, matcher: Matcher, builder: Builder
) -> None:
    try:
        ignore = DockerIgnore.parse("\n".join(lines), matcher=matcher, builder=builder)
    except SlimlineError as exc:
        assert exc.line is not None
        return
    verdict = ignore.why(path)
    assert verdict.excluded is ignore.matches(path)
    if verdict.pattern is not None:
        assert verdict.pattern in ignore.patterns


@settings(max_examples=600, deadline=None)
@given(patterns, st.booleans())
def test_compile_pattern_only_raises_pattern_error(pattern: str, legacy: bool) -> None:
    with contextlib.suppress(PatternError):
        compile_pattern(pattern, legacy=legacy)


@settings(max_examples=600, deadline=None)
@given(st.text(st.sampled_from(list("ab^$.*?+()[]{}|\\:-,0123dswxQEpzAb")), max_size=16))
def test_translation_only_raises_its_own_error(expr: str) -> None:
    with contextlib.suppress(RegexSyntaxError):
        translate_go_regex(expr)
