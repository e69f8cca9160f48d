"""What instructions mean in their stage: ARG/ENV scoping, inheritance, RUN scripts."""

from __future__ import annotations

from slimline.dockerfile import parse
from slimline.dockerfile.model import Dockerfile, Instruction
from slimline.dockerfile.semantics import Semantics


def setup(text: str) -> tuple[Dockerfile, Semantics]:
    df = parse(text, "Dockerfile")
    return df, Semantics(df)


def nth(df: Dockerfile, keyword: str, n: int = 0) -> Instruction:
    return [i for i in df.instructions if i.keyword == keyword][n]


# -- RUN scripts ---------------------------------------------------------------------------


def test_heredoc_with_blank_after_marker_is_the_script() -> None:
    # dispatchRun: when the command line is one heredoc word (`<< EOF` included), the
    # body is the script.
    df, sem = setup("FROM a\nRUN << EOF\napt-get install -y curl\nEOF\n")
    run = nth(df, "RUN")
    assert [c.argv for c in sem.commands(run)] == [["apt-get", "install", "-y", "curl"]]
    (script,) = sem.scripts(run)
    assert script.kind == "heredoc"


def test_chomped_heredoc_commands_map_to_their_source() -> None:
    text = "FROM a\nRUN <<-EOF\n\t\techo one\n\t\tapt-get install -y curl\n\tEOF\n"
    df, sem = setup(text)
    (script,) = sem.scripts(nth(df, "RUN"))
    spans = [script.command_span(c) for c in script.script.commands]
    assert [text[s.start : s.end] for s in spans] == ["echo one", "apt-get install -y curl"]
    assert [c.argv for c in script.script.commands] == [
        ["echo", "one"],
        ["apt-get", "install", "-y", "curl"],
    ]


# -- ARG and ENV scoping ---------------------------------------------------------------------


def test_global_arg_is_visible_only_after_redeclaration() -> None:
    df, sem = setup(
        "ARG VERSION=1.2\nARG OTHER=x\nFROM alpine\nRUN echo before\nARG VERSION\nRUN echo after\n"
    )
    before, after = [i for i in df.instructions if i.keyword == "RUN"]
    assert "VERSION" not in sem.before(before).env
    assert sem.before(after).env["VERSION"] == "1.2"
    assert "OTHER" not in sem.before(after).env
    assert sem.expand(after, "v${VERSION}") == "v1.2"
    assert sem.expand(before, "v${VERSION:-none}") == "vnone"


def test_stage_arg_default_overrides_and_expands() -> None:
    df, sem = setup("ARG V=global\nFROM a\nARG V=local-$V\nARG W=${V}!\nRUN x\n")
    env = sem.before(nth(df, "RUN")).env
    # `$V` inside the stage's own default is not the global value (it was not declared yet).
    assert env["V"] == "local-"
    assert env["W"] == "local-!"


def test_platform_args_need_declaring_in_the_stage() -> None:
    df, sem = setup("FROM a\nRUN one\nARG TARGETARCH\nRUN two\n")
    one, two = [i for i in df.instructions if i.keyword == "RUN"]
    assert "TARGETARCH" not in sem.before(one).env
    assert sem.before(two).env["TARGETARCH"] == "amd64"


def test_env_forms_and_expansion() -> None:
    df, sem = setup(
        'FROM a\nENV A=1 B="two words" C=${A}x\nENV LEGACY some value here\nENV D=$LEGACY\nRUN x\n'
    )
    env = sem.before(nth(df, "RUN")).env
    assert env["A"] == "1"
    assert env["B"] == "two words"
    assert env["C"] == "x"  # the values of one ENV see the state before it
    assert env["LEGACY"] == "some value here"
    assert env["D"] == "some value here"


def test_env_user_workdir_shell_inherit_from_parent_stage() -> None:
    df, sem = setup(
        "FROM python:3.12 AS base\nENV APP=/srv\nUSER app\nWORKDIR /srv\nWORKDIR sub\n"
        'SHELL ["/bin/bash", "-c"]\nARG LOCAL=1\n'
        "FROM base AS child\nRUN in-child\n"
        "FROM python:3.12 AS other\nRUN in-other\n"
    )
    child = sem.before(nth(df, "RUN", 0))
    assert child.env["APP"] == "/srv"
    assert child.user == "app"
    assert (child.workdir, child.workdir_set) == ("/srv/sub", True)
    assert child.shell == ("/bin/bash", "-c")
    assert "LOCAL" in child.env  # the parent's final state, ARGs included
    other = sem.before(nth(df, "RUN", 1))
    assert (other.env, other.user, other.workdir, other.shell) == ({}, None, "/", ("/bin/sh", "-c"))
    assert not other.workdir_set
    assert sem.final(df.stages[0]).user == "app"


