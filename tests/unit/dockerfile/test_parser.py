"""The parser, checked against BuildKit's documented and observed behaviour.

References are to moby/buildkit ``frontend/dockerfile/parser`` (parser.go,
directives.go, split_command.go, line_parsers.go) and ``frontend/dockerfile/shell``
(lex.go), which the parser follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.dockerfile import Comment, Directive, Instruction, parse
from slimline.dockerfile.model import Dockerfile


def insts(df: Dockerfile) -> list[Instruction]:
    return df.instructions


def roundtrip(text: str) -> Dockerfile:
    df = parse(text, "Dockerfile")
    assert df.render() == text
    return df


# -- continuations -------------------------------------------------------------------------


def test_escaped_escape_at_line_end_is_not_a_continuation() -> None:
    # BuildKit's continuation regex is `([^\\])\\[ \t]*$|^\\[ \t]*$`: the escape character
    # must not itself be preceded by an escape character.
    df = roundtrip("FROM a\nRUN echo a \\\\\nRUN echo b\n")
    assert [(i.keyword, i.args, i.line, i.end_line) for i in insts(df)] == [
        ("FROM", "a", 1, 1),
        ("RUN", "echo a \\\\", 2, 2),
        ("RUN", "echo b", 3, 3),
    ]


def test_three_escapes_at_line_end_are_not_a_continuation_either() -> None:
    df = roundtrip("RUN echo a \\\\\\  \nRUN echo b\n")
    assert [i.line for i in insts(df)] == [1, 2]


def test_escape_alone_on_a_line_continues() -> None:
    df = roundtrip("RUN a \\\n\\\n  b\nRUN c\n")
    first = insts(df)[0]
    assert (first.line, first.end_line, first.logical.text) == (1, 3, "RUN a   b")


def test_escaped_backtick_at_line_end_with_backtick_escape() -> None:
    df = roundtrip("# escape=`\r\nRUN echo ``\r\nRUN echo b `\r\n  c\r\n")
    assert [(i.line, i.end_line) for i in insts(df)] == [(2, 2), (3, 4)]
    assert isinstance(df.nodes[0], Directive)
    assert not any(isinstance(n, Comment) for n in df.nodes)


@pytest.mark.parametrize("escape_line", ["# escape=\\\n", ""])
def test_backslash_continuation_default_and_explicit(escape_line: str) -> None:
    df = roundtrip(escape_line + "RUN a \\\n    b\n")
    assert insts(df)[0].args == "a     b"


# -- white space as Go defines it ----------------------------------------------------------


def test_keyword_after_a_continuation_is_trimmed_of_unicode_space() -> None:
    # The logical line "\u00a0FROM alpine" is trimmed with Go's strings.TrimSpace.
    df = roundtrip("\\\n\u00a0FROM alpine\n")
    (inst,) = insts(df)
    assert (inst.raw_keyword, inst.args) == ("FROM", "alpine")


def test_keyword_followed_only_by_unicode_space() -> None:
    (inst,) = insts(roundtrip("WORKDIR\u2003\n"))
    assert (inst.raw_keyword, inst.args) == ("WORKDIR", "")


def test_ascii_separators_are_not_white_space() -> None:
    # Python's str.isspace() accepts \x1c-\x1f; Go's unicode.IsSpace does not, so for
    # BuildKit this line is an (unknown) instruction, not a blank line.
    df = roundtrip("FROM a\n\x1c\n\x1fRUN x\n")
    assert [i.raw_keyword for i in insts(df)] == ["FROM", "\x1c", "\x1fRUN"]


# -- heredoc bodies ------------------------------------------------------------------------


def test_heredoc_content_keeps_crlf_line_endings() -> None:
    # parser.go writes the scanned lines (line endings included) into the content.
    df = roundtrip("FROM a\r\nCOPY <<EOF /x\r\nk=v\r\n\r\nEOF\r\n")
    (h,) = insts(df)[1].heredocs
    assert h.content == "k=v\r\n\r\n"
    assert df.text[h.body_span.start : h.body_span.end] == h.content


def test_chomped_heredoc_content_keeps_its_tabs() -> None:
    # Tabs are stripped when the instruction runs (ChompHeredocContent), not by the parser.
    (inst,) = insts(roundtrip("RUN <<-EOF\n\techo hi\n\tEOF\n"))
    assert inst.heredocs[0].content == "\techo hi\n"
    assert inst.heredocs[0].chomp


# -- which words open a heredoc (parser.heredocsFromLine + shell.Lex) ------------------------


def heredoc_names(text: str) -> list[list[str]]:
    return [[h.name for h in i.heredocs] for i in insts(roundtrip(text))]


def test_blank_between_marker_and_delimiter() -> None:
    # Since BuildKit 0.21 (dockerfile 1.15) `<< EOF` is a heredoc: the lexer keeps the
    # blanks after `<<` in the word and reHeredoc allows `\s*` there.
    df = roundtrip("FROM a\nRUN cat << EOF > /x\nhi\nEOF\nRUN b\n")
    run = insts(df)[1]
    assert (run.line, run.end_line, run.heredocs[0].name) == (2, 4, "EOF")
    assert heredoc_names("RUN <<\t'END'\nx\nEND\n") == [["END"]]
    # The blanks are kept only right after `<<`: in `<<- EOF` the words are split.
    assert heredoc_names("RUN cat <<- EOF\n") == [[]]


def test_unterminated_quote_on_the_line_disables_heredocs() -> None:
    # The lexer fails on the unmatched quote; heredocsFromLine ignores the error and
    # so finds no words at all: the next lines are instructions.
    df = roundtrip("RUN cat <<EOF it's\nhi\nEOF\n")
    assert [i.raw_keyword for i in insts(df)] == ["RUN", "hi", "EOF"]


def test_bad_substitution_on_the_line_disables_heredocs() -> None:
    df = roundtrip("RUN cat <<EOF ${X^^}\nhi\nEOF\n")
    assert [i.raw_keyword for i in insts(df)] == ["RUN", "hi", "EOF"]


def test_empty_delimiter_is_not_a_heredoc() -> None:
    df = roundtrip('RUN cat <<"" x\nhi\n\nRUN y\n')
    assert [i.raw_keyword for i in insts(df)] == ["RUN", "hi", "RUN"]
    assert heredoc_names("RUN cat <<'' x\n") == [[]]


def test_substitution_clears_the_word_being_built() -> None:
    # shell/lex.go: processStopOn resets the shared words buffer, so in `<<${X:-a}`
    # the `<<` is lost before the word is finished and no heredoc starts.
    df = roundtrip("RUN x <<${X:-a}\nhi\n")
    assert [i.raw_keyword for i in insts(df)] == ["RUN", "hi"]
    # Plain variables do not go through the nested lexer: the delimiter is literal.
    assert heredoc_names("RUN x <<$X\nhi\n$X\n") == [["$X"]]
    assert heredoc_names("RUN x <<${X}\nhi\n${X}\n") == [["${X}"]]


@pytest.mark.parametrize(
    ("marker", "name", "expand", "chomp", "fd"),
    [
        ("<<EOF", "EOF", True, False, 0),
        ("<<-EOF", "EOF", True, True, 0),
        ("<<'EOF'", "EOF", False, False, 0),
        ('<<"EOF"', "EOF", False, False, 0),
        ('<<E"O"F', "EOF", False, False, 0),
        ("<<E\\OF", "EOF", True, False, 0),  # an escape is not a quote for BuildKit
        ('<<"E\\"F"', 'E"F', False, False, 0),
        ("3<<EOF", "EOF", True, False, 3),
        ('10<<-"X"', "X", False, True, 10),
        ("99999999999999999999<<EOF", "EOF", True, False, 0),  # ParseUint fails: fd 0
    ],
)
def test_marker_forms(marker: str, name: str, expand: bool, chomp: bool, fd: int) -> None:
    body_end = ("\t" if chomp else "") + name
    df = roundtrip(f"RUN cat {marker}\nbody\n{body_end}\n")
    (inst,) = insts(df)
    (h,) = inst.heredocs
    assert (h.name, h.expand, h.chomp, h.fd, h.content) == (name, expand, chomp, fd, "body\n")


@pytest.mark.parametrize(
    "line", ["RUN cat <<<EOF", "RUN cat x<<EOF", "RUN cat '<<EOF'", "RUN a \\<<EOF", "RUN a <<A<<B"]
)
def test_not_heredoc_markers(line: str) -> None:
    assert heredoc_names(line + "\nEOF\n") == [[], []]


def test_invalid_utf8_delimiter_never_terminates() -> None:
    # Go reads the invalid byte as U+FFFD in the delimiter, which no raw line equals.
    from slimline.dockerfile import parse_bytes
    from slimline.errors import ParseError

    with pytest.raises(ParseError) as info:
        parse_bytes(b"RUN cat <<E\xffF\nx\nE\xffF\n", "Dockerfile")
    assert info.value.line == 1


# -- ONBUILD -------------------------------------------------------------------------------


def test_onbuild_flags_belong_to_onbuild() -> None:
    # splitCommand runs on the ONBUILD line first, so `--foo` is ONBUILD's flag and the
    # inner instruction is RUN (the `dockerfile` package reports flags ('--foo',), sub_cmd RUN).
    (inst,) = insts(roundtrip("ONBUILD --foo RUN --mount=type=cache,target=/c x\n"))
    assert [f.raw for f in inst.flags] == ["--foo"]
    assert inst.inner is not None
    assert (inst.inner.keyword, inst.inner.args) == ("RUN", "x")
    assert [f.name for f in inst.inner.flags] == ["mount"]


# -- exec and shell forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "exec_form"),
    [
        ('HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://x/"]', ["curl", "-f", "http://x/"]),
        ('HEALTHCHECK CMD  ["a"]', ["a"]),
        ("HEALTHCHECK CMD curl -f http://x/", None),
        ("HEALTHCHECK NONE", None),
        ('HEALTHCHECK ["a"]', None),  # the array is the type word; nothing follows it
        ('ONBUILD HEALTHCHECK CMD ["z"]', ["z"]),
    ],
)
def test_healthcheck_exec_form(line: str, exec_form: list[str] | None) -> None:
    # BuildKit marks HEALTHCHECK as JSON when the part after the type is a JSON array.
    (inst,) = insts(roundtrip(line + "\n"))
    assert inst.effective.exec_form == exec_form


# -- flags ---------------------------------------------------------------------------------


def test_flags_use_the_directive_escape_character() -> None:
    # extractBuilderFlags escapes with d.escapeToken: with a backtick escape a backslash
    # in a flag value (a Windows path) is literal.
    text = "# escape=`\r\nFROM a\r\nRUN --mount=type=bind,source=C:\\src,target=C:\\x `\r\n  --a=b`c dir\r\n"
    run = insts(roundtrip(text))[1]
    assert [(f.name, f.value) for f in run.flags] == [
        ("mount", "type=bind,source=C:\\src,target=C:\\x"),
        ("a", "bc"),
    ]
    assert run.args == "dir"
    # An odd run of escapes is not a continuation; the last one, at the very end of a
    # quoted flag, is dropped.
    (copy,) = insts(roundtrip('COPY --chown="a\\\\\\\n'))
    assert copy.flags[0].value == "a\\"


# -- parser directives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "# escape=`",
        "#escape=`",
        "#\x0cescape=`",
        "# escape\x0c=\x0c`\x0c",
        "#\u00a0escape=`",
        "# ESCAPE = `",
    ],
)
def test_directive_spacing(line: str) -> None:
    # ParseLine trims unicode white space after `#`; `\s` (Go: [\t\n\f\r ]) around `=`.
    df = roundtrip(line + "\nRUN a `\n b\n")
    assert df.escape == "`"
    assert df.directives["escape"].value == "`"
    assert [(i.line, i.end_line) for i in insts(df)] == [(2, 3)]


def test_directives_only_at_the_top() -> None:
    df = roundtrip("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\n")
    assert [type(n).__name__ for n in df.nodes] == ["Directive"] * 3 + ["Instruction"]
    assert df.escape == "`"
    # After an instruction, a comment, a blank line or an unknown directive, it is a comment.
    for prefix in ("FROM a\n", "# hello\n", "\n", "# foo=bar\n"):
        late = roundtrip(prefix + "# escape=`\nRUN a `\n")
        assert late.escape == "\\"
        assert "escape" not in late.directives
        assert any(isinstance(n, Comment) and n.text == "escape=`" for n in late.nodes)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# escape=`\n# escape=\\\nFROM a\n", 2, "only one escape"),
        ("# syntax=a\n# SYNTAX=b\nFROM a\n", 2, "only one syntax"),
        ("# check=a\n#check=b\n", 2, "only one check"),
        ("# escape=x\nFROM a\n", 1, "invalid escape"),
        ("\n\n", 0, ""),
    ],
)
def test_directive_errors(text: str, line: int, message: str) -> None:
    from slimline.errors import ParseError

    if not message:
        roundtrip(text)
        return
    with pytest.raises(ParseError) as info:
        parse(text, "dir/Dockerfile")
    assert info.value.line == line
    assert info.value.path == "dir/Dockerfile"
    assert message in info.value.message
    assert str(info.value).startswith(f"dir/Dockerfile:{line}: ")


def test_backtick_escape_with_crlf_and_powershell() -> None:
    text = (
        "# escape=`\r\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\r\n"
        'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\r\n'
        "RUN Invoke-WebRequest -Uri https://x/y.zip -OutFile C:\\y.zip ; `\r\n"
        "    # a comment inside\r\n"
        "\r\n"
        "    Expand-Archive C:\\y.zip -DestinationPath C:\\y\r\n"
        "WORKDIR C:\\app\r\n"
    )
    df = roundtrip(text)
    shell, run, workdir = insts(df)[1:]
    assert shell.exec_form == ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
    assert (run.line, run.end_line) == (4, 7)
    assert run.args == (
        "Invoke-WebRequest -Uri https://x/y.zip -OutFile C:\\y.zip ;     "
        "Expand-Archive C:\\y.zip -DestinationPath C:\\y"
    )
    assert run.inner_comments == ["a comment inside"]
    assert workdir.args == "C:\\app"  # the backslash is not an escape here


def test_continuation_with_comments_and_blank_lines() -> None:
    text = "RUN apt-get update \\\n  # refresh\n\n  && apt-get install -y \\\n\t# tools\n    curl\nCMD x\n"
    df = roundtrip(text)
    run, cmd = insts(df)
    assert (run.line, run.end_line, cmd.line) == (1, 6, 7)
    assert run.args == "apt-get update   && apt-get install -y     curl"
    assert run.inner_comments == ["refresh", "tools"]
    # The continuation may run into the end of the file, with or without a newline.
    for tail in ("RUN a \\\n", "RUN a \\", "RUN a \\\n# c\n\n"):
        (inst,) = insts(roundtrip(tail))
        assert inst.args == "a"


def test_several_heredocs_on_one_line_in_order() -> None:
    text = "FROM a\nCOPY <<one.txt <<-two.txt /dst/\n1\none.txt\n\t2\n\ttwo.txt\nRUN x\n"
    copy, run = insts(roundtrip(text))[1:]
    assert [(h.name, h.content, h.chomp) for h in copy.heredocs] == [
        ("one.txt", "1\n", False),
        ("two.txt", "\t2\n", True),
    ]
    assert (copy.line, copy.end_line, run.line) == (2, 6, 7)
    first, second = copy.heredocs
    assert (first.body_line, second.body_line) == (3, 5)
    assert (
        roundtrip(text).text[second.terminator_span.start : second.terminator_span.end]
        == "\ttwo.txt\n"
    )


@pytest.mark.parametrize("keyword", ["RUN", "COPY", "ADD", "run", "Copy"])
def test_heredoc_keywords(keyword: str) -> None:
    (inst,) = insts(roundtrip(f"{keyword} <<EOF /x\nbody\nEOF\n"))
    assert [h.name for h in inst.heredocs] == ["EOF"]


@pytest.mark.parametrize("keyword", ["CMD", "ENTRYPOINT", "LABEL", "ENV", "FROM", "SHELL"])
def test_no_heredocs_elsewhere(keyword: str) -> None:
    df = roundtrip(f"{keyword} cat <<EOF\nbody\nEOF\n")
    assert [i.line for i in insts(df)] == [1, 2, 3]
    assert not any(i.heredocs for i in insts(df))


def test_onbuild_run_heredoc() -> None:
    df = roundtrip("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nRUN b\n")
    onbuild, run = insts(df)[1:]
    assert onbuild.inner is not None and onbuild.inner.keyword == "RUN"
    assert [h.content for h in onbuild.heredocs] == ["echo hi\n"]
    assert onbuild.effective.heredocs == onbuild.heredocs
    assert (onbuild.end_line, onbuild.inner.end_line, run.line) == (4, 4, 5)


def test_json_form_has_no_heredocs() -> None:
    df = roundtrip('RUN ["cat", "<<EOF"]\nEOF\n')
    assert insts(df)[0].exec_form == ["cat", "<<EOF"]
    assert [i.raw_keyword for i in insts(df)] == ["RUN", "EOF"]


def test_unterminated_heredoc_names_the_instruction_line() -> None:
    from slimline.errors import ParseError

    with pytest.raises(ParseError) as info:
        parse("FROM a\nRUN <<EOF\necho hi\n  EOF\n", "build/Dockerfile")
    assert (info.value.path, info.value.line) == ("build/Dockerfile", 2)
    assert "EOF" in info.value.message
    with pytest.raises(ParseError) as second:
        parse("FROM a\n\nCOPY <<A <<B /x\na\nA\nb\n", "Dockerfile")
    assert second.value.line == 3 and "<<B" in second.value.message


def test_heredoc_terminator_rules() -> None:
    # Only <<- strips tabs (not spaces) before the terminator; trailing \r is ignored.
    assert insts(roundtrip("RUN <<-X\n\t\tX\n"))[0].end_line == 2
    from slimline.errors import ParseError

    with pytest.raises(ParseError):
        parse("RUN <<-X\n  X\n")
    with pytest.raises(ParseError):
        parse("RUN <<X\n\tX\n")
    assert insts(roundtrip("RUN <<X\r\nbody\r\nX\r\n"))[0].end_line == 3


def test_repeated_and_quoted_flags() -> None:
    text = (
        "RUN --mount=type=cache,target=/root/.cache/pip "
        '--mount="type=secret,id=tok,target=/run/s" '
        "--mount=type=bind,source='a b',target=/b --network=none pip install x\n"
    )
    (run,) = insts(roundtrip(text))
    assert run.flag_values("mount") == [
        "type=cache,target=/root/.cache/pip",
        "type=secret,id=tok,target=/run/s",
        "type=bind,source=a b,target=/b",
    ]
    mount = run.flag("mount")
    assert mount is not None and mount.raw == "--mount=type=bind,source='a b',target=/b"
    assert run.logical.text[mount.logical_start : mount.logical_end] == mount.raw
    assert run.flag("network") is not None and run.args == "pip install x"
    assert run.flag("missing") is None


def test_flags_end_at_double_dash_and_at_the_first_argument() -> None:
    (copy,) = insts(roundtrip("COPY --link -- --not-a-flag /dst\n"))
    assert [f.name for f in copy.flags] == ["link"]
    assert copy.flag("link") is not None and copy.flag_values("link") == [""]
    assert copy.args == "--not-a-flag /dst"
    (late,) = insts(roundtrip("COPY src --chown=1 /dst\n"))
    assert late.flags == [] and late.args == "src --chown=1 /dst"
    (bare,) = insts(roundtrip("RUN --flag\n"))
    assert (bare.flags[0].name, bare.flags[0].value, bare.args) == ("flag", None, "")


@pytest.mark.parametrize(
    ("line", "exec_form"),
    [
        ('CMD ["python", "app.py"]', ["python", "app.py"]),
        ('ENTRYPOINT [ "/tini", "--" ]', ["/tini", "--"]),
        ("CMD []", []),
        ("CMD ['python', 'app.py']", None),  # single quotes: shell form
        ('CMD ["python", "app.py"', None),
        ('CMD ["a",]', None),
        ('CMD ["a"] extra', None),
        ('COPY --from=b ["a b", "/c"]', ["a b", "/c"]),
        ('VOLUME ["/data"]', ["/data"]),
        ('SHELL ["/bin/bash", "-eo", "pipefail", "-c"]', ["/bin/bash", "-eo", "pipefail", "-c"]),
        ('LABEL ["a"]', None),  # LABEL has no JSON form
        ('RUN ["a\\u00e9"]', ["aé"]),
    ],
)
def test_exec_and_shell_forms(line: str, exec_form: list[str] | None) -> None:
    (inst,) = insts(roundtrip(line + "\n"))
    assert inst.exec_form == exec_form
    assert inst.is_exec_form is (exec_form is not None)


def test_lowercase_keywords_and_unknown_ones() -> None:
    df = roundtrip("from alpine as Build\nrun echo\nfrobnicate x\n")
    assert [(i.keyword, i.raw_keyword) for i in insts(df)] == [
        ("FROM", "from"),
        ("RUN", "run"),
        ("FROBNICATE", "frobnicate"),
    ]
    assert df.stages[0].name == "build"


# -- reading files -------------------------------------------------------------------------


def test_parse_file_errors_name_the_file(tmp_path: Path) -> None:
    from slimline.dockerfile import parse_file
    from slimline.errors import ParseError

    root = tmp_path
    with pytest.raises(ParseError) as missing:
        parse_file(root / "nope.Dockerfile")
    assert missing.value.path == str(root / "nope.Dockerfile")
    with pytest.raises(ParseError) as directory:
        parse_file(root)
    assert directory.value.path == str(root)
    target = root / "Dockerfile"
    target.write_bytes(b"\xef\xbb\xbfFROM a\r\nRUN echo \xff\r\n")
    df = parse_file(target)
    assert df.path == target and df.bom
    assert df.render_bytes() == target.read_bytes()
    assert df.instructions[1].args == "echo \udcff"
