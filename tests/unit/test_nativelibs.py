"""Native libraries: ELF parsing with pyelftools, path resolution in an image's tree."""

from __future__ import annotations

from pathlib import Path

import zstandard.backend_c

from slimline.dockerfile.parser import parse
from slimline.image.files import FileInfo
from slimline.nativelibs import Tree, parse_elf, search_dirs, venv_source


def info(path: str, kind: str = "file", link: str = "") -> tuple[str, FileInfo]:
    return path, FileInfo(path, kind, 10 if kind == "file" else 0, link, 0)


def test_parse_elf_reads_needed_libraries() -> None:
    data = Path(zstandard.backend_c.__file__).read_bytes()
    elf = parse_elf(data)
    assert elf is not None
    assert any(name.startswith("libc.so") for name in elf.needed)
    assert parse_elf(b"#!/bin/sh\n") is None


def test_tree_follows_symlinks_of_files_and_directories() -> None:
    tree = Tree(
        dict(
            [
                info("/lib", "symlink", "usr/lib"),
                info("/usr/lib/x86_64-linux-gnu/libpq.so.5.15"),
                info("/usr/lib/x86_64-linux-gnu/libpq.so.5", "symlink", "libpq.so.5.15"),
                info("/usr/lib/x86_64-linux-gnu/loop", "symlink", "loop"),
            ]
        )
    )
    assert tree.regular("/lib/x86_64-linux-gnu/libpq.so.5") == "/usr/lib/x86_64-linux-gnu/libpq.so.5.15"
    assert tree.resolve("/usr/lib/x86_64-linux-gnu/../x86_64-linux-gnu") == "/usr/lib/x86_64-linux-gnu"
    assert tree.regular("/usr/lib/x86_64-linux-gnu/missing.so") is None
    assert tree.resolve("/usr/lib/x86_64-linux-gnu/loop") is None
    assert search_dirs(tree)[:2] == ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"]


def test_venv_source_finds_the_builder_of_a_rewrite() -> None:
    df = parse(
        "FROM python:3.11 AS builder\nRUN pip install x\n\nFROM python:3.11-slim\n"
        "COPY --from=builder /opt/venv /opt/venv\n"
    )
    assert venv_source(df) == ("builder", "python:3.11-slim")
    assert venv_source(parse("FROM python:3.11\nRUN pip install x\n")) is None
