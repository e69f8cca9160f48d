"""Go standard-library behaviour the matcher depends on: Clean, TrimSpace, filepath.Match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slimline.context.gosemantics import (
    BadPattern,
    NotRegular,
    compile_go_match,
    go_clean,
    go_match,
    go_trim_space,
)


@pytest.mark.parametrize(
    ("path", "cleaned"),
    [
        ("", "."),
        (".", "."),
        ("./", "."),
        ("a/", "a"),
        ("./a", "a"),
        ("a//b", "a/b"),
        ("a/./b/.", "a/b"),
        ("a/../b", "b"),
        ("a/b/../..", "."),
        ("../a", "../a"),
        ("../../a/../b", "../../b"),
        ("/", "/"),
        ("//", "/"),
        ("//a", "/a"),  # posixpath.normpath keeps two slashes; Go does not
        ("/../a", "/a"),
        ("/a/b/../../..", "/"),
        ("!a/../b", "b"),  # "!a" is an ordinary name to Clean
        ("a/b/", "a/b"),
        ("...", "..."),
        ("a/.../b", "a/.../b"),
    ],
)
def test_go_clean(path: str, cleaned: str) -> None:
    assert go_clean(path) == cleaned


@pytest.mark.parametrize(
    ("text", "trimmed"),
    [
        ("  a  ", "a"),
        ("\t\r\n\v\fa\u00a0", "a"),
        ("\u3000a\u2009", "a"),
        ("\x1ca\x1f", "\x1ca\x1f"),  # str.strip would remove these; Go keeps them
        ("a b", "a b"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_go_trim_space(text: str, trimmed: str) -> None:
    assert go_trim_space(text) == trimmed


@pytest.mark.parametrize(
    ("pattern", "name", "expected"),
    [
        ("abc", "abc", True),
        ("abc", "abd", False),
        ("*", "", True),
        ("*", "anything", True),
        ("*", "a/b", False),
        ("a*", "a", True),
        ("a*z", "abcz", True),
        ("a*z", "ab/z", False),
        ("*.py", "x.py", True),
        ("*.py", "dir/x.py", False),
        ("*/x", "d/x", True),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("a?c", "ac", False),
        ("a?c", "aéc", True),
        ("[abc]", "b", True),
        ("[abc]", "d", False),
        ("[a-c]x", "bx", True),
        ("[^a-c]x", "dx", True),
        ("[^a-c]x", "bx", False),
        ("[!a]", "!", True),  # Go classes negate with ^ only
        ("[!a]", "b", False),
        ("[\\]]", "]", True),
        ("[\\-]", "-", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("*x*y*", "axbycy", True),
        ("*x*y*", "axbyc/y", False),
        ("a*b*c", "aXbYbZc", True),
        ("[a-z]*[0-9]", "abc7", True),
    ],
)
def test_go_match(pattern: str, name: str, expected: bool) -> None:
    assert go_match(pattern, name) is expected


@pytest.mark.parametrize(
    "pattern",
    [
        "[",
        "[^",
        "a[",
        "[a",
        "[a-",
        "[]",
        "[]a]",
        "[-a]",
        "[a-]",
        "[a-b-c]",
        "\\",
        "ab\\",
        "*[",
        "x*[z",
    ],
)
def test_go_match_rejects_bad_patterns(pattern: str) -> None:
    with pytest.raises(BadPattern):
        go_match(pattern, ".")


def test_go_match_checks_syntax_after_a_mismatch() -> None:
    # "x" fails at once, but the broken class later in the pattern is still an error.
    with pytest.raises(BadPattern):
        go_match("x*[", "abc")


GLOB_CHARS = st.sampled_from([*list("ab-^]/*?[\\"), "é"])


@settings(max_examples=800, deadline=None)
@given(st.text(GLOB_CHARS, max_size=10), st.text(st.sampled_from(list("ab-^]/[\\é*?")), max_size=8))
def test_compiled_glob_agrees_with_go_match(pattern: str, name: str) -> None:
    try:
        expected = go_match(pattern, name)
    except BadPattern:
        with pytest.raises(BadPattern):
            compile_go_match(pattern)
        return
    try:
        compiled = compile_go_match(pattern)
    except NotRegular:
        return  # callers use go_match for these (see test_not_regular_patterns)
    assert (compiled.fullmatch(name) is not None) is expected


def test_not_regular_patterns() -> None:
    # Checked against Go 1.19's filepath.Match in the golang stand-in image.
    assert go_match("*[?/]*", "?/") is False
    assert go_match("*[?/]*", "a/") is True
    with pytest.raises(NotRegular):
        compile_go_match("*[?/]*")
    with pytest.raises(NotRegular):
        compile_go_match("*[^a]")
    assert compile_go_match("[/]").fullmatch("/") is not None
    assert compile_go_match("*.py[co]").fullmatch("a.pyc") is not None
