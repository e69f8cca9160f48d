"""The merged tree: whiteouts, opaque directories, hardlinks, waste and reclaimable bytes.

Every expected number below is worked out by hand from the layers in the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from imagebuilder import E, Spec, d, f, hard, layer, opq, sym, wh, write_oci_layout

from slimline.analysis.analyze import analyze_image
from slimline.analysis.model import AnalysisResult
from slimline.image import open_image


def analyze(tmp_path: Path, layers: list[list[E]], history=None) -> AnalysisResult:
    spec = Spec([layer(entries) for entries in layers], history=history or [])
    root = tmp_path / "img"
    write_oci_layout(root, spec, "gzip")
    with open_image(f"oci:{root}") as image:
        return analyze_image(image)


def counts(result: AnalysisResult) -> list[tuple[int, int, int]]:
    return [(x.files_added, x.files_changed, x.files_removed) for x in result.layers]


def test_shadowed_file(tmp_path):
    r = analyze(tmp_path, [[d("etc"), f("etc/a", 100)], [f("etc/a", 40)]])
    assert (r.total_size, r.final_size, r.wasted_bytes, r.reclaimable_bytes) == (140, 40, 100, 100)
    assert r.layers[0].wasted_bytes == 100 and r.layers[0].wasted_by == {1: 100}
    assert r.layers[1].removed_bytes == 100 and r.layers[1].removed_from == {0: 100}
    assert r.layers[0].final_bytes == 0 and r.layers[1].final_bytes == 40
    assert counts(r) == [(1, 0, 0), (0, 1, 0)]
    assert r.final_files == 1 and r.final_dirs == 1


def test_whiteout_of_a_directory_removes_everything_below(tmp_path):
    r = analyze(tmp_path, [
        [d("d"), f("d/x", 10), f("d/y", 20), d("d/sub"), f("d/sub/z", 30), f("keep", 1)],
        [wh("d")],
    ])
    assert (r.total_size, r.final_size, r.wasted_bytes) == (61, 1, 60)
    assert counts(r) == [(4, 0, 0), (0, 0, 3)]
    assert r.final_dirs == 0 and r.final_files == 1
    assert r.layers[1].whiteouts == 1


def test_opaque_directory_hides_lower_children_only(tmp_path):
    r = analyze(tmp_path, [
        [d("d"), f("d/x", 10), f("d/y", 20), d("d/sub"), f("d/sub/deep", 4)],
        # the marker comes after the layer's own entries: they must survive it
        [d("d"), f("d/y", 5), f("d/n", 7), opq("d")],
    ])
    assert r.final_size == 12  # y (5) + n (7)
    assert r.wasted_bytes == 34  # x, y, sub/deep of layer 1
    assert counts(r) == [(3, 0, 0), (1, 1, 2)]  # n added, y changed, x and sub/deep removed


def test_whiteout_of_missing_path_changes_nothing(tmp_path):
    r = analyze(tmp_path, [[f("a", 10)], [wh("never-there"), f("b", 1)]])
    assert (r.final_size, r.wasted_bytes, r.final_files) == (11, 0, 2)
    assert counts(r) == [(1, 0, 0), (1, 0, 0)]


def test_hardlink_keeps_data_alive(tmp_path):
    r = analyze(tmp_path, [[f("a", 100), hard("b", "a")], [wh("a")]])
    # the path /a is gone (wasted 100 by path), but /b still holds the data
    assert (r.total_size, r.final_size, r.wasted_bytes, r.reclaimable_bytes) == (100, 100, 100, 0)
    r = analyze(tmp_path / "2", [[f("a", 100), hard("b", "a")], [wh("a"), wh("b")]])
    assert (r.final_size, r.reclaimable_bytes) == (0, 100)
    r = analyze(tmp_path / "3", [[f("a", 100), hard("b", "a"), hard("c", "b")]])
    assert (r.total_size, r.final_size, r.final_files) == (100, 100, 3)


def test_hardlink_to_a_rewritten_file(tmp_path):
    # layer 2 links to layer 2's copy; the old copy in layer 1 is waste
    r = analyze(tmp_path, [[f("a", 50)], [f("a", 60), hard("b", "a")], [wh("a")]])
    assert (r.total_size, r.final_size, r.reclaimable_bytes) == (110, 60, 50)


def test_file_replacing_a_directory_hides_its_contents(tmp_path):
    r = analyze(tmp_path, [[d("p"), f("p/x", 10), f("p/y", 5)], [f("p", 3)]])
    assert (r.final_size, r.wasted_bytes) == (3, 15)
    assert counts(r)[1] == (0, 1, 2)


def test_directory_replacing_a_file(tmp_path):
    r = analyze(tmp_path, [[f("p", 10)], [d("p"), f("p/q", 4)]])
    assert (r.final_size, r.wasted_bytes) == (4, 10)
    assert counts(r)[1] == (1, 1, 0)


def test_symlinks_and_other_kinds_have_no_size(tmp_path):
    r = analyze(tmp_path, [[sym("bin", "usr/bin"), d("usr/bin"), f("usr/bin/sh", 9),
                            E("dev/fifo", "fifo")]])
    assert (r.total_size, r.final_size, r.final_files) == (9, 9, 1)


def test_duplicate_entry_in_one_layer(tmp_path):
    r = analyze(tmp_path, [[f("a", 10), f("a", 25)]])
    # Docker counts both entries in the layer's size; only the last one is visible
    assert (r.total_size, r.final_size, r.reclaimable_bytes) == (35, 25, 10)


def test_categories_per_layer_and_final(tmp_path):
    r = analyze(tmp_path, [
        [d("var/lib/apt/lists"), f("var/lib/apt/lists/deb_Packages", 3000),
         f("usr/lib/x86_64-linux-gnu/libfoo.a", 700), d("usr/include"), f("usr/include/foo.h", 50),
         f("usr/bin/bash", 1000), sym("usr/bin/sh", "bash"), f("usr/bin/pip3", 20)],
        [d("app/__pycache__"), f("app/__pycache__/m.cpython-311.pyc", 80), f("app/m.pyc", 5),
         wh("var/lib/apt/lists/deb_Packages"), f("root/.cache/pip/http/x", 400)],
    ])
    cats = {c.id: c for c in r.categories}
    assert cats["apt-lists"].final_bytes == 0 and cats["apt-lists"].wasted_bytes == 3000
    assert cats["apt-lists"].by_layer == {0: 3000}
    assert cats["static-libs"].final_bytes == 700
    assert cats["headers"].final_bytes == 50
    assert cats["python-bytecode"].final_bytes == 85 and cats["python-bytecode"].final_files == 2
    assert cats["pip-cache"].final_by_layer == {1: 400}
    assert r.layers[1].categories == {"pip-cache": 400, "python-bytecode": 85}
    present = {p.category: p.paths for p in r.present}
    assert present["shells"] == ("/usr/bin/bash", "/usr/bin/sh")
    assert present["package-managers"] == ("/usr/bin/pip3",)


def test_largest_files_and_directories(tmp_path):
    r = analyze(tmp_path, [[f("a/b/big", 900), f("a/b/small", 100), f("a/c/mid", 500),
                            f("z", 1)]])
    assert [(x.path, x.size) for x in r.largest_files[:2]] == [("/a/b/big", 900), ("/a/c/mid", 500)]
    dirs = {x.path: (x.size, x.files) for x in r.largest_dirs}
    assert dirs["/a"] == (1500, 3)
    assert dirs["/a/b"] == (1000, 2)
    assert dirs["/a/c"] == (500, 1)


def test_history_alignment_skips_empty_layers(tmp_path):
    history = [
        {"created_by": "/bin/sh -c #(nop) ADD file:1 in / "},
        {"created_by": '/bin/sh -c #(nop)  CMD ["sh"]', "empty_layer": True},
        {"created_by": "RUN /bin/sh -c make # buildkit"},
        {"created_by": "ENV X=1", "empty_layer": True},
        {"created_by": "COPY app /app # buildkit"},
    ]
    r = analyze(tmp_path, [[f("a", 1)], [f("b", 1)], [f("c", 1)]], history)
    assert [x.instruction for x in r.layers] == ["ADD file:1 in /", "RUN make", "COPY app /app"]
    assert [x.history_index for x in r.layers] == [0, 2, 4]
    assert (r.base.layers, r.base.method, r.base.history_entries) == (1, "history", 2)
    assert [x.base for x in r.layers] == [True, False, False]


def test_missing_history_is_reported_as_missing(tmp_path):
    r = analyze(tmp_path, [[f("a", 1)], [f("b", 1)]], [{"created_by": "ADD x /"}])
    assert [x.instruction for x in r.layers] == ["ADD x /", "(missing)"]


@pytest.mark.parametrize("workers", [1, 3])
def test_parallel_reading_keeps_layer_order(tmp_path, workers):
    layers = [[f(f"file{i}", 10 * (i + 1)), f("shared", i + 1)] for i in range(8)]
    spec = Spec([layer(e) for e in layers])
    write_oci_layout(tmp_path / "img", spec, ["gzip", "zstd", "none", "gzip"] * 2)
    from slimline.analysis.analyze import AnalyzeOptions

    with open_image(f"oci:{tmp_path}/img") as image:
        r = analyze_image(image, AnalyzeOptions(workers=workers))
    assert [x.size for x in r.layers] == [10 * (i + 1) + i + 1 for i in range(8)]
    assert r.final_size == sum(10 * (i + 1) for i in range(8)) + 8
