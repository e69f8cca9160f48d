"""Property-based fuzzing of the Dockerfile parser and, through it, of the linter.

Inputs come from two sources: a grammar of realistic Dockerfile pieces (keywords in
any case, flags, continuations with the current escape character, comments inside
continuations, heredoc markers with and without bodies, JSON-ish arrays, quotes,
CRLF, tabs, unicode and stray bytes) and fully random bytes or text.

For every input the parser must either raise :class:`ParseError` naming the path and
a line inside the file, or return a model that renders back to the input byte for
byte, whose nodes partition the text in order, and on which every lint rule (those
off by default included) runs without raising.

The default example count keeps the suite fast; set ``SLIMLINE_FUZZ_EXAMPLES`` (for
example to 20000) for a long run.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slimline.dockerfile import Instruction, parse, parse_bytes
from slimline.dockerfile.model import Dockerfile
from slimline.errors import ParseError
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile
from slimline.lint.registry import all_rules

EXAMPLES = int(os.environ.get("SLIMLINE_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PATH = "fuzz/Dockerfile"

# -- the grammar -------------------------------------------------------------------------

KEYWORDS = [
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY",
    "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL",
    "HEALTHCHECK", "SHELL", "FORM", "RUNN", "apt-get", "<<<<<<<", "```",
]  # fmt: skip
FLAGS = [
    "--mount=type=cache,target=/root/.cache",
    "--mount=type=cache,target=/var/cache/apt,sharing=locked",
    "--mount=type=secret,id=npmrc,target=/root/.npmrc",
    '--mount="type=bind,source=a b,target=/x"',
    "--mount=type=bind,from=build,source=/out,target=/in",
    "--from=build", "--from=0", "--from=${BASE}", "--chown=app:app", '--chown="1000:1000"',
    "--chmod=0755", "--link", "--platform=$BUILDPLATFORM", "--network=none",
    "--security=insecure", "--interval=30s", "--", "--=", "--x='a b'", "--y=\\\"q",
    "--checksum=sha256:abc",
]  # fmt: skip
WORDS = [
    "alpine", "python:3.12-slim", "AS", "as", "build", "scratch", "apt-get", "install", "-y",
    "--no-install-recommends", "curl", "&&", "||", ";", "|", "rm", "-rf", "/var/lib/apt/lists/*",
    "pip", "install", "--no-cache-dir", "-r", "requirements.txt", ".", "/app", "./", "$HOME",
    "${V}", "${V:-x}", "${V:+y}", "${V#p}", "${V%%s}", "${V/a/b}", "${", "$", "${}", "'single q'",
    '"double q"', "'", '"', "\\\"", "`", "\\", "a=b", "A=1", "B=\"x y\"", "x=", "=", "NONE",
    "CMD", "RUN", "sh", "-c", "'echo hi'", "set", "-eux", "-o", "pipefail", "sudo", "env",
    "--", "8080/tcp", "1000:1000", "root", "#", "#notacomment", "<", "<<", ">", "2>&1", "%",
    "ü", "日本", "\u00a0", "\u2003", "\x0c", "\x0b", "\x1c", "\ufeff", "<<EOF", "x<<y",
]  # fmt: skip
JSONISH = [
    '["a", "b"]', '[ "/bin/sh", "-c", "echo hi" ]', "[]", '["x"', "['x']", '["x", 1]',
    '[["x"]]', '{"a": 1}', '["a",]', '["\\u00e9"]', "[", "]", "[[ -f x ]]", '["a"] trailing',
    '["a\\"b"]', '["tab\\tx"]',
]  # fmt: skip
HEREDOC_NAMES = ["EOF", "END", "X", "eof", "PY_SCRIPT", "E-O-F", "1"]


@st.composite
def heredoc_marker(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A marker word and the terminator it needs: (marker text, name, chomp)."""
    name = draw(st.sampled_from(HEREDOC_NAMES))
    chomp = draw(st.booleans())
    fd = draw(st.sampled_from(["", "", "", "3", "10"]))
    quote = draw(st.sampled_from(["", "", "'", '"']))
    space = draw(st.sampled_from(["", "", "", " ", "\t"]))
    return f"{fd}<<{'-' if chomp else ''}{space}{quote}{name}{quote}", name, chomp