def test_user_and_workdir_expand_variables() -> None:
    df, sem = setup("FROM a\nARG UID=10001\nUSER ${UID}:0\nENV D=/opt\nWORKDIR $D/app\nRUN x\n")
    state = sem.before(nth(df, "RUN"))
    assert (state.user, state.workdir) == ("10001:0", "/opt/app")


# -- RUN scripts -------------------------------------------------------------------------------


def test_run_script_kinds() -> None:
    df, sem = setup(
        "FROM a\n"
        "RUN apt-get update && apt-get install -y curl\n"
        'RUN ["/bin/sh", "-c", "pip install x"]\n'
        'RUN ["pip", "install", "y"]\n'
        "RUN <<EOF\nnpm ci\nEOF\n"
        "RUN cat <<EOF > /etc/conf\nnot a command\nEOF\n"
        "RUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\n"
    )
    runs = [i for i in df.instructions if i.keyword == "RUN"]
    kinds = [[s.kind for s in sem.scripts(r)] for r in runs]
    assert kinds == [["shell"], ["sh-c"], ["exec"], ["heredoc"], ["shell"], []]
    programs = [[c.program for c in sem.commands(r)] for r in runs]
    assert programs == [["apt-get", "apt-get"], ["pip"], ["pip"], ["npm"], ["cat"], []]


def test_shell_form_commands_map_to_the_source() -> None:
    text = "FROM a\nRUN --mount=type=cache,target=/c apt-get update \\\n    && apt-get install -y curl\n"
    df, sem = setup(text)
    (script,) = sem.scripts(nth(df, "RUN"))
    spans = [script.command_span(c) for c in script.script.commands]
    assert [text[s.start : s.end] for s in spans] == [
        "apt-get update",
        "apt-get install -y curl",
    ]


def test_non_posix_shell_has_no_script() -> None:
    df, sem = setup('FROM a\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem\n')
    assert sem.scripts(nth(df, "RUN")) == []
    assert sem.script(nth(df, "RUN")) is None


def test_onbuild_run_is_analysed() -> None:
    df, sem = setup("FROM a\nONBUILD RUN pip install -r requirements.txt\n")
    assert [c.program for c in sem.commands(nth(df, "ONBUILD"))] == ["pip"]


def test_heredoc_bodies_of_a_command_line_are_not_commands() -> None:
    df, sem = setup(
        "FROM a\nRUN <<A bash && <<B cat > /etc/b\necho a\nA\napt-get install x\nB\n"
        "RUN <<C cat > /etc/c\nrm -rf /\nC\n"
        "RUN python3 <<D && <<E cat > /e\nprint(1)\nD\nx\nE\n"
    )
    runs = [i for i in df.instructions if i.keyword == "RUN"]
    assert [[c.program for c in sem.commands(r)] for r in runs] == [
        ["bash", "cat"],
        ["cat"],
        ["python3", "cat"],
    ]


def test_arg_without_default_stays_unset_in_the_stage() -> None:
    df, sem = setup("ARG G\nFROM a\nARG G\nARG L\nRUN x\n")
    env = sem.before(nth(df, "RUN")).env
    assert "G" not in env and "L" not in env
    assert sem.expand(nth(df, "RUN"), "${G-dflt}/${L+set}") == "dflt/"
    assert sem.before(nth(df, "RUN")).args >= {"G", "L"}


def test_one_env_or_arg_instruction_expands_against_the_state_before_it() -> None:
    # The Dockerfile reference's example: def gets hello, not bye.
    df, sem = setup(
        "FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\nARG x=1\nARG x=2 y=$x\nRUN r\n"
    )
    env = sem.before(nth(df, "RUN")).env
    assert (env["abc"], env["def"], env["ghi"]) == ("bye", "hello", "bye")
    assert (env["x"], env["y"]) == ("2", "1")
