"""The seed's Dockerfiles: the bad ones give the findings the seed names, at the right lines;
the optimized ones give no size findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_path
from slimline.lint.model import Category

SEED = Path(__file__).parents[2] / "fixtures" / "seed"
CHECKED = {Category.SIZE, Category.CACHE, Category.SECURITY}


def findings(name: str) -> set[tuple[str, int]]:
    result = lint_path(SEED / name / "Dockerfile", LintConfig())
    return {(f.code, f.line) for f in result.findings if f.category in CHECKED}


def test_naive() -> None:
    # FROM python:3.11 (line 2): fat base, no multi-stage, root; pip cache at line 6;
    # no .dockerignore for the `COPY . .` at line 7.
    assert findings("naive") == {
        ("SL101", 2),
        ("SL103", 2),
        ("SL301", 2),
        ("SL107", 6),
        ("SL203", 7),
    }


def test_layer_order() -> None:
    # `COPY . .` (line 4) before `RUN pip install` (line 5).
    assert findings("layer-order") == {("SL201", 5), ("SL107", 5), ("SL301", 1)}


def test_four_run_apt() -> None:
    # update alone (3), install without recommends flag (4), cleanup in later layers (5, 6);
    # the four RUNs are one group of consecutive package steps, reported once (at 4).
    assert findings("four-run") == {
        ("SL104", 3),
        ("SL202", 3),
        ("SL109", 4),
        ("SL111", 4),
        ("SL110", 5),
        ("SL110", 6),
        ("SL301", 1),
    }


@pytest.mark.parametrize("name", ["multistage-slim", "distroless", "go-scratch", "complete"])
def test_optimized_examples_have_no_size_findings(name: str) -> None:
    result = lint_path(SEED / name / "Dockerfile", LintConfig())
    assert [f for f in result.findings if f.category is Category.SIZE] == []