def _case(draw: st.DrawFn, word: str) -> str:
    style = draw(st.sampled_from(["upper", "upper", "lower", "title", "random"]))
    if style == "lower":
        return word.lower()
    if style == "title":
        return word.title()
    if style == "random":
        flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        return "".join(c.swapcase() if f else c for c, f in zip(word, flips, strict=True))
    return word


@st.composite
def dockerfile_text(draw: st.DrawFn) -> str:
    """Dockerfile-like text: directives, comments, instructions with continuations and heredocs."""
    nl_choice = draw(st.sampled_from(["\n", "\n", "\n", "\r\n", "mixed", "\r"]))

    def nl() -> str:
        if nl_choice == "mixed":
            return draw(st.sampled_from(["\n", "\r\n", "\r\r\n"]))
        return nl_choice

    out: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        out.append("\ufeff")
    escape = "\\"
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["escape", "syntax", "check", "unknown", "bad"]))
        spacing = draw(st.sampled_from(["", " ", "\t", "  "]))
        if kind == "escape":
            value = draw(st.sampled_from(["`", "\\", "`", "x", "``"]))
            if value in ("`", "\\"):
                escape = value
            out.append(f"#{spacing}{_case(draw, 'escape')}{spacing}={spacing}{value}{nl()}")
        elif kind == "syntax":
            out.append(
                f"#{spacing}syntax={draw(st.sampled_from(['docker/dockerfile:1', 'x']))}{nl()}"
            )
        elif kind == "check":
            out.append(f"# check=skip=JSONArgsRecommended;error=true{nl()}")
        elif kind == "unknown":
            out.append(f"# foo=bar{nl()}")
        else:
            out.append(f"#{spacing}{nl()}")
    if draw(st.integers(0, 5)) == 0:
        escape = "`" if escape == "\\" else "\\"  # continuations with the other character
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(
            st.sampled_from(
                ["instruction"] * 6 + ["comment", "blank", "spaces", "escape-only", "junk"]
            )
        )
        if kind == "comment":
            out.append(draw(st.sampled_from(["#", "# note", "  # indented", "# escape=`"])) + nl())
            continue
        if kind == "blank":
            out.append(nl())
            continue
        if kind == "spaces":
            out.append(draw(st.sampled_from([" ", "\t", " \t ", "\x0c", "\u00a0"])) + nl())
            continue
        if kind == "escape-only":
            out.append(escape + nl())
            continue
        if kind == "junk":
            out.append(draw(st.text(max_size=20)) + nl())
            continue
        indent = draw(st.sampled_from(["", "", "", " ", "\t", "  "]))
        keyword = _case(draw, draw(st.sampled_from(KEYWORDS)))
        parts: list[str] = [indent + keyword]
        if keyword.upper() == "ONBUILD":
            parts.append(
                _case(draw, draw(st.sampled_from(["RUN", "COPY", "ADD", "CMD", "ONBUILD"])))
            )
        for _ in range(draw(st.integers(0, 2))):
            parts.append(draw(st.sampled_from(FLAGS)))
        markers: list[tuple[str, str, bool]] = []
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(JSONISH)))
        for _ in range(draw(st.integers(0, 6))):
            if draw(st.integers(0, 5)) == 0:
                marker = draw(heredoc_marker())
                markers.append(marker)
                parts.append(marker[0])
            else:
                parts.append(draw(st.sampled_from(WORDS)))
        # Join the words with spaces or with continuation lines (comments and blanks inside).
        line = parts[0]
        for part in parts[1:]:
            if draw(st.integers(0, 4)) == 0:
                trailing = draw(st.sampled_from(["", "", " ", "\t", "  "]))
                line += draw(st.sampled_from([" ", ""])) + escape + trailing + nl()
                for _ in range(draw(st.integers(0, 2))):
                    line += (
                        draw(st.sampled_from(["# inner comment", "  #x", "", "  ", "\t"])) + nl()
                    )
                line += draw(st.sampled_from(["", "  ", "\t"])) + part
            else:
                line += draw(st.sampled_from([" ", " ", "\t", "  "])) + part
        if draw(st.integers(0, 7)) == 0:
            line += " " + escape  # a continuation into whatever comes next
        out.append(line + nl())
        for _, name, _chomp in markers:
            for _ in range(draw(st.integers(0, 3))):
                out.append(
                    draw(
                        st.sampled_from(
                            ["echo hi", "\tindented", "", "RUN not me", "EOFX", "$V ${V}"]
                        )
                    )
                    + nl()
                )
            ending = draw(st.sampled_from(["exact"] * 6 + ["tabs", "missing", "spaces"]))
            if ending == "exact":
                out.append(name + nl())
            elif ending == "tabs":
                out.append("\t\t" + name + nl())
            elif ending == "spaces":
                out.append("  " + name + nl())
    text = "".join(out)
    if draw(st.integers(0, 4)) == 0:
        text = text.rstrip("\r\n")  # no final newline
    return text


