"""The ``# syntax=`` directive helpers used when the frontend image is unreachable."""

from __future__ import annotations

from pathlib import Path

from slimline.dockerfile import parse
from slimline.engine.client import strip_syntax_directive, syntax_directive

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_seed_complete_example_has_the_directive() -> None:
    text = (EXAMPLES / "fastapi-complete" / "Dockerfile").read_text(encoding="utf-8")
    assert syntax_directive(text) == "docker/dockerfile:1.4"
    stripped = strip_syntax_directive(text)
    assert stripped is not None
    assert syntax_directive(stripped) is None
    # every line after the directive keeps its number
    assert stripped.splitlines()[1:] == text.splitlines()[1:]


def test_other_directives_stay_directives() -> None:
    text = "# syntax=docker/dockerfile:1\n# escape=`\nFROM scratch\nCOPY a `\n  b /\n"
    stripped = strip_syntax_directive(text)
    assert stripped == "# escape=`\n#\nFROM scratch\nCOPY a `\n  b /\n"
    directives = {d.name: d.value for d in parse(stripped).nodes if hasattr(d, "name")}
    assert directives.get("escape") == "`"
    assert len(stripped.splitlines()) == len(text.splitlines())


def test_no_directive() -> None:
    text = "FROM scratch\n# syntax=docker/dockerfile:1\n"
    assert syntax_directive(text) is None
    assert strip_syntax_directive(text) is None
