"""Differential fuzzing against BuildKit's own parser (the ``dockerfile`` package).

Generated Dockerfiles must split into the same instructions as BuildKit's parser
gives: same lines, keywords, flags, JSON-ness, exec-form values, argument strings and
heredocs; a file one side rejects must be rejected by the other too, unless BuildKit
rejects it for a reason the parser deliberately leaves to the lint rules.

The package embeds BuildKit v0.12.5, and we follow current BuildKit, so the grammar
leaves out what changed since (tests/corpus_tests/test_oracle.py lists those cases):
blanks after ``<<``, the ``check`` directive, JSON followed by more text, ``${V#p}``-style
substitutions and backslashes in flags of backtick-escape files. NUL characters are left
out too: the wrapper passes C strings.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slimline.dockerfile import Instruction, parse
from slimline.errors import ParseError

dockerfile = pytest.importorskip("dockerfile")

EXAMPLES = int(os.environ.get("SLIMLINE_FUZZ_EXAMPLES", "300"))
_WS = re.compile(r"[\t\v\f\r ]+")
#: BuildKit parse errors the parser leaves to the lint rules (see test_oracle.LENIENT).
LENIENT = (
    "file with no instructions",
    "must have two arguments",
    "can't find = in",
    "arrays must be comprised of strings only",
)

KEYWORDS = ["FROM", "RUN", "CMD", "COPY", "ADD", "ENV", "LABEL", "ARG", "USER", "WORKDIR",
            "ENTRYPOINT", "SHELL", "VOLUME", "EXPOSE", "HEALTHCHECK", "ONBUILD", "STOPSIGNAL",
            "MAINTAINER", "FORM"]  # fmt: skip
FLAGS = ["--mount=type=cache,target=/c", '--mount="type=bind,source=a b,target=/x"',
         "--from=build", "--chown='1:1'", "--link", "--", "--interval=5s", "--platform=$P"]  # fmt: skip
WORDS = ["alpine", "AS", "build", "apt-get", "install", "-y", "&&", "|", ";", "a=b", "B=\"x y\"",
         "'q r'", '"s t"', "$V", "${V}", "${V:-x}", "${V:+y}", "#", "ü", "\u00a0", "\x0c", "\\\\",
         "<", "<<<X", "x<<y", "'", '"', "${", "CMD", "NONE", "\t"]  # fmt: skip
JSONISH = ['["a", "b"]', "[]", '["x"', "['x']", '["x", 1]', '[["x"]]', '["a",]', '["\\u00e9"]']
NAMES = ["EOF", "X", "end", "1"]


@st.composite
def oracle_safe_text(draw: st.DrawFn) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out: list[str] = []
    escape = "\\"
    if draw(st.booleans()):
        escape = draw(st.sampled_from(["\\", "`"]))
        out.append(f"# escape={escape}{newline}")
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["inst"] * 5 + ["comment", "blank", "cont"]))
        if kind == "comment":
            out.append("# c" + newline)
            continue
        if kind == "blank":
            out.append(draw(st.sampled_from(["", "  ", "\t"])) + newline)
            continue
        if kind == "cont":
            out.append(escape + newline)
            continue
        words = [draw(st.sampled_from(KEYWORDS))]
        if words[0] == "ONBUILD":
            words.append(draw(st.sampled_from(["RUN", "COPY", "CMD"])))
        flags = draw(st.lists(st.sampled_from(FLAGS), max_size=2))
        if escape == "`":
            flags = [f for f in flags if "\\" not in f]
        words += flags
        names: list[tuple[str, bool]] = []
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.integers(0, 4)) == 0:
                name = draw(st.sampled_from(NAMES))
                chomp = draw(st.booleans())
                quote = draw(st.sampled_from(["", "'", '"']))
                fd = draw(st.sampled_from(["", "3"]))
                words.append(f"{fd}<<{'-' if chomp else ''}{quote}{name}{quote}")
                names.append((name, chomp))
            else:
                words.append(draw(st.sampled_from(WORDS)))
        if draw(st.integers(0, 3)) == 0:
            words.append(draw(st.sampled_from(JSONISH)))  # only ever the last piece
        line = words[0]
        for w in words[1:]:
            if draw(st.integers(0, 5)) == 0:
                line += " " + escape + newline
                if draw(st.booleans()):
                    line += draw(st.sampled_from(["# inner", "", "  "])) + newline
            line += draw(st.sampled_from([" ", "\t"])) + w
        out.append(line + newline)
        for name, chomp in names:
            out.extend(
                draw(st.sampled_from(["body", "\tx", "", "RUN y"])) + newline
                for _ in range(draw(st.integers(0, 2)))
            )
            if draw(st.integers(0, 6)):
                out.append(("\t" if chomp and draw(st.booleans()) else "") + name + newline)
    text = "".join(out)
    return text.rstrip("\r\n") if draw(st.integers(0, 4)) == 0 else text


def _problems(inst: Instruction, cmd: Any) -> list[str]:
    eff = inst.effective
    out: list[str] = []

    def check(what: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            out.append(f"line {inst.line} {what}: ours {ours!r}, BuildKit {theirs!r}")

    check("lines", (inst.line, inst.end_line), (cmd.start_line, cmd.end_line))
    check("keyword", inst.raw_keyword, cmd.cmd or "")
    if inst.inner is not None:
        check("inner keyword", inst.inner.raw_keyword, cmd.sub_cmd or "")
    flags = tuple("--" + f.name + ("" if f.value is None else "=" + f.value) for f in inst.flags)
    if all(f.isascii() for f in flags):  # Go reads flag bytes as runes (non-ASCII mangled)
        check("flags", flags, tuple(cmd.flags))
    check("json", eff.exec_form is not None, cmd.json)
    values = tuple(cmd.value or ())
    if cmd.json and eff.exec_form is not None:
        check("exec", tuple(eff.exec_form), values[1:] if eff.keyword == "HEALTHCHECK" else values)
    elif eff.keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL", "USER", "WORKDIR") and eff.args:
        check("args", (eff.args,), values)
    elif eff.keyword in ("COPY", "ADD", "VOLUME", "FROM", "EXPOSE") and eff.args:
        check("words", tuple(_WS.split(eff.args)), values)
    if inst.inner is None:
        check(
            "heredocs",
            [(h.name, h.content) for h in inst.heredocs],
            [(h.name, h.content) for h in cmd.heredocs],
        )
    return out


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(oracle_safe_text())
def test_same_instructions_as_buildkit(text: str) -> None:
    try:
        theirs: list[Any] | None = list(dockerfile.parse_string(text))
        their_error = ""
    except dockerfile.GoParseError as exc:
        theirs, their_error = None, str(exc)
    try:
        ours = parse(text, "Dockerfile")
    except ParseError as exc:
        assert theirs is None, f"we reject ({exc}), BuildKit accepts"
        return
    if theirs is None:
        assert any(reason in their_error for reason in LENIENT), their_error
        return
    problems = [] if len(ours.instructions) == len(theirs) else ["instruction count"]
    for inst, cmd in zip(ours.instructions, theirs, strict=False):
        problems += _problems(inst, cmd)
    assert not problems, "\n".join(problems)
