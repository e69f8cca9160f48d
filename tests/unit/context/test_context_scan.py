"""Walking a build context: what is sent, sizes, categories, links, errors, limits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from slimline.context import DockerIgnore, scan_context, walk_context
from slimline.errors import SlimlineError


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.11\nCOPY . .\n",
            "app/main.py": "print('hi')\n",
            "app/__pycache__/main.cpython-311.pyc": b"\0" * 300,
            "app/data.bin": b"\0" * 5000,
            ".git/HEAD": "ref: refs/heads/main\n",
            ".git/objects/pack/p.pack": b"\0" * 20000,
            ".venv/pyvenv.cfg": "home = /usr\n",
            ".venv/lib/site.py": "x" * 700,
            "env2/pyvenv.cfg": "home = /usr\n",
            "env2/bin/python": "x",
            "node_modules/left-pad/index.js": "x" * 40,
            ".env": "SECRET=1\n",
            ".env.example": "SECRET=\n",
            "certs/server.pem": "-----BEGIN-----\n",
            "logs/run.log": "x" * 10,
            "dist/app.whl": "x" * 100,
            ".idea/workspace.xml": "<x/>",
            ".pytest_cache/v/cache": "x",
            "empty/": "",
        },
    )
    return tmp_path


def test_no_ignore_file_sends_everything(project: Path) -> None:
    scan = scan_context(project)
    assert scan.ignore_file is None
    assert scan.file_count == 18
    assert "empty" in scan.directories and ".git/objects/pack" in scan.directories
    assert scan.total_bytes == sum((project / f.path).stat().st_size for f in scan.files)
    assert scan.largest[0].path == ".git/objects/pack/p.pack"
    assert [f.path for f in scan.largest[:2]] == [".git/objects/pack/p.pack", "app/data.bin"]
    assert scan.get("./app/main.py") is not None
    assert scan.build_files == ("Dockerfile",)


def test_categories(project: Path) -> None:
    scan = scan_context(project)
    got = {(h.category, h.path, h.kind, h.files) for h in scan.categories}
    assert got == {
        ("vcs", ".git", "dir", 2),
        ("virtualenv", ".venv", "dir", 2),
        ("virtualenv", "env2", "dir", 2),  # any name, because of pyvenv.cfg
        ("node_modules", "node_modules", "dir", 1),
        ("pycache", "app/__pycache__", "dir", 1),
        ("secrets", ".env", "file", 1),
        ("secrets", "certs/server.pem", "file", 1),
        ("logs", "logs/run.log", "file", 1),
        ("build_output", "dist", "dir", 1),
        ("editor", ".idea", "dir", 1),
        ("caches", ".pytest_cache", "dir", 1),
    }
    git = scan.by_category("vcs")[0]
    assert git.bytes == 20000 + len("ref: refs/heads/main\n")


def test_ignore_file_applies(project: Path) -> None:
    (project / ".dockerignore").write_text(
        ".git\n.venv\nenv2\nnode_modules\n**/__pycache__\n.env\n*.pem\n**/*.log\n!logs/keep.log\n"
    )
    scan = scan_context(project)
    assert scan.ignore_file == project / ".dockerignore"
    sent = set(scan.sent_paths)
    assert ".git/HEAD" not in sent and "app/main.py" in sent and ".env.example" in sent
    assert "certs/server.pem" in sent  # "*.pem" only matches at the top level
    assert {h.category for h in scan.categories} == {"secrets", "build_output", "editor", "caches"}
    excluded = {(e.path, e.is_dir, e.pattern.line if e.pattern else None) for e in scan.excluded}
    assert (".git", True, 1) in excluded
    assert ("logs/run.log", False, 8) in excluded
    assert (".dockerignore", False, None) not in excluded
    # pruned directories are not looked into
    assert not any(e.path.startswith(".git/") for e in scan.excluded)


def test_symlinks_are_sent_as_links_and_not_followed(tmp_path: Path) -> None:
    write(tmp_path, {"real/f": "abc", "secret/key.pem": "k"})
    (tmp_path / "to-real").symlink_to("real")
    (tmp_path / "dangling").symlink_to("nowhere")
    (tmp_path / "real" / "loop").symlink_to("..")
    (tmp_path / ".dockerignore").write_text("secret\n")
    scan = scan_context(tmp_path)
    kinds = {f.path: (f.kind, f.size) for f in scan.files}
    assert kinds["to-real"] == ("symlink", 0)
    assert kinds["dangling"] == ("symlink", 0)
    assert kinds["real/loop"] == ("symlink", 0)
    assert "to-real/f" not in kinds
    assert kinds["real/f"] == ("file", 3)


def test_unreadable_directory_is_reported(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir
    locked = project / "app"

    def scandir(path: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    scan = scan_context(project)
    assert [(u.path, u.error) for u in scan.unreadable] == [("app", "Permission denied")]
    assert not any(p.startswith("app/") for p in scan.sent_paths)


def test_unreadable_inside_an_excluded_walked_directory_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"dir/keep": "k", "dir/locked/x": "x"})
    (tmp_path / ".dockerignore").write_text("dir\n!dir/keep\n")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
        if Path(path) == tmp_path / "dir" / "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    scan = scan_context(tmp_path)
    assert scan.unreadable == ()
    assert "dir/keep" in scan.sent_paths


def test_entry_limit_truncates(project: Path) -> None:
    scan = scan_context(project, max_entries=5)
    assert scan.truncated
    assert scan.file_count <= 5


def test_context_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SlimlineError):
        scan_context(tmp_path / "missing")


def test_invalid_ignore_file_is_a_slimline_error(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("ok\nbad[\n")
    with pytest.raises(SlimlineError, match=r"\.dockerignore:2"):
        scan_context(tmp_path)


class TestDirectoriesAndExceptions:
    def test_excluded_directory_with_reincluded_file(self, tmp_path: Path) -> None:
        write(tmp_path, {"dir/keep": "k", "dir/other": "o", "dir/sub/z": "z"})
        (tmp_path / ".dockerignore").write_text("dir\n!dir/keep\n")
        scan = scan_context(tmp_path)
        assert [p for p in scan.sent_paths if p.startswith("dir")] == ["dir/keep"]
        assert "dir" in scan.directories and "dir/sub" not in scan.directories

    def test_walked_excluded_directory_without_content(self, tmp_path: Path) -> None:
        write(tmp_path, {"dir/other": "o"})
        content = "dir\n!dir/missing\n"
        (tmp_path / ".dockerignore").write_text(content)
        assert "dir" not in scan_context(tmp_path).directories
        # docker 20.10's BuildKit sync sends the walked directory itself
        legacy = DockerIgnore.parse(content, matcher="fileutils")
        assert "dir" in scan_context(tmp_path, legacy).directories
        classic = DockerIgnore.parse(content, builder="classic", matcher="fileutils")
        assert "dir" not in scan_context(tmp_path, classic).directories

    def test_classic_keeps_the_directory_of_an_excluded_dockerfile(self, tmp_path: Path) -> None:
        write(tmp_path, {"sub/Dockerfile": "FROM scratch\n", "sub/a": "", "b": ""})
        (tmp_path / ".dockerignore").write_text("sub\n")
        dockerfile = tmp_path / "sub" / "Dockerfile"
        classic = DockerIgnore.load(tmp_path, dockerfile, builder="classic")
        scan = scan_context(tmp_path, classic, dockerfile_path=dockerfile)
        assert "sub/Dockerfile" not in scan.sent_paths
        assert "sub" in scan.directories
        buildkit = scan_context(tmp_path, dockerfile_path=dockerfile)
        assert "sub" not in buildkit.directories
        assert buildkit.build_files == ("sub/Dockerfile", ".dockerignore")

    def test_build_files_excluded_are_not_sent(self, tmp_path: Path) -> None:
        write(tmp_path, {"Dockerfile": "FROM scratch\n", "a": ""})
        (tmp_path / ".dockerignore").write_text("Dockerfile\n.dockerignore\n")
        for builder in ("buildkit", "classic"):
            ignore = DockerIgnore.load(tmp_path, builder=builder)
            scan = scan_context(tmp_path, ignore)
            assert scan.sent_paths == ("a",)
            assert set(scan.build_files) == {"Dockerfile", ".dockerignore"}


def test_walk_context_from_a_subdirectory(project: Path) -> None:
    (project / ".dockerignore").write_text("app/*.bin\n")
    ignore = DockerIgnore.load(project)
    items = {i.path: i.sent for i in walk_context(project, ignore, start="app")}
    assert items["app/main.py"] is True
    assert items["app/data.bin"] is False
    assert items["app/__pycache__"] is True
