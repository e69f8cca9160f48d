"""The HTML report's treemap layout: every cell inside the box, areas proportional, no overlap."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from slimline.report.html import _Cell, squarify, treemap


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=40))
@example([1, 1, 80805992])  # a sliver 1.6e-5 wide: heights once overshot the box
@example([1, 110051320])
def test_squarify_fills_the_box_proportionally(sizes: list[int]) -> None:
    width, height = 640.0, 320.0
    cells = squarify([_Cell(str(i), s) for i, s in enumerate(sizes)], 0, 0, width, height)
    assert len(cells) == len(sizes)
    total = sum(sizes)
    for c in cells:
        assert c.x >= -1e-6 and c.x + c.w <= width + 1e-6
        assert c.y >= -1e-6 and c.y + c.h <= height + 1e-6
        assert c.w * c.h == pytest.approx(width * height * c.size / total, rel=1e-6, abs=1e-6)
    for a, b in itertools.combinations(cells, 2):
        overlap_w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
        overlap_h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
        assert overlap_w <= 1e-6 or overlap_h <= 1e-6


def test_treemap_svg_escapes_labels() -> None:
    svg = treemap([("<script>", 10), ("/usr/lib", 30)], "by directory")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2
