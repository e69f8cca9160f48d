"""Pattern compilation and matching with Docker's rules (patternmatcher and fileutils)."""

from __future__ import annotations

import re

import pytest

from slimline.context.patterns import MatchKind, PatternError, PatternMatcher, compile_pattern
from slimline.context.re2 import RegexSyntaxError, translate_go_regex


def walk_excluded(patterns: list[str], path: str, *, legacy: bool = False) -> bool:
    """Match ``path`` as a walk reaches it: every ancestor first, results passed down."""
    matcher = PatternMatcher.from_strings(patterns, legacy=legacy)
    parts = path.split("/")
    info: tuple[bool, ...] | None = None
    result = None
    for depth in range(1, len(parts) + 1):
        current = "/".join(parts[:depth])
        if legacy:
            result = matcher.match_single_parent(current)
        else:
            result = matcher.match_using_parent(current, info)
            info = result.parent_info
    assert result is not None
    return result.excluded


@pytest.mark.parametrize(
    ("pattern", "kind", "text"),
    [
        ("foo", MatchKind.EXACT, "foo"),
        ("foo/bar.txt", MatchKind.EXACT, "foo/bar.txt"),
        ("a+b(c).d", MatchKind.EXACT, "a+b(c).d"),
        ("foo/**", MatchKind.PREFIX, "foo/**"),
        ("foo**", MatchKind.PREFIX, "foo**"),
        ("**", MatchKind.SUFFIX, "**"),
        ("**/foo", MatchKind.SUFFIX, "**/foo"),
        ("**.pyc", MatchKind.SUFFIX, "**.pyc"),
        ("**/*.pyc", MatchKind.REGEX, "**/*.pyc"),
        ("*.pyc", MatchKind.REGEX, "*.pyc"),
        ("a?", MatchKind.REGEX, "a?"),
        ("[ab]", MatchKind.REGEX, "[ab]"),
        ("a\\b", MatchKind.REGEX, "a\\b"),
        ("**/foo/**", MatchKind.REGEX, "**/foo/**"),
        ("foo/", MatchKind.EXACT, "foo"),
        ("./foo/../bar", MatchKind.EXACT, "bar"),
    ],
)
def test_compile_kind_and_cleaning(pattern: str, kind: MatchKind, text: str) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert compiled.kind is kind
    assert compiled.text == text
    assert not compiled.exclusion


def test_compile_exclusion_and_blank() -> None:
    compiled = compile_pattern("  !keep/me  ")
    assert compiled is not None and compiled.exclusion and compiled.text == "keep/me"
    assert compile_pattern("   ") is None


# (pattern, path, excluded?) under today's patternmatcher, matched as a walk does.
SINGLE = [
    # literals, directories and everything below them
    ("foo", "foo", True),
    ("foo", "foo/bar", True),
    ("foo", "foo/bar/baz.txt", True),
    ("foo", "foobar", False),
    ("foo", "x/foo", False),
    ("foo/bar", "foo/bar/baz", True),
    ("foo/bar", "foo", False),
    # * and ? stay inside one component
    ("*", "anything", True),
    ("*", "dir/file", True),  # the top directory matches
    ("*.md", "README.md", True),
    ("*.md", "docs/README.md", False),
    ("*/*.md", "docs/README.md", True),
    ("*/*.md", "a/b/README.md", False),
    ("a?c", "abc", True),
    ("a?c", "abbc", False),
    ("?", "x", True),
    ("?", "xy", False),
    # ** spans any number of directories, including none
    ("**/foo", "foo", True),
    ("**/foo", "a/b/foo", True),
    ("**/foo", "a/b/foo/c", True),
    ("**/foo", "a/xfoo", False),
    ("**/*.pyc", "x.pyc", True),
    ("**/*.pyc", "a/b/x.pyc", True),
    ("**/*.pyc", "a/b/x.pyc.txt", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "ab", False),
    ("a/**", "a", False),
    ("a/**", "a/x", True),
    ("**", "x/y/z", True),
    ("**/", "x", True),
    ("**/**", "x/y", True),
    ("a**/*.txt", "a/b.txt", True),
    ("a**/*.txt", "ab/c/d.txt", True),
    # suffix and prefix tests are plain string tests, not component tests
    ("**.pyc", "x.pyc", True),
    ("**.pyc", "a/b/c.pyc", True),
    ("**foo", "barfoo", True),
    ("**foo", "a/xfoo", True),
    ("foo**", "foobar", True),
    ("foo**", "foo/x", True),
    ("foo**", "fo", False),
    # classes
    ("[abc]x", "bx", True),
    ("[a-c]x", "dx", False),
    ("[^a]x", "bx", True),
    ("[^a]x", "ax", False),
    ("[!a]x", "!x", True),  # "!" is a member, not a negation
    ("[!a]x", "bx", False),
    ("[[:digit:]]x", "7x", True),
    ("[[:digit:]]x", "ax", False),
    # escapes: the next character is literal; Go's regexp escapes apply
    ("\\*", "*", True),
    ("\\*", "x", False),
    ("file\\?", "file?", True),
    ("file\\?", "filex", False),
    ("\\#x", "#x", True),
    ("v\\d", "v7", True),
    ("v\\d", "vd", False),
    # regular-expression characters are literal today
    ("a+b", "a+b", True),
    ("a+b", "aab", False),
    ("p(1)*", "p(1).txt", True),
    ("p(1)*", "p1.txt", False),
    ("x.y", "xzy", False),
    ("a|b*", "a|bc", True),
    ("a|b*", "bc", False),
    ("w{2}*", "w{2}x", True),
    ("w{2}*", "ww", False),
    ("$x*", "$xy", True),
    # cleaning: leading /, ./, .., trailing /
    ("/foo", "foo", False),  # the file reader strips the "/", the matcher does not
    ("./foo/", "foo/bar", True),
    ("x/../y", "y", True),
    ("x/../y", "x", False),
    ("../foo", "foo", False),  # a pattern above the context never matches
    # the root cannot be excluded
    ("*", "a", True),
]


