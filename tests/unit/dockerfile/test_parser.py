"""The parser, checked against BuildKit's documented and observed behaviour.

References are to moby/buildkit ``frontend/dockerfile/parser`` (parser.go,
directives.go, split_command.go, line_parsers.go) and ``frontend/dockerfile/shell``
(lex.go), which the parser follows.
"""

from __future__ import annotations

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