@st.composite
def dockerfile_bytes(draw: st.DrawFn) -> bytes:
    """Grammar text encoded to bytes, sometimes with random bytes spliced in."""
    data = draw(dockerfile_text()).encode("utf-8")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


# -- the properties ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _all_rules_config() -> LintConfig:
    off = [r.code for r in all_rules() if not r.default_enabled]
    return LintConfig(select=["ALL"], extend_select=off)


def _check_model(df: Dockerfile, text: str, context: Path) -> None:
    assert df.render() == text
    # The nodes partition the text, in order, each with the lines it covers.
    pos = 0
    for node in df.nodes:
        assert node.span.start == pos, (node, pos)
        assert node.span.end > node.span.start, node
        assert node.line == df.lines.line_of(node.span.start)
        assert node.end_line == df.lines.line_of(node.span.end - 1)
        pos = node.span.end
    assert pos == len(text)
    lines = [n.line for n in df.nodes if isinstance(n, Instruction)]
    assert lines == sorted(set(lines))
    for inst in df.iter_instructions():
        # Every logical character maps back to the same character in the source.
        for seg in inst.logical.segments:
            piece = inst.logical.text[seg.logical_start : seg.logical_start + seg.length]
            assert text[seg.source_start : seg.source_start + seg.length] == piece
            assert inst.span.start <= seg.source_start
            assert seg.source_start + seg.length <= inst.span.end
        for h in inst.effective.heredocs:
            assert inst.span.start <= h.body_span.start <= h.body_span.end
            assert h.body_span.end == h.terminator_span.start <= h.terminator_span.end
            assert h.terminator_span.end <= inst.span.end
    lint_dockerfile(df, _all_rules_config(), context)


def _check_bytes(data: bytes, context: Path) -> None:
    try:
        df = parse_bytes(data, PATH)
    except ParseError as exc:
        assert exc.path == PATH
        assert exc.line is not None
        assert 1 <= exc.line <= data.count(b"\n") + 1
        return
    assert df.render_bytes() == data
    _check_model(df, data.decode("utf-8", "surrogateescape"), context)


def _check_text(text: str, context: Path) -> None:
    try:
        df = parse(text, PATH)
    except ParseError as exc:
        assert exc.path == PATH
        assert exc.line is not None
        assert 1 <= exc.line <= text.count("\n") + 1
        return
    _check_model(df, text, context)


@lru_cache(maxsize=1)
def _context_dir() -> Path:
    """A small build context shared by the examples (rules that read it run too)."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="slimline-fuzz-"))
    (root / "app.py").write_text("print('hi')\n")
    (root / "requirements.txt").write_text("flask\n")
    (root / ".env").write_text("SECRET=1\n")
    return root


@FUZZ
@given(dockerfile_bytes())
def test_grammar_bytes(data: bytes) -> None:
    _check_bytes(data, _context_dir())


@FUZZ
@given(dockerfile_text())
def test_grammar_text(text: str) -> None:
    _check_text(text, _context_dir())


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _check_bytes(data, _context_dir())


@FUZZ
@given(
    st.text(
        alphabet=st.sampled_from(list("FROMRUNCOPYHEREDOC <-\\`#\"'[]{}$=,\t\r\n\x0c\u00a0é")),
        max_size=300,
    )
)
def test_random_dockerfile_alphabet(text: str) -> None:
    _check_text(text, _context_dir())


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    _check_text(text, _context_dir())