@pytest.mark.parametrize(("pattern", "path", "expected"), SINGLE)
def test_single_pattern(pattern: str, path: str, expected: bool) -> None:
    assert walk_excluded([pattern], path) is expected


# (patterns, path, excluded?) - order and exceptions; the last matching pattern wins.
MULTI = [
    (["*.log", "!keep.log"], "keep.log", False),
    (["*.log", "!keep.log"], "other.log", True),
    (["!keep.log", "*.log"], "keep.log", True),
    (["docs", "!docs/README.md"], "docs/README.md", False),
    (["docs", "!docs/README.md"], "docs/other.md", True),
    (["docs/", "!docs/README.md"], "docs/README.md", False),
    (["docs/*", "!docs/README.md"], "docs/README.md", False),
    (["*", "!src"], "src/deep/file.py", False),
    (["*", "!src"], "lib/file.py", True),
    (["**", "!util/web"], "util/web/foo", False),
    (["**", "!util/web", "util/web/foo"], "util/web/foo", True),
    (["**/*.pyc", "!**/keep.pyc"], "a/b/keep.pyc", False),
    (["**/*.pyc", "!**/keep.pyc"], "a/b/drop.pyc", True),
    # A pattern skipped for a directory (it could not change the state there) is
    # tried against the child's own path only: the second "a" matches neither
    # "a/b" nor "a/b/c", so the exception wins (MatchesOrParentMatches says otherwise).
    (["a", "!a/b", "a"], "a/b", False),
    (["a", "!a/b", "a"], "a/b/c", False),
    (["a", "!a/b", "a"], "a/d", True),
    (["docs", "*.txt", "!*.md", "!docs/**/*.md"], "docs/x/b.md", False),
    (["docs", "*.txt", "!*.md", "!docs/**/*.md"], "docs/x/c.txt", True),
    (["!foo"], "foo", False),
    ([], "anything", False),
]


@pytest.mark.parametrize(("patterns", "path", "expected"), MULTI)
def test_pattern_lists(patterns: list[str], path: str, expected: bool) -> None:
    assert walk_excluded(patterns, path) is expected


# Where docker 20.10's pkg/fileutils answers differently (checked on a real 20.10 engine).
LEGACY = [
    (["**.pyc"], "x.pyc", False, True),
    (["**.pyc"], ".pyc", True, True),
    (["**foo"], "barfoo", False, True),
    (["a+b*"], "aab-1", True, False),
    (["a+b*"], "a+b-1", False, True),
    (["p(1)*"], "p1.txt", True, False),
    (["a|b"], "zzb", True, False),
    (["w{2}"], "ww", True, False),
    (["w{2}"], "w{2}", False, True),
    # only one parent (at the pattern's depth) is tried
    (["**/foo", "!x/y/foo/keep"], "x/y/foo/other", False, True),
    (["a", "!a/b", "a"], "a/b/c", True, False),
    # what both generations agree on
    (["*.log", "!keep.log"], "keep.log", False, False),
    (["foo"], "foo/bar/baz", True, True),
]


