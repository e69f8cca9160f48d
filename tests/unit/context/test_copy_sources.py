"""Which COPY/ADD sources an ignore file keeps from the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.context import DockerIgnore, check_copy_sources
from slimline.context.copycheck import contains_wildcards


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for rel in [
        "requirements.txt",
        "requirements-dev.txt",
        "pyproject.toml",
        "src/app/__init__.py",
        "src/app/main.py",
        "src/app/__pycache__/main.cpython-311.pyc",
        "static/site.css",
        "docs/guide.md",
        "config/prod.yaml",
        "config/dev.yaml",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / "emptydir").mkdir()
    return tmp_path


CASES = [
    # (ignore file, source, status, sent files)
    ("", "requirements.txt", "ok", 1),
    ("*.txt\n", "requirements.txt", "excluded", 0),
    ("*.txt\n!requirements.txt\n", "requirements.txt", "ok", 1),
    ("*.txt\n", "requirements*.txt", "excluded", 0),
    ("requirements-dev.txt\n", "requirements*.txt", "partial", 1),
    ("src\n", "src/", "excluded", 0),
    ("src\n", "./src/app/main.py", "excluded", 0),
    ("**/__pycache__\n", "src", "partial", 2),
    ("**/__pycache__\n", ".", "partial", 9),
    ("src\n!src/app/main.py\n", "src", "partial", 1),
    ("docs\n", "docs/*.md", "excluded", 0),
    ("config/dev.yaml\n", "config/*.yaml", "partial", 1),
    ("", "missing.txt", "missing", 0),
    ("", "nothing-*.txt", "missing", 0),
    ("", "emptydir", "ok", 1),
    ("emptydir\n", "emptydir", "excluded", 0),
    ("*\n!src\n", "src/app", "ok", 3),
    ("*\n!src\n", "pyproject.toml", "excluded", 0),
    ("", "../pyproject.toml", "ok", 1),  # sources cannot leave the context
]


@pytest.mark.parametrize(("content", "source", "status", "sent"), CASES)
def test_with_context(project: Path, content: str, source: str, status: str, sent: int) -> None:
    ignore = DockerIgnore.parse(content)
    [check] = check_copy_sources(ignore, [source], project)
    assert check.status == status
    assert check.sent_files == sent
    assert check.blocked is (status == "excluded")


def test_reports_the_deciding_patterns(project: Path) -> None:
    ignore = DockerIgnore.parse("# x\n*.txt\n**/__pycache__\n")
    [txt, src] = check_copy_sources(ignore, ["requirements.txt", "src"], project)
    assert [(p.line, p.text) for p in txt.patterns] == [(2, "*.txt")]
    assert txt.excluded == ("requirements.txt",)
    assert [(p.line, p.text) for p in src.patterns] == [(3, "**/__pycache__")]
    assert src.excluded == ("src/app/__pycache__",)


def test_wildcard_lists_matches(project: Path) -> None:
    [check] = check_copy_sources(DockerIgnore.empty(), ["config/*.yaml"], project)
    assert check.matched == ("config/dev.yaml", "config/prod.yaml")


@pytest.mark.parametrize(
    ("content", "source", "status"),
    [
        ("*.txt\n", "requirements.txt", "excluded"),
        ("*.txt\n!requirements.txt\n", "requirements.txt", "ok"),
        ("src\n", "src/app/main.py", "excluded"),
        ("**/__pycache__\n", "src", "ok"),  # partial exclusion needs the files to be seen
        ("*.txt\n", "*.txt", "excluded"),  # judged as the literal text
    ],
)
def test_without_context(content: str, source: str, status: str) -> None:
    [check] = check_copy_sources(DockerIgnore.parse(content), [source])
    assert check.status == status


def test_remote_sources_are_skipped() -> None:
    checks = check_copy_sources(
        DockerIgnore.parse("*\n"), ["https://example.invalid/x.tgz", "git@host:r.git", "a"]
    )
    assert [c.source for c in checks] == ["a"]


@pytest.mark.parametrize(
    ("source", "wild"),
    [("a*", True), ("a?", True), ("[ab]", True), ("a\\*", False), ("plain/path", False)],
)
def test_contains_wildcards(source: str, wild: bool) -> None:
    assert contains_wildcards(source) is wild
