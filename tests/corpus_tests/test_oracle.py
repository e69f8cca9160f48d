"""Our parser against BuildKit's own, on every corpus file.

The PyPI package ``dockerfile`` wraps BuildKit's Go parser (``frontend/dockerfile/parser``;
the installed build embeds BuildKit v0.12.5). For every file it accepts we compare, node by
node: the number of instructions, start and end lines (the end line of an instruction
with heredocs is its last terminator line), the keyword as written, ONBUILD's inner
keyword, the flags (quotes and escapes removed, as BuildKit gives them), whether the
arguments are JSON, the exec-form values, the shell-form argument string, and heredoc
names and bodies. Files it rejects must be rejected by us too, or be listed below with
the reason we differ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from slimline.dockerfile import Instruction, parse_bytes, parse_file
from slimline.dockerfile.model import Dockerfile
from slimline.errors import ParseError

dockerfile = pytest.importorskip("dockerfile")

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
#: BuildKit's reWhitespace, used to split COPY/ADD/VOLUME/FROM/EXPOSE arguments.
_WS = re.compile(r"[\t\v\f\r ]+")

#: BuildKit rejects these when parsing; slimline parses them so that the linter can say
#: more than "syntax error" (SL421 reports JSON arrays with non-strings), or leaves them
#: to the build, as hadolint does. The value is why.
LENIENT = {
    "file with no instructions": (
        "the parser keeps empty files (for fragments and fixes); parse_file, which reads a "
        "file to build it, rejects them with BuildKit's message (test below)"
    ),
    "must have two arguments": "ENV/LABEL with one word is kept as an instruction for the rules",
    "can't find = in": "ENV/LABEL key=value checks belong to the rules, not the parser",
    "arrays must be comprised of strings only": "kept as shell form; SL421 reports it",
    "'utf-8' codec can't decode": (
        "not a BuildKit error: the Python wrapper cannot decode the Go parser's output "
        "for files with non-UTF-8 bytes, which BuildKit itself accepts"
    ),
}


def _rel(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def _flag(inst: Instruction) -> tuple[str, ...]:
    return tuple("--" + f.name + ("" if f.value is None else "=" + f.value) for f in inst.flags)


def _compare(inst: Instruction, cmd: Any, escape: str) -> list[str]:
    eff = inst.effective
    problems: list[str] = []

    def check(what: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            problems.append(f"{what}: ours {ours!r}, BuildKit {theirs!r}")

    check("lines", (inst.line, inst.end_line), (cmd.start_line, cmd.end_line))
    check("keyword", inst.raw_keyword, cmd.cmd or "")
    if inst.inner is not None:
        check("ONBUILD keyword", inst.inner.raw_keyword, cmd.sub_cmd or "")
    check("flags", _flag(inst), tuple(cmd.flags))
    check("json", eff.exec_form is not None, cmd.json)
    values = tuple(cmd.value or ())
    if cmd.json and eff.exec_form is not None:
        expected = values[1:] if eff.keyword == "HEALTHCHECK" else values
        check("exec form", tuple(eff.exec_form), expected)
    elif eff.keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL", "USER", "WORKDIR", "STOPSIGNAL"):
        if eff.args:
            check("arguments", (eff.args,), values)
    elif eff.keyword in ("COPY", "ADD", "VOLUME", "FROM", "EXPOSE") and eff.args:
        check("words", tuple(_WS.split(eff.args)), values)
    if inst.inner is None:
        # The wrapper reads heredocs from ONBUILD's inner node, where BuildKit does not
        # put them (parser.go attaches them to the ONBUILD node); so only compare others.
        ours = [(h.name, h.content) for h in inst.heredocs]
        check("heredocs", ours, [(h.name, h.content) for h in cmd.heredocs])
    return problems


def _oracle(path: Path) -> tuple[list[Any] | None, str | None]:
    try:
        return list(dockerfile.parse_file(str(path))), None
    except Exception as exc:  # GoParseError, or UnicodeDecodeError from the wrapper
        return None, f"{type(exc).__name__}: {exc}"


def _ours(path: Path) -> tuple[Dockerfile | None, str | None]:
    # The parser alone, as BuildKit's parser alone: parse_file also refuses files that
    # parse but cannot be built (no FROM), which BuildKit only finds when it builds.
    try:
        return parse_bytes(path.read_bytes(), path), None
    except ParseError as exc:
        return None, str(exc)


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_same_as_buildkit(path: Path) -> None:
    commands, their_error = _oracle(path)
    df, our_error = _ours(path)
    if commands is None:
        assert their_error is not None
        if df is None:
            return  # both reject
        reasons = [why for key, why in LENIENT.items() if key in their_error]
        assert reasons, f"BuildKit rejects ({their_error}) but we accept"
        return
    assert df is not None, f"we reject ({our_error}) but BuildKit accepts"
    insts = df.instructions
    problems: list[str] = []
    if len(insts) != len(commands):
        problems.append(f"{len(insts)} instructions, BuildKit {len(commands)}")
    for inst, cmd in zip(insts, commands, strict=False):
        problems.extend(f"line {inst.line}: {p}" for p in _compare(inst, cmd, df.escape))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_files_without_instructions_are_refused_like_buildkit(path: Path) -> None:
    commands, their_error = _oracle(path)
    if commands is not None or "file with no instructions" not in str(their_error):
        return
    with pytest.raises(ParseError, match="file with no instructions"):
        parse_file(path)


def test_oracle_sees_most_of_the_corpus() -> None:
    # The comparison is only worth something if BuildKit accepts most files.
    accepted = sum(1 for p in FILES if _oracle(p)[0] is not None)
    assert accepted >= 250


# -- where the wrapped BuildKit is older than the one we follow --------------------------
#
# No corpus file hits these, but real Dockerfiles can. Each case shows what BuildKit
# v0.12.5 (in the package) does and what we do, following current BuildKit; the test
# fails if either side changes, so the list stays true.


def _summary(commands: list[Any]) -> list[tuple[str, int, int, bool, int]]:
    return [(c.cmd or "", c.start_line, c.end_line, c.json, len(c.heredocs)) for c in commands]


def _our_summary(df: Dockerfile) -> list[tuple[str, int, int, bool, int]]:
    return [
        (i.raw_keyword, i.line, i.end_line, i.effective.exec_form is not None, len(i.heredocs))
        for i in df.instructions
    ]


OLDER = [
    pytest.param(
        "RUN cat << EOF\nhi\nEOF\n",
        [("RUN", 1, 1, False, 0), ("hi", 2, 2, False, 0), ("EOF", 3, 3, False, 0)],
        [("RUN", 1, 3, False, 1)],
        id="blank-after-heredoc-marker",  # allowed since dockerfile frontend 1.16
    ),
    pytest.param(
        "# check=skip=all\n# escape=`\nRUN a `\n b\n",
        [("RUN", 3, 3, False, 0), ("b", 4, 4, False, 0)],
        [("RUN", 3, 4, False, 0)],
        id="check-directive",  # `check` is a directive since frontend 1.8; before, it
        # ended the directive block and the escape line was a comment
    ),
    pytest.param(
        'CMD ["a"] trailing\n',
        [("CMD", 1, 1, True, 0)],
        [("CMD", 1, 1, False, 0)],
        id="json-with-trailing-text",  # json.Decoder read one value; json.Unmarshal since 1.9
    ),
    pytest.param(
        "RUN x=${V#p} cat <<EOF\nhi\nEOF\n",
        [("RUN", 1, 1, False, 0), ("hi", 2, 2, False, 0), ("EOF", 3, 3, False, 0)],
        [("RUN", 1, 3, False, 1)],
        id="pattern-substitution-on-heredoc-line",  # lexer errors before BuildKit 0.13
    ),
    pytest.param(
        "#\u00a0escape=`\nRUN a `\n b\n",
        [("RUN", 2, 2, False, 0), ("b", 3, 3, False, 0)],
        [("RUN", 2, 3, False, 0)],
        id="unicode-space-in-directive",  # directives.go trims it since BuildKit 0.27
    ),
]


@pytest.mark.parametrize(("text", "old", "new"), OLDER)
def test_known_differences_from_the_older_buildkit(
    text: str,
    old: list[tuple[str, int, int, bool, int]],
    new: list[tuple[str, int, int, bool, int]],
) -> None:
    from slimline.dockerfile import parse

    assert _summary(list(dockerfile.parse_string(text))) == old
    assert _our_summary(parse(text, "Dockerfile")) == new


def test_flags_escape_with_backtick_in_current_buildkit() -> None:
    # extractBuilderFlags used a hard-coded backslash before frontend 1.15; it now uses
    # the directive's escape character, so a backslash in a backtick file is literal.
    from slimline.dockerfile import parse

    text = "# escape=`\nCOPY --chown=a\\b x y\n"
    (old,) = dockerfile.parse_string(text)
    assert old.flags == ("--chown=ab",)
    (new,) = parse(text, "Dockerfile").instructions
    assert new.flag("chown") is not None and new.flag_values("chown") == ["a\\b"]