@pytest.mark.parametrize(("patterns", "path", "legacy_result", "modern_result"), LEGACY)
def test_fileutils_generation(
    patterns: list[str], path: str, legacy_result: bool, modern_result: bool
) -> None:
    assert walk_excluded(patterns, path, legacy=True) is legacy_result
    assert walk_excluded(patterns, path) is modern_result


def test_match_or_parent_checks_every_parent() -> None:
    matcher = PatternMatcher.from_strings(["**/foo", "!x/y/foo/keep"])
    assert matcher.match_or_parent("x/y/foo/other").excluded
    assert not matcher.match_or_parent("x/y/foo/keep").excluded
    assert not matcher.match_single_parent("x/y/foo/other").excluded


def test_decider_is_the_last_matching_pattern() -> None:
    matcher = PatternMatcher.from_strings(["*.log", "!keep.log", "other"])
    assert matcher.match_using_parent("keep.log", None).decider == 1
    assert matcher.match_using_parent("x.log", None).decider == 0
    assert matcher.match_using_parent("x.txt", None).decider is None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("!", 'illegal exclusion pattern: "!"'),
        ("!/", 'illegal exclusion pattern: "!"'),  # Clean("!/") is "!"
        ("[", "syntax error"),
        ("a[b", "syntax error"),
        ("[]", "syntax error"),
        ("[a-]", "syntax error"),
        ("abc\\", "syntax error"),
        ("![", "syntax error"),
        ("[z-a]", "invalid character class range"),  # fine for filepath.Match, not for regexp
        ("a\\e", "invalid escape"),
        ("[[:nope:]]", "invalid character class range"),
        ("\\pL", "not supported by slimline"),
    ],
)
def test_invalid_patterns(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=re.escape(message)):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    ("go", "matches", "rejects"),
    [
        ("^a[^/]*$", ["a", "abc"], ["a/b", "ba"]),
        ("^\\x41$", ["A"], ["x41"]),
        ("^\\101$", ["A"], ["101"]),
        ("^[\\d_]$", ["5", "_"], ["a"]),
        ("^[^\\s]$", ["a"], [" ", "\t"]),
        ("^[[:^alpha:]]$", ["1", "-"], ["a", "Z"]),
        ("^\\Qa.b\\E$", ["a.b"], ["axb"]),
        ("^a$", ["a"], ["a\n"]),  # Go's $ is the very end of the text
        ("^[^/]$", ["\n"], ["/"]),  # negated classes match a newline in Go
        ("^a{2}$", ["aa"], ["a{2}"]),
        ("^a{,2}$", ["a{,2}"], ["aa"]),  # not a repeat in Go: literal
        ("^a|b$", ["ax", "zzb"], ["zz"]),
        ("^[a-]$", ["-", "a"], ["b"]),
        ("^[]a]$", ["]", "a"], ["b"]),
    ],
)
def test_go_regex_translation(go: str, matches: list[str], rejects: list[str]) -> None:
    compiled = re.compile(translate_go_regex(go), re.ASCII)
    for text in matches:
        assert compiled.search(text), (go, text)
    for text in rejects:
        assert not compiled.search(text), (go, text)


@pytest.mark.parametrize(
    "go", ["^a\\", "^[a", "^[z-a]$", "^\\C$", "^\\Z$", "^a**$", "^(?i)a$", "^a{1001}$", "^\\8$"]
)
def test_go_regex_translation_errors(go: str) -> None:
    with pytest.raises(RegexSyntaxError):
        translate_go_regex(go)


def test_walk_and_single_path_algorithms_differ_where_docker_does() -> None:
    """MatchesOrParentMatches re-checks every pattern against every parent; a walk does not."""
    matcher = PatternMatcher.from_strings(["a", "!a/b", "a"])
    assert matcher.match_or_parent("a/b/c").excluded
    assert not walk_excluded(["a", "!a/b", "a"], "a/b/c")
