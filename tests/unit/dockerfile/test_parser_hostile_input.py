"""Hostile Dockerfiles: every one ends in a clear ParseError (file, line, limit) or is
analysed, never a hang, a crash or unbounded memory (docs/limits.md)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slimline import fsio
from slimline.dockerfile import parse, parse_file
from slimline.dockerfile.expand import (
    MAX_EXPANSION_CHARS,
    ExpansionBudget,
    ExpansionLimitError,
    expand,
)
from slimline.dockerfile.parser import parse_user_bytes
from slimline.dockerfile.semantics import MAX_VARIABLE_BINDINGS, Semantics
from slimline.dockerfile.shell import parse_shell
from slimline.errors import ParseError, SlimlineError, printable
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile

#: A regression here would hang (a blocking read of a FIFO) or run away: fail instead.
pytestmark = pytest.mark.timeout(60)


def _write(tmp_path: Path, data: bytes, name: str = "Dockerfile") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- files that are not Dockerfiles ------------------------------------------------------------


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    with pytest.raises(ParseError) as err:
        parse_file(fifo)  # no writer: a blocking open would hang here
    assert err.value.path == str(fifo)
    assert "FIFO" in err.value.message and "not a regular file" in err.value.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_character_device_is_refused() -> None:
    with pytest.raises(ParseError, match="character device"):
        parse_file("/dev/zero")


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="a directory"):
        parse_file(tmp_path)
    with pytest.raises(ParseError, match="no such file"):
        parse_file(tmp_path / "nope")


def test_size_limit_names_the_limit(tmp_path: Path) -> None:
    big = _write(tmp_path, b"FROM alpine\n" + b"# pad\n" * (fsio.MAX_DOCKERFILE_BYTES // 6 + 1))
    with pytest.raises(ParseError) as err:
        parse_file(big)
    assert "larger than the 1 MiB limit" in err.value.message
    ok = _write(tmp_path, b"FROM alpine\n" + b"#\n" * 1000, "ok.Dockerfile")
    assert parse_file(ok).stages


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "file with no instructions", 1),
        (b"# syntax=docker/dockerfile:1\n# only comments\n\n", "file with no instructions", 1),
        (b"  \n\t\n", "file with no instructions", 1),
        (b"RUN echo hi\n", "no build stage in current context: RUN before any FROM", 1),
        (b"ARG A=1\n# c\nENV B=2\n", "no build stage in current context: ENV before any FROM", 3),
        (b"ARG A=1\nARG B\n", "dockerfile contains no stages to build (no FROM)", 2),
        (b"FROM alpine\nRUN a\x00b\n", "not a Dockerfile: binary data (a NUL byte)", 2),
        (bytes(range(128, 256)) * 4 + b"\nFROM a\n", "not a Dockerfile: binary data", 1),
        ("FROM a\n".encode("utf-16"), "not a Dockerfile: the text is UTF-16 (save it as UTF-8)", 1),
    ],
    ids=[
        "empty",
        "comments",
        "blank",
        "no-from",
        "arg-then-env",
        "only-args",
        "nul",
        "binary",
        "utf-16",
    ],
)
def test_files_buildkit_cannot_build(tmp_path: Path, data: bytes, message: str, line: int) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert err.value.message.startswith(message)
    assert (err.value.path, err.value.line) == (str(path), line)


def test_fragments_still_parse_with_the_parser() -> None:
    # Rules, fixes and tests use fragments: only files read to be built are refused.
    df = parse("RUN apt-get update\n")
    assert df.stages == [] and len(df.instructions) == 1


def test_a_few_stray_bytes_are_not_binary(tmp_path: Path) -> None:
    path = _write(tmp_path, b"FROM alpine\n# caf\xe9 \xff\xfe\nRUN echo \x80\n")
    assert len(parse_file(path).instructions) == 2


def test_instruction_before_from_is_left_to_the_rule(tmp_path: Path) -> None:
    # With a FROM later, SL415 says more than a parse error would.
    path = _write(tmp_path, b"LABEL a=b\nFROM alpine\n")
    assert len(parse_file(path).stages) == 1


# -- ARG/ENV expansion ------------------------------------------------------------------------


def _doubling(n: int, keyword: str = "ARG") -> str:
    lines = [f"{keyword} A1=xx"] + [f"{keyword} A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(2, n + 1)]
    if keyword == "ARG":
        return "\n".join(lines) + "\nFROM alpine\n"
    return "FROM alpine\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("keyword", ["ARG", "ENV"])
def test_doubling_bomb_is_an_error_at_its_line(tmp_path: Path, keyword: str) -> None:
    # 40 doublings would be 2 TiB; A{n} holds 2**n characters, so line 17 is the first
    # over the 64 KiB limit.
    path = _write(tmp_path, _doubling(40, keyword).encode())
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert "longer than the 64 KiB limit" in err.value.message
    offset = 0 if keyword == "ARG" else 1
    assert err.value.path == str(path) and err.value.line == 17 + offset


def test_values_under_the_limit_expand() -> None:
    df = parse(_doubling(15))
    assert len(expand("$A15", {"A15": "x" * 2**15}).value) == 2**15
    assert df.stages[0].base_expanded == "alpine"
    assert len(Semantics(df).global_env["A15"]) == 2**15


def test_expansion_limit_counts_what_substitutions_add() -> None:
    env = {"V": "x" * 40_000}
    assert len(expand("$V", env).value) == 40_000
    with pytest.raises(ExpansionLimitError, match="64 KiB"):
        expand("$V$V", env)
    # A long literal is not an expansion: it is bounded by the file size.
    assert len(expand("y" * (MAX_EXPANSION_CHARS + 10), {}).value) == MAX_EXPANSION_CHARS + 10


def test_work_budget_stops_pattern_operations() -> None:
    # Removing a pattern that never matches tries every cut of the value.
    env = {"V": "x" * 60_000}
    with pytest.raises(ExpansionLimitError, match="more work than the limit"):
        expand("${V##*y}", env)
    assert expand("${V##*x}", env).value == ""
    assert expand("${V%x}", env).value == "x" * 59_999


def test_budget_is_shared_by_one_file() -> None:
    budget = ExpansionBudget(1000)
    expand("$V", {"V": "x" * 600}, budget=budget)
    with pytest.raises(ExpansionLimitError):
        expand("$V", {"V": "x" * 600}, budget=budget)


def test_many_references_to_a_large_value_are_bounded(tmp_path: Path) -> None:
    # Each line is small, but each copies 60 KiB: the file's budget (16 Mi) stops it.
    text = "FROM alpine\nARG A=" + "x" * 60_000 + "\n" + "ENV B=$A\n" * 400
    path = _write(tmp_path, text.encode())
    with pytest.raises(ParseError, match="more work than the limit") as err:
        parse_file(path)
    assert err.value.line is not None and err.value.line > 2


def test_variable_bindings_limit(tmp_path: Path) -> None:
    lines = "".join(f"ENV V{i}=1\n" for i in range(2100))
    path = _write(tmp_path, ("FROM alpine\n" + lines).encode())
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert f"{MAX_VARIABLE_BINDINGS:,} variable bindings" in err.value.message
    # Many instructions that only see a few variables cost nothing.
    runs = "FROM alpine\n" + "ENV A=1 B=2\n" + "RUN true\n" * 5000
    assert len(parse_file(_write(tmp_path, runs.encode(), "runs")).instructions) == 5002


def test_semantics_state_is_not_shared_across_changes() -> None:
    df = parse("FROM a\nARG X=1\nENV Y=$X\nARG Z\nRUN true\n")
    sem = Semantics(df)
    arg, env, arg2, run = df.instructions[1:]
    assert sem.before(arg).env == {} and sem.before(arg).args == set()
    assert sem.before(env).env == {"X": "1"}
    assert sem.before(arg2).env == {"X": "1", "Y": "1"} and sem.before(arg2).args == {"X"}
    assert sem.before(run).args == {"X", "Z"}


# -- the shell walker -------------------------------------------------------------------------


def test_thousand_and_chain_is_analysed(tmp_path: Path) -> None:
    run = " && ".join(f"echo {i}" for i in range(1000))
    path = _write(tmp_path, f"FROM alpine\nRUN {run} || apt-get install -y curl\n".encode())
    df = parse_file(path)
    script = Semantics(df).script(df.instructions[1])
    assert script is not None
    assert [c.program for c in script.commands][:2] == ["echo", "echo"]
    assert len(script.commands) == 1001
    assert script.commands[0].connector is None and script.commands[1].connector == "&&"
    assert script.commands[-1].connector == "||" and script.commands[-1].program == "apt-get"
    # The file is linted, and the command after the thousand echos is seen.
    codes = {f.code for f in lint_dockerfile(df, LintConfig(), None)}
    assert "SL109" in codes


def test_and_chain_connectors_match_a_short_chain() -> None:
    short = parse_shell("a && b || c; d && e")
    assert [(c.program, c.connector) for c in short.commands] == [
        ("a", None),
        ("b", "&&"),
        ("c", "||"),
        ("d", ";"),
        ("e", "&&"),
    ]


def test_absurd_nesting_degrades_instead_of_crashing() -> None:
    script = parse_shell("(" * 3000 + "echo hi" + ")" * 3000)
    assert script.has_error


# -- messages ----------------------------------------------------------------------------------


def test_messages_quoting_the_file_have_no_raw_control_characters(tmp_path: Path) -> None:
    path = _write(tmp_path, b"FROM a\nRUN cat <<E\x1b[2J\nnever closed\n")
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert "\x1b" not in err.value.message and "\\x1b" in err.value.message
    assert "\x1b" not in str(SlimlineError("a \x1b[31m b\r", path="x\x07"))
    assert printable("tab\tnew\nline") == "tab\\tnew\\nline"


def test_parse_user_bytes_checks_stdin_too() -> None:
    with pytest.raises(ParseError, match="file with no instructions") as err:
        parse_user_bytes(b"\n", "<stdin>")
    assert err.value.path == "<stdin>"

