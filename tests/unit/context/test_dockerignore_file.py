"""Reading .dockerignore files, choosing which one applies, and explaining verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.context import (
    DockerIgnore,
    find_ignore_file,
    matcher_for_client,
    normalize_context_path,
)
from slimline.context.dockerignore import read_patterns
from slimline.errors import SlimlineError


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a\nb\n", [(1, "a"), (2, "b")]),
        (b"a\nb", [(1, "a"), (2, "b")]),
        (b"\xef\xbb\xbfa\n", [(1, "a")]),
        (b"a\n\xef\xbb\xbfb\n", [(1, "a"), (2, "\ufeffb")]),  # only the first line's BOM goes
        (b"a\r\nb\r\n", [(1, "a"), (2, "b")]),
        (b"# comment\n#x\na\n", [(3, "a")]),
        (b"  # not a comment\n", [(1, "# not a comment")]),
        (b"\n\n   \n\ta\t\n", [(4, "a")]),
        (b"!keep\n!  spaced\n", [(1, "!keep"), (2, "!spaced")]),
        (b"/abs\n//two\n/\n", [(1, "abs"), (2, "two"), (3, "/")]),
        (b"./a/\na/../b\n!/c/\n", [(1, "a"), (2, "b"), (3, "!c")]),
        (b"../up\n", [(1, "../up")]),
        (b"!\n", [(1, "!")]),
        (b"", []),
    ],
)
def test_read_patterns(content: bytes, expected: list[tuple[int, str]]) -> None:
    assert [(n, p) for n, _, p in read_patterns(content)] == expected


def test_parse_keeps_line_numbers_and_source() -> None:
    ignore = DockerIgnore.parse("# header\n\n*.log\n  !keep.log  \n")
    assert [(p.line, p.source, str(p)) for p in ignore.patterns] == [
        (3, "*.log", "*.log"),
        (4, "  !keep.log  ", "!keep.log"),
    ]
    assert ignore.has_exceptions


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("ok\n[\n", 2),
        ("a\nb\n!\n", 3),
        ("x[a-]\n", 1),
        ("fine\n\n# c\ntrailing\\\n", 4),
        ("[z-a]\n", 1),
        ("\\e\n", 1),
    ],
)
def test_invalid_pattern_is_a_slimline_error_with_file_and_line(
    tmp_path: Path, content: str, line: int
) -> None:
    (tmp_path / ".dockerignore").write_text(content)
    with pytest.raises(SlimlineError) as info:
        DockerIgnore.load(tmp_path)
    assert info.value.line == line
    assert info.value.path == str(tmp_path / ".dockerignore")
    assert f".dockerignore:{line}: invalid ignore pattern" in str(info.value)


def test_overlong_line_is_an_error() -> None:
    with pytest.raises(SlimlineError, match="64 KiB"):
        DockerIgnore.parse(b"a" * 70_000)


def test_undecodable_bytes_do_not_crash() -> None:
    ignore = DockerIgnore.parse(b"caf\xe9*\n")
    assert len(ignore.patterns) == 1


def test_missing_context_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SlimlineError, match="not a directory"):
        DockerIgnore.load(tmp_path / "nope")


class TestWhichFile:
    def test_no_file(self, tmp_path: Path) -> None:
        assert find_ignore_file(tmp_path) is None
        assert DockerIgnore.load(tmp_path).patterns == ()

    def test_root_file(self, tmp_path: Path) -> None:
        (tmp_path / ".dockerignore").write_text("a\n")
        assert find_ignore_file(tmp_path) == tmp_path / ".dockerignore"

    def test_dockerfile_specific_file_wins_with_buildkit(self, tmp_path: Path) -> None:
        (tmp_path / ".dockerignore").write_text("root-pattern\n")
        build = tmp_path / "build"
        build.mkdir()
        (build / "App.Dockerfile").write_text("FROM scratch\n")
        (build / "App.Dockerfile.dockerignore").write_text("specific\n")
        ignore = DockerIgnore.load(tmp_path, build / "App.Dockerfile")
        assert [p.text for p in ignore.patterns] == ["specific"]
        assert ignore.path == build / "App.Dockerfile.dockerignore"
        assert ignore.matches("specific") and not ignore.matches("root-pattern")

    def test_empty_specific_file_still_wins(self, tmp_path: Path) -> None:
        (tmp_path / ".dockerignore").write_text("a\n")
        (tmp_path / "Dockerfile").write_text("FROM scratch\n")
        (tmp_path / "Dockerfile.dockerignore").write_text("")
        assert DockerIgnore.load(tmp_path, tmp_path / "Dockerfile").patterns == ()

    def test_classic_builder_reads_only_the_root_file(self, tmp_path: Path) -> None:
        (tmp_path / ".dockerignore").write_text("root-pattern\n")
        (tmp_path / "Dockerfile").write_text("FROM scratch\n")
        (tmp_path / "Dockerfile.dockerignore").write_text("specific\n")
        ignore = DockerIgnore.load(tmp_path, tmp_path / "Dockerfile", builder="classic")
        assert [p.text for p in ignore.patterns] == ["root-pattern"]

    def test_specific_file_of_another_dockerfile_is_not_used(self, tmp_path: Path) -> None:
        (tmp_path / "Other.dockerignore").write_text("x\n")
        (tmp_path / "Dockerfile").write_text("FROM scratch\n")
        assert find_ignore_file(tmp_path, tmp_path / "Dockerfile") is None


@pytest.mark.parametrize(
    ("path", "normalized"),
    [
        ("a/b", "a/b"),
        ("./a//b/", "a/b"),
        ("/a", "a"),
        ("../a", "a"),
        ("a/../../b", "b"),
        (".", "."),
        ("", "."),
        ("/", "."),
    ],
)
def test_normalize_context_path(path: str, normalized: str) -> None:
    assert normalize_context_path(path) == normalized


class TestWhy:
    IGNORE = "# top\n.git\nnode_modules\n*.log\n!keep.log\ndocs\n!docs/README.md\n"

    def ignore(self) -> DockerIgnore:
        return DockerIgnore.parse(self.IGNORE, path=".dockerignore")

    def test_excluded_by_a_directory_pattern_and_pruned(self) -> None:
        verdict = self.ignore().why("node_modules/left-pad/index.js")
        assert verdict.excluded
        assert verdict.pattern is not None and verdict.pattern.line == 3
        assert verdict.pruned_at == "node_modules"

    def test_reincluded_by_an_exception(self) -> None:
        verdict = self.ignore().why("keep.log")
        assert not verdict.excluded
        assert verdict.pattern is not None
        assert (verdict.pattern.line, verdict.pattern.exclusion) == (5, True)

    def test_directory_walked_for_its_exception(self) -> None:
        ignore = self.ignore()
        readme = ignore.why("docs/README.md")
        other = ignore.why("docs/other.md")
        assert not readme.excluded and readme.pattern is not None and readme.pattern.line == 7
        assert other.excluded and other.pruned_at is None
        assert other.pattern is not None and other.pattern.line == 6

    def test_not_matched(self) -> None:
        verdict = self.ignore().why("src/app.py")
        assert not verdict.excluded and verdict.pattern is None

    def test_root_is_never_excluded(self) -> None:
        ignore = DockerIgnore.parse("*\n**\n")
        assert not ignore.matches(".")
        assert ignore.matches("anything")

    def test_paths_are_normalized(self) -> None:
        ignore = self.ignore()
        assert ignore.matches("./node_modules/x")
        assert ignore.matches("/.git/HEAD")
        assert ignore.why("a/../debug.log").path == "debug.log"

    def test_leading_slash_in_file_is_dropped(self) -> None:
        ignore = DockerIgnore.parse("/build\n")
        assert ignore.matches("build/out.o")
        assert not ignore.matches("src/build/out.o")


class TestWalkIntoExcludedDirectories:
    @pytest.mark.parametrize(
        ("content", "directory", "buildkit", "classic"),
        [
            ("dir\n", "dir", False, False),
            ("dir\n!dir/keep\n", "dir", True, True),
            ("dir\n!other/keep\n", "dir", False, False),
            ("dir\n!dir/*\n", "dir", True, True),
            # a wildcard exception: BuildKit walks every excluded directory,
            # the classic builder only those the exception's text starts with
            ("dir\n!**/keep\n", "dir", True, False),
            ("dir\n!*.md\n", "dir", True, False),
            ("dir\n!dir/**\n", "dir", True, True),
            ("a/b\n!a/b/c/d\n", "a/b", True, True),
        ],
    )
    def test_must_descend(
        self, content: str, directory: str, buildkit: bool, classic: bool
    ) -> None:
        assert DockerIgnore.parse(content).must_descend(directory) is buildkit
        assert DockerIgnore.parse(content, builder="classic").must_descend(directory) is classic

    def test_docker_20_10_uses_the_classic_rule_with_buildkit(self) -> None:
        ignore = DockerIgnore.parse("dir\n!**/keep\n", matcher="fileutils")
        assert not ignore.must_descend("dir")
        assert ignore.sends_walked_excluded_dirs
        assert not DockerIgnore.parse("dir\n!dir/x\n").sends_walked_excluded_dirs

    def test_wildcard_exception_reaches_into_excluded_directory(self) -> None:
        assert not DockerIgnore.parse("dir\n!**/keep\n").matches("dir/sub/keep")
        assert DockerIgnore.parse("dir\n!**/keep\n", builder="classic").matches("dir/sub/keep")


def test_with_exceptions_and_build_files() -> None:
    ignore = DockerIgnore.parse("Dockerfile\n.dockerignore\n", builder="classic")
    assert ignore.excludes_build_file("Dockerfile")
    assert ignore.excludes_build_file(".dockerignore")
    kept = ignore.with_exceptions(["Dockerfile"])
    assert not kept.matches("Dockerfile") and kept.matches(".dockerignore")
    assert kept.patterns[-1].line == 0


def test_from_patterns_numbers_lines() -> None:
    ignore = DockerIgnore.from_patterns(["**/.git", "", "!keep"])
    assert [(p.line, str(p)) for p in ignore.patterns] == [(1, "**/.git"), (3, "!keep")]


@pytest.mark.parametrize(
    ("version", "matcher"),
    [
        ("20.10.24+dfsg1", "fileutils"),
        ("19.03.15", "fileutils"),
        ("23.0.0", "patternmatcher"),
        ("28.2.2", "patternmatcher"),
        ("v27.1.0", "patternmatcher"),
        ("unknown", "patternmatcher"),
    ],
)
def test_matcher_for_client(version: str, matcher: str) -> None:
    assert matcher_for_client(version) == matcher
