"""The model: directives, stages, source spans and logical-text mapping."""

from __future__ import annotations

from slimline.dockerfile import Directive, parse


def test_directives_by_name() -> None:
    df = parse("# syntax=docker/dockerfile:1\n# check=skip=all\nFROM a\n", "Dockerfile")
    assert {k: v.value for k, v in df.directives.items()} == {
        "syntax": "docker/dockerfile:1",
        "check": "skip=all",
    }
    assert all(isinstance(v, Directive) for v in df.directives.values())
