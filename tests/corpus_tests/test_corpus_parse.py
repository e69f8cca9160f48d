"""Every corpus file parses losslessly, and the linter never crashes on it.

Files under ``tests/corpus/broken/`` may raise :class:`ParseError` (naming the file and
a line inside it); nothing else may raise anything, except that ``parse_file`` (which
reads a file to build it) refuses fragments without ``FROM`` as BuildKit's build does;
the parser itself must still take them, and the linter lint them. Each valid file is also re-encoded
(CRLF, CR-only, BOM, no final newline, stray non-UTF-8 bytes) and must still round-trip.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from slimline.dockerfile import Instruction, parse_bytes, parse_file
from slimline.dockerfile.model import Dockerfile
from slimline.errors import ParseError
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile
from slimline.lint.registry import all_rules

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
VALID = [p for p in FILES if "broken" not in p.relative_to(CORPUS).parts]
#: parse_file's errors for files that parse but cannot be built (no FROM).
UNBUILDABLE = ("no build stage in current context", "dockerfile contains no stages to build")


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


@lru_cache(maxsize=1)
def _all_rules() -> LintConfig:
    off = [r.code for r in all_rules() if not r.default_enabled]
    return LintConfig(select=["ALL"], extend_select=off)


def _shape(df: Dockerfile) -> list[tuple[str, int, int, int]]:
    return [(i.keyword, i.line, i.end_line, len(i.heredocs)) for i in df.instructions]


def _check_partition(df: Dockerfile) -> None:
    pos = 0
    for node in df.nodes:
        assert node.span.start == pos
        assert node.line == df.lines.line_of(node.span.start)
        assert node.end_line == df.lines.line_of(node.span.end - 1)
        pos = node.span.end
    assert pos == len(df.text)
    lines = [n.line for n in df.nodes if isinstance(n, Instruction)]
    assert lines == sorted(set(lines))


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 170
    assert len(VALID) >= 150


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_round_trip_and_lint(path: Path) -> None:
    data = path.read_bytes()
    broken = path not in VALID
    try:
        df = parse_file(path)
    except ParseError as exc:
        assert exc.path == str(path)
        assert exc.line is not None and 1 <= exc.line <= data.count(b"\n") + 1
        assert str(exc).startswith(f"{path}:{exc.line}: ")
        if broken:
            return
        assert exc.message.startswith(UNBUILDABLE), f"valid corpus file rejected: {exc}"
        df = parse_bytes(data, path)
    assert df.render_bytes() == data
    assert df.path == path
    _check_partition(df)
    lint_dockerfile(df, _all_rules(), path.parent)


def _after_first_instruction(data: bytes) -> int | None:
    """Byte offset just after the first instruction, when a line can be inserted there."""
    df = parse_bytes(data)
    if not df.instructions:
        return None
    end = df.instructions[0].span.end
    if not df.text[:end].endswith("\n"):
        return None
    return len(df.text[:end].encode("utf-8", "surrogateescape"))


def _variants(data: bytes) -> dict[str, bytes]:
    lf = data.replace(b"\r\n", b"\n")
    cut = _after_first_instruction(data)
    latin1 = b"" if cut is None else data[:cut] + b"# caf\xe9 \xff\xfe\n" + data[cut:]
    return {
        "crlf": lf.replace(b"\n", b"\r\n"),
        "lf": lf,
        "bom": b"\xef\xbb\xbf" + data if not data.startswith(b"\xef\xbb\xbf") else data[3:],
        "no-final-newline": data.rstrip(b"\r\n"),
        "cr-only": lf.replace(b"\n", b"\r"),
        "latin1-comment": latin1,
        "bytes-inside": data.replace(b" ", b" \x80", 3),
    }


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_re_encoded_variants(path: Path) -> None:
    data = path.read_bytes()
    original = _shape(parse_bytes(data, path))
    first_end = original[0][2] if original else 0
    for name, variant in _variants(data).items():
        if not variant:
            continue
        try:
            df = parse_bytes(variant, path)
        except ParseError as exc:
            # CR-only files are one long line for BuildKit too; a heredoc marker on it
            # can never be terminated. Nothing else may fail.
            assert name == "cr-only", (name, str(exc))
            assert exc.path == str(path) and exc.line is not None
            assert 1 <= exc.line <= variant.count(b"\n") + 1
            continue
        assert df.render_bytes() == variant, name
        _check_partition(df)
        if name in ("crlf", "lf", "bom", "no-final-newline"):
            # Line endings, a BOM and the final newline do not change the instructions.
            assert _shape(df) == original, name
        elif name == "latin1-comment":
            # A comment line after the first instruction moves the later ones down.
            moved = [(k, a + (a > first_end), b + (b > first_end), h) for k, a, b, h in original]
            assert _shape(df) == moved, name


def test_cr_only_file_is_one_line() -> None:
    # Old-Mac line endings: BuildKit splits lines on \n only, so the file is one line.
    data = (CORPUS / "broken" / "cr-only-line-endings.Dockerfile").read_bytes()
    assert b"\n" not in data and b"\r" in data
    df = parse_bytes(data, "cr.Dockerfile")
    assert df.render_bytes() == data
    assert len(df.instructions) == 1
    assert df.instructions[0].line == df.instructions[0].end_line == 1
