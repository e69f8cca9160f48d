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
