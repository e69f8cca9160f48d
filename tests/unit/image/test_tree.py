"""The one whiteout tree: its rules, and analyze and compare seeing the same final tree."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from imagebuilder import E, Spec, d, f, hard, layer, opq, sym, wh, write_oci_layout

from slimline.analysis.merge import Merger
from slimline.image import open_image
from slimline.image.files import final_tree
from slimline.image.streams import StreamSource
from slimline.image.tarscan import DIR, LayerScan, scan_tar
from slimline.image.tree import WhiteoutTree


def _scan(entries: list[E]) -> LayerScan:
    return scan_tar(StreamSource(io.BytesIO(layer(entries))), where="test")


def _stacked(layers: list[list[E]]) -> set[str]:
    tree: WhiteoutTree[int] = WhiteoutTree()
    for entries in layers:
        tree.stack(_scan(entries), lambda e: e[1], lambda kind: kind == DIR)
    return set(tree.nodes)


LAYERS = [
    [d("etc"), f("etc/a", 1), d("d"), f("d/x", 2), d("d/sub"), f("d/sub/y", 3), d("o"),
     f("o/lower", 4), d("r"), f("r/child", 5), f("gone", 6)],
    [wh("gone"), wh("d/sub"), opq("o"), f("o/upper", 7), f("r", 8), hard("h", "etc/a"),
     sym("s", "/etc/a")],
    [d("d/sub"), f("d/sub/back", 9), wh("etc")],
]


def test_whiteout_rules():
    assert _stacked(LAYERS) == {
        "d", "d/x", "d/sub", "d/sub/back",  # sub deleted, then made again
        "o", "o/upper",  # opaque: the lower child is hidden
        "r",  # a file replacing a directory hides its contents
        "h", "s",
    }


def test_whiteouts_apply_to_lower_layers_only():
    # a layer that deletes and adds the same path keeps its own version
    assert _stacked([[f("a", 1)], [f("a", 2), wh("a")]]) == {"a"}
    assert _stacked([[d("o"), f("o/x", 1)], [f("o/y", 1), opq("o")]]) == {"o", "o/y"}


def test_a_hidden_path_can_come_back():
    tree: WhiteoutTree[int] = WhiteoutTree()
    tree.put("d", DIR, True, lambda k: k == DIR)
    tree.put("d/x", 0, False, lambda k: k == DIR)
    assert tree.hide_below("d") == [("d/x", 0)]
    tree.put("d/x", 0, False, lambda k: k == DIR)
    assert sorted(tree.delete("d")) == [("d", DIR), ("d/x", 0)]
    assert tree.nodes == {} and tree.descendants("d") == []


@pytest.mark.parametrize("layers", [LAYERS, LAYERS[:2], [LAYERS[0], LAYERS[2]]])
def test_analyze_and_compare_see_the_same_final_tree(tmp_path: Path, layers: list[list[E]]):
    merger = Merger()
    for entries in layers:
        merger.add_layer(_scan(entries))
    root = tmp_path / "img"
    write_oci_layout(root, Spec([layer(entries) for entries in layers]), "none")
    with open_image(f"oci:{root}") as image:
        tree = final_tree(image)
    assert {"/" + p for p in merger.cur} == set(tree)
    assert {"/" + p: v[1] for p, v in merger.cur.items()} == {
        p: {"file": 0, "dir": 1, "symlink": 2, "hardlink": 3}[info.kind]
        for p, info in tree.items()
    }
