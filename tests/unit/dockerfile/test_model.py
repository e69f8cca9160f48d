"""The model: directives, stages, source spans and logical-text mapping."""

from __future__ import annotations

from slimline.dockerfile import Directive, Dockerfile, parse


def test_directives_by_name() -> None:
    df = parse("# syntax=docker/dockerfile:1\n# check=skip=all\nFROM a\n", "Dockerfile")
    assert {k: v.value for k, v in df.directives.items()} == {
        "syntax": "docker/dockerfile:1",
        "check": "skip=all",
    }
    assert all(isinstance(v, Directive) for v in df.directives.values())


# -- stages --------------------------------------------------------------------------------


def stages(text: str) -> Dockerfile:
    df = parse(text, "Dockerfile")
    assert df.render() == text
    return df


def test_stage_names_are_case_insensitive_and_indexes_resolve() -> None:
    df = stages(
        "FROM golang:1.22 AS Build\nRUN go build\n"
        "FROM build AS test\nRUN go test\n"
        "FROM alpine\nCOPY --from=BUILD /out /out\nCOPY --from=1 /r /r\n"
    )
    build, test, final = df.stages
    assert (build.name, test.name, final.name) == ("build", "test", None)
    assert test.parent == 0  # FROM <earlier stage name>
    assert final.parent is None
    assert df.stage_by_ref("BUILD") is build
    assert df.stage_by_ref("1") is test
    assert df.stage_by_ref("7") is None
    assert df.stage_by_ref("alpine") is None
    assert final.label() == "2" and build.label() == "build"
    assert [i.keyword for i in final.instructions] == ["FROM", "COPY", "COPY"]
    assert all(i.stage_index == 2 for i in final.instructions)
    assert df.final_stage is final


def test_from_only_resolves_earlier_stages() -> None:
    df = stages("FROM later AS first\nFROM alpine AS later\n")
    assert df.stages[0].parent is None  # `later` is an image here, not the second stage


def test_global_args_expand_in_from() -> None:
    df = stages(
        "ARG PY=3.12\nARG VARIANT\nARG REG=docker.io\n"
        "FROM ${REG}/python:${PY}-${VARIANT:-slim} AS a\n"
        "FROM python:${PY:+$PY-}alpine AS b\n"
        "FROM --platform=$BUILDPLATFORM golang:${GO:-1.22} AS c\n"
        "FROM scratch\n"
    )
    a, b, c, d = df.stages
    assert a.base == "${REG}/python:${PY}-${VARIANT:-slim}"
    assert a.base_expanded == "docker.io/python:3.12-slim"
    assert b.base_expanded == "python:3.12-alpine"
    assert (c.base_expanded, c.platform) == ("golang:1.22", "$BUILDPLATFORM")
    assert d.is_scratch and not a.is_scratch
    assert [i.args for i in df.global_args] == ["PY=3.12", "VARIANT", "REG=docker.io"]
    assert all(i.stage_index is None for i in df.global_args)


def test_templates_without_from() -> None:
    df = stages("RUN apt-get update\nCOPY . /app\n")
    assert df.stages == [] and df.final_stage is None
    assert all(i.stage_index is None for i in df.instructions)


def test_fifty_stages() -> None:
    text = "FROM alpine AS s0\n" + "".join(
        f"FROM s{i - 1} AS s{i}\nRUN echo {i}\n" for i in range(1, 50)
    )
    df = stages(text)
    assert len(df.stages) == 50
    assert [s.parent for s in df.stages] == [None, *range(49)]


# -- source spans and the logical text ------------------------------------------------------


def test_logical_text_maps_back_across_continuations() -> None:
    text = "FROM a\nRUN apt-get update \\\n  # note\n\n    && apt-get install -y \\\n\tcurl\n"
    df = parse(text)
    run = df.instructions[1]
    logical = run.logical
    assert logical.text == "RUN apt-get update     && apt-get install -y \tcurl"
    # Every logical character comes from the same character of the source.
    for i, ch in enumerate(logical.text):
        assert text[logical.source_offset(i)] == ch
    # A range inside one physical line maps to exactly that text.
    start = logical.text.index("apt-get install")
    span = logical.source_span(start, start + len("apt-get install"))
    assert text[span.start : span.end] == "apt-get install"
    assert df.position(span.start).line == 5
    # A range spanning a continuation covers the source in between (comment included),
    # but does not run past its last character.
    start = logical.text.index("update")
    end = logical.text.index("curl") + len("curl")
    span = logical.source_span(start, end)
    assert text[span.start : span.end].startswith("update \\\n  # note")
    assert text[span.start : span.end].endswith("-y \\\n\tcurl")
    # The argument span ends before the trailing newline.
    args = run.args_source_span()
    assert text[args.start : args.end].endswith("curl")
    assert text[args.start : args.end].startswith("apt-get update")


def test_logical_slice_rebases_segments() -> None:
    text = "RUN a \\\n  b \\\n  c\n"
    logical = parse(text).instructions[0].logical
    start = logical.text.index("b")
    piece = logical.slice(start, len(logical.text))
    assert piece.text == "b   c"
    for i, ch in enumerate(piece.text):
        assert text[piece.source_offset(i)] == ch
    empty = logical.source_span(3, 3)
    assert empty.start == empty.end


def test_positions_and_node_lines() -> None:
    text = "\ufeff# syntax=x\n\nFROM a\n# c\nRUN <<EOF\nx\nEOF\n"
    df = parse(text)
    assert df.bom
    assert [(type(n).__name__, n.line, n.end_line) for n in df.nodes] == [
        ("Directive", 1, 1),
        ("Blank", 2, 2),
        ("Instruction", 3, 3),
        ("Comment", 4, 4),
        ("Instruction", 5, 7),
    ]
    run = df.instructions[1]
    assert df.source(run) == "RUN <<EOF\nx\nEOF\n"
    assert df.position(run.span.start) == df.position(text.index("RUN"))
    assert df.position(text.index("\nx\n") + 1).line == 6
    assert df.display_path == "<stdin>"


def test_global_arg_without_default_is_unset() -> None:
    # buildMetaArgs adds an ARG to the environment only when it has a value.
    df = stages("ARG V\nFROM alpine:${V-3.19} AS a\nFROM x${V+-set} AS b\nFROM y${V:-z}\n")
    assert [s.base_expanded for s in df.stages] == ["alpine:3.19", "x", "yz"]
