"""Structure-aware properties: whatever the input, only a SlimlineError (or a clean
result) comes out, within a time and memory bound (harness.bounded).

* the tar reader (``image/tarscan.py``) on tar streams built header by header, with
  random but structured fields: sizes (negative, huge, non-numeric, base-256, PAX),
  names (``..``, whiteouts, deep, long, not UTF-8), type flags, lying PAX records,
  truncation; from a forward-only stream and from a seekable file;
* the image documents (``image/`` model and resolution, through ``run_analyze`` on an
  OCI layout): config, manifest and index with JSON of random type at each field;
* the Dockerfile parser, the ARG/ENV expander and the shell walker: instruction
  sequences with continuations, heredocs, expansion chains and deep ``&&``/``||``/
  pipe/subshell/brace/``$( )`` nesting, then lint.

Profiles are in conftest.py: a few hundred examples in CI, many more with
``SLIMLINE_HYPOTHESIS_LONG=1``.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import tempfile
from pathlib import Path
from typing import Any

import pytest
from gen import config_doc, header, member, oci_files, pax, sha, small_layer, tar, write_files
from harness import bounded
from hypothesis import example, given, settings
from hypothesis import strategies as st

from slimline.errors import SlimlineError

HOSTILE = settings(settings.get_profile("hostile"))

# -- the tar reader --------------------------------------------------------------------

NAME_PARTS = ["a", "b", "..", ".", "", ".wh.", ".wh.x", ".wh..wh..opq", ".wh...", "é",
              "[x]", "\x1b[1m", "d" * 120, "a b", "\udcff"]
TYPEFLAGS = [b"0", b"0", b"0", b"0", b"\0", b"5", b"2", b"1", b"3", b"4", b"6", b"7", b"x", b"g", b"L",
             b"K", b"S", b"Z", b"V"]
SIZE_TEXT = st.one_of(
    st.integers(-2048, 2048).map(str),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["", "abc", "1e3", "+5", " 5", "5 ", "0x10", "-0", "٣", "9" * 40, "-1536"]),
)
PAX_KEYS = ["size", "size", "size", "size", "path", "linkpath", "uid", "gid", "mtime", "uname", "GNU.sparse.size",
            "SCHILY.xattr.user.x", "comment"]


@st.composite
def tar_names(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return "d/" * draw(st.integers(100, 6000)) + "f"
    parts = draw(st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=6))
    return draw(st.sampled_from(["", "/", "./"])) + "/".join(parts)


@st.composite
def pax_bodies(draw: st.DrawFn) -> bytes:
    """PAX records, well formed or lying about their own length."""
    records = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(PAX_KEYS))
        value = draw(SIZE_TEXT) if key in ("size", "uid", "gid", "mtime", "GNU.sparse.size") \
            else draw(tar_names())
        body = f" {key}={value}\n".encode("utf-8", "surrogateescape")
        length = len(body) + len(str(len(body) + 3))
        length = draw(st.sampled_from([length] * 8 + [0, -7, length + 1000, 10**12,
                                                      length - 3]))
        records.append(str(length).encode() + body)
    if draw(st.integers(0, 9)) == 0:
        records.append(draw(st.binary(max_size=40)))
    return b"".join(records)


@st.composite
def tar_members(draw: st.DrawFn) -> bytes:
    name = draw(tar_names())
    typeflag = draw(st.sampled_from(TYPEFLAGS))
    data = draw(st.binary(max_size=1500))
    size_kind = draw(st.sampled_from(["exact", "exact", "exact", "number", "field"]))
    out = b""
    if draw(st.booleans()):
        out += pax(draw(pax_bodies()), draw(st.sampled_from([b"x", b"x", b"g"])))
    if size_kind == "exact":
        block = header(name, len(data), typeflag, linkname=draw(st.sampled_from(
            ["", "..", "../../etc/passwd", "/abs", "a"])))
    elif size_kind == "number":
        block = header(name, draw(st.integers(0, 8**11 - 1)), typeflag)
    else:
        block = header(name, 0, typeflag, size_field=draw(st.one_of(
            st.binary(min_size=12, max_size=12),
            st.sampled_from([b"\xff" * 12, b"\x80" + b"\xff" * 11, b"-1\0", b"77777777777\0"]),
        )))
    if draw(st.integers(0, 19)) == 0:
        block = block[:148] + draw(st.binary(min_size=8, max_size=8)) + block[156:]
    return out + block + data + b"\0" * (-len(data) % 512)


@st.composite
def tar_streams(draw: st.DrawFn) -> bytes:
    stream = b"".join(draw(st.lists(tar_members(), max_size=6)))
    stream += b"\0" * draw(st.sampled_from([1024, 1024, 512, 0, 3]))
    if draw(st.integers(0, 4)) == 0:
        stream = stream[:draw(st.integers(0, len(stream)))]
    return stream


NEGATIVE_PAX = tar(member("loop", b"", records={"size": "-1536"}), member("x", b"x"))
NEGATIVE_ONE = tar(member("neg", b"", records={"size": "-1"}))
NEGATIVE_HUGE = tar(member("x", b"abc", records={"size": str(-(10**30))}), member("y", b"z"))


def scan(data: bytes, seekable: bool) -> Any:
    from slimline.image.streams import FileSegment, StreamSource
    from slimline.image.tarscan import scan_tar

    if not seekable:
        return scan_tar(StreamSource(io.BytesIO(data)), where="property")
    with tempfile.TemporaryFile() as fh:
        fh.write(data)
        fh.flush()
        return scan_tar(FileSegment(fh.fileno(), 0, len(data)), where="property",
                        seekable=True)


@pytest.mark.parametrize("seekable", [False, True], ids=["stream", "file"])
@HOSTILE
@given(data=tar_streams())
@example(data=NEGATIVE_PAX)
@example(data=NEGATIVE_ONE)
@example(data=NEGATIVE_HUGE)
def test_tar_reader(seekable: bool, data: bytes) -> None:
    """Only ImageError, or entries with sane sizes and paths that stay inside the root."""
    try:
        with bounded(5.0):
            result = scan(data, seekable)
    except SlimlineError:
        return
    for path, _kind, size, _link in [*result.entries, *result.whiteouts]:
        assert size >= 0, (path, size)
        assert ".." not in path.split("/") and not path.startswith("/"), path
        assert len(posixpath.normpath(path or ".")) == len(path or "."), path


# -- image documents -------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.floats()
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)
CONFIG_FIELDS = ["architecture", "os", "variant", "created", "config", "config.Env",
                 "config.Cmd", "config.Entrypoint", "config.Labels", "config.ExposedPorts",
                 "config.Volumes", "config.User", "config.WorkingDir", "history",
                 "history.0", "history.0.created_by", "history.0.empty_layer",
                 "history.0.created", "rootfs", "rootfs.diff_ids", "rootfs.diff_ids.0"]
MANIFEST_FIELDS = ["schemaVersion", "mediaType", "config", "config.digest", "config.size",
                   "config.mediaType", "layers", "layers.0", "layers.0.size",
                   "layers.0.digest", "layers.0.mediaType", "annotations"]
INDEX_FIELDS = ["manifests", "manifests.0", "manifests.0.platform", "manifests.0.size",
                "manifests.0.digest", "manifests.0.annotations", "manifests.0.mediaType",
                "mediaType"]
LAYERS = [small_layer()]


def put(doc: Any, path: str, value: Any) -> Any:
    """``doc`` with the field at the dotted ``path`` (list indexes as numbers) set."""
    if not path:
        return value
    key, _, rest = path.partition(".")
    if isinstance(doc, list) and key.isdigit() and int(key) < len(doc):
        return [put(x, rest, value) if i == int(key) else x for i, x in enumerate(doc)]
    if isinstance(doc, dict):
        return {**doc, key: put(doc.get(key), rest, value)}
    return doc


Edits = list[tuple[str, Any]]


@st.composite
def document_edits(draw: st.DrawFn) -> tuple[Edits, Edits, Edits]:
    """One to three fields of one document (config, manifest or index) set to random JSON:
    breaking one document at a time lets the others carry the reader to it."""
    target = draw(st.sampled_from(["config", "config", "config", "manifest", "index"]))
    fields = {"config": CONFIG_FIELDS, "manifest": MANIFEST_FIELDS, "index": INDEX_FIELDS}
    edits = draw(st.lists(st.tuples(st.sampled_from(fields[target]), JSON_VALUES),
                          min_size=1, max_size=3))
    return (edits if target == "config" else [], edits if target == "manifest" else [],
            edits if target == "index" else [])


def analyze_layout(config: Edits, manifest: Edits, index: Edits) -> None:
    from slimline.analysis.run import AnalyzeRequest, run_analyze

    def apply(changes: Edits) -> Any:
        def edit(doc: Any) -> Any:
            for path, value in changes:
                doc = put(doc, path, value)
            return doc

        return edit

    cfg = apply(config)(config_doc([sha(x) for x in LAYERS]))
    files = oci_files(LAYERS, config=json.dumps(cfg, allow_nan=True).encode(),
                      edit_manifest=apply(manifest), edit_index=apply(index))
    with tempfile.TemporaryDirectory() as tmp:
        write_files(Path(tmp), files)
        run_analyze(AnalyzeRequest(reference=f"oci:{tmp}", workers=1))


@HOSTILE
@given(edits=document_edits())
@example(edits=([("config.Labels", ["a=b"])], [], []))
@example(edits=([("history", 7)], [], []))
def test_image_documents(edits: tuple[Edits, Edits, Edits]) -> None:
    try:
        with bounded(10.0):
            analyze_layout(*edits)
    except SlimlineError:
        pass


# -- Dockerfiles: parser, expander, shell walker ----------------------------------------

SIMPLE = ["echo hi", "apt-get update", "pip install -r requirements.txt", "true",
          "rm -rf /var/lib/apt/lists/*", "cd /app", "x=$(date)", "echo ${A:-x}",
          "echo \"$B\"", "[ -f x ]", "sudo make install", "curl -fsSL x | sh"]


def shell_scripts() -> st.SearchStrategy[str]:
    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from([" && ", " || ", " | ", "; ", " & "]), inner)
            .map("".join),
            inner.map(lambda s: f"( {s} )"),
            inner.map(lambda s: f"{{ {s}; }}"),
            inner.map(lambda s: f"echo $( {s} )"),
            inner.map(lambda s: f"if {s}; then {s}; fi"),
            inner.map(lambda s: f"for i in 1 2; do {s}; done"),
        )

    return st.recursive(st.sampled_from(SIMPLE), grow, max_leaves=40)


SHELL = shell_scripts()


@st.composite
def deep_chains(draw: st.DrawFn) -> str:
    """Shell nesting as deep as a generated file may hold (hundreds to thousands)."""
    depth = draw(st.integers(1, 1500))
    kind = draw(st.sampled_from(["&&", "||", "|", "(", "{", "$("]))
    if kind in ("&&", "||", "|"):
        return f" {kind} ".join(["true"] * depth)
    if kind == "$(":
        return "echo " + "$(echo " * depth + "x" + ")" * depth
    closing = ")" if kind == "(" else "; }"
    return f"{kind} " * depth + "true" + f" {closing}" * depth


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    lines = ["FROM debian:bookworm-slim AS base"]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["run", "run", "deep", "arg", "env", "heredoc", "from",
                                     "copy"]))
        if kind in ("run", "deep"):
            script = draw(SHELL if kind == "run" else deep_chains())
            if draw(st.booleans()):
                script = script.replace(" && ", " && \\\n    ")
            lines.append("RUN " + script)
        elif kind in ("arg", "env"):
            n = draw(st.integers(1, 30))
            keyword = kind.upper()
            lines.append(f"{keyword} V0=ab")
            lines += [f"{keyword} V{i}=${{V{i - 1}}}${{V{i - 1}:-x}}" for i in range(1, n)]
        elif kind == "heredoc":
            body = draw(SHELL)
            end = draw(st.sampled_from(["EOF", "EOF", "", "END"]))
            lines.append(f"RUN <<EOF\n{body}\n{end}")
        elif kind == "from":
            lines.append(draw(st.sampled_from(["FROM base AS next", "FROM next", "FROM scratch",
                                               "FROM ${V3}", "FROM base AS base"])))
        else:
            lines.append(draw(st.sampled_from(["COPY --from=base /a /b", "COPY . /app",
                                               "ADD x.tar.gz /", "COPY <<EOF /x\nhi\nEOF"])))
    return "\n".join(lines) + "\n"


AND_1000 = "FROM debian:bookworm-slim\nRUN " + " && ".join(["true"] * 1000) + "\n"
ARG_BOMB = "FROM debian:bookworm-slim\nARG V0=ab\n" + "".join(
    f"ARG V{i}=${{V{i - 1}}}${{V{i - 1}:-x}}\n" for i in range(1, 36))


def lint_text(text: str) -> None:
    from slimline.dockerfile import parse
    from slimline.dockerfile.semantics import Semantics
    from slimline.lint.config import LintConfig
    from slimline.lint.engine import lint_dockerfile

    df = parse(text, "property/Dockerfile")
    semantics = Semantics(df)
    for inst in df.instructions:
        semantics.commands(inst)
    lint_dockerfile(df, LintConfig())


@settings(HOSTILE, max_examples=max(1, HOSTILE.max_examples // 2))  # each lints a file
@given(text=dockerfiles())
@example(text=AND_1000)
@example(text=ARG_BOMB)
def test_dockerfile_parser_and_shell_walker(text: str) -> None:
    try:
        with bounded(10.0):
            lint_text(text)
    except SlimlineError:
        pass


def test_generators_reach_the_hard_cases() -> None:
    """The strategies are not vacuous: they do produce what the properties are about."""
    assert NEGATIVE_PAX.count(b"size=-1536") == 1
    assert os.environ.get("SLIMLINE_HYPOTHESIS_LONG", "") in ("", "0", "1")
    found = {"deep": False, "negative": False}

    @HOSTILE
    @given(data=tar_streams(), text=dockerfiles())
    def probe(data: bytes, text: str) -> None:
        found["negative"] |= b"size=-" in data
        found["deep"] |= text.count("&&") >= 300 or text.count("(") >= 300

    probe()
    assert all(found.values()), found
