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
