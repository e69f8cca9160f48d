"""Final file trees and final file contents, on small images built with tarfile."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
from imagebuilder import (
    E,
    Spec,
    d,
    f,
    hard,
    layer,
    opq,
    sym,
    wh,
    write_docker25_archive,
    write_legacy_archive,
    write_oci_archive,
    write_oci_layout,
)

from slimline.image import open_image
from slimline.image.files import final_tree, read_final_files


def data(name: str, text: str) -> E:
    return E(name, "file", data=text.encode())


def stacked() -> Spec:
    return Spec([
        layer([d("etc"), data("etc/os-release", "one"), data("etc/keep", "kept"),
               d("var"), d("var/cache"), f("var/cache/a", 10), f("var/cache/b", 20),
               d("opt"), d("opt/tool"), f("opt/tool/bin", 30), data("etc/gone", "bye"),
               d("srv"), f("srv/x", 5)]),
        layer([data("etc/os-release", "two-longer"), wh("etc/gone"), opq("var/cache"),
               f("var/cache/c", 7), wh("opt/tool"), data("srv", "now a file"),
               hard("etc/keep-link", "etc/keep")]),
        layer([sym("etc/alias", "os-release"), data("etc/os-release", "three")]),
    ])


Writer = Callable[[Path, Spec], str]


def _oci(tmp: Path, spec: Spec) -> str:
    write_oci_layout(tmp / "layout", spec, "gzip")
    return f"oci:{tmp / 'layout'}"


def _oci_archive(tmp: Path, spec: Spec) -> str:
    write_oci_archive(tmp / "img.tar", spec, "zstd")
    return f"oci-archive:{tmp / 'img.tar'}"


def _legacy(tmp: Path, spec: Spec) -> str:
    write_legacy_archive(tmp / "img.tar", spec)
    return f"docker-archive:{tmp / 'img.tar'}"


def _legacy_gz(tmp: Path, spec: Spec) -> str:
    """A compressed archive: read in one forward pass, so contents need a second pass."""
    write_legacy_archive(tmp / "img.tar", spec)
    (tmp / "img.tar.gz").write_bytes(gzip.compress((tmp / "img.tar").read_bytes()))
    return f"docker-archive:{tmp / 'img.tar.gz'}"


def _docker25_gz(tmp: Path, spec: Spec) -> str:
    write_docker25_archive(tmp / "img.tar", spec)
    (tmp / "img.tar.gz").write_bytes(gzip.compress((tmp / "img.tar").read_bytes()))
    return f"docker-archive:{tmp / 'img.tar.gz'}"


WRITERS = {"oci": _oci, "oci-archive": _oci_archive, "legacy": _legacy,
           "legacy-gz": _legacy_gz, "docker25-gz": _docker25_gz}


@pytest.mark.parametrize("how", sorted(WRITERS))
def test_final_tree_applies_whiteouts_in_layer_order(tmp_path: Path, how: str) -> None:
    with open_image(WRITERS[how](tmp_path, stacked())) as image:
        tree = final_tree(image)
    assert tree["/etc/os-release"].size == len("three")
    assert tree["/etc/os-release"].layer == 2
    assert "/etc/gone" not in tree  # whiteout
    assert "/var/cache/a" not in tree and "/var/cache/b" not in tree  # opaque directory
    assert tree["/var/cache/c"].size == 7
    assert tree["/var/cache"].kind == "dir"  # the opaque directory itself stays
    assert "/opt/tool" not in tree and "/opt/tool/bin" not in tree  # whiteout of a directory
    assert tree["/opt"].kind == "dir"
    assert tree["/srv"].kind == "file" and "/srv/x" not in tree  # file replaced a directory
    assert tree["/etc/alias"].kind == "symlink" and tree["/etc/alias"].link == "os-release"
    assert tree["/etc/keep-link"].kind == "hardlink"
    assert tree["/etc/keep-link"].link == "etc/keep"


@pytest.mark.parametrize("how", sorted(WRITERS))
def test_read_final_files_returns_final_contents(tmp_path: Path, how: str) -> None:
    with open_image(WRITERS[how](tmp_path, stacked())) as image:
        got = read_final_files(image, lambda p: p.startswith("/etc/"))
    assert got == {
        "/etc/os-release": b"three",  # the last layer wins
        "/etc/keep": b"kept",
        "/etc/keep-link": b"kept",  # a hardlink reads its target's data
    }  # /etc/gone was deleted; /etc/alias is a symlink, not read


def test_read_final_files_skips_files_over_the_limit(tmp_path: Path) -> None:
    with open_image(_oci(tmp_path, stacked())) as image:
        got = read_final_files(image, lambda p: p.startswith("/etc/"), max_bytes=4)
    assert got == {"/etc/keep": b"kept", "/etc/keep-link": b"kept"}


def test_read_final_files_reads_only_what_is_wanted(tmp_path: Path) -> None:
    with open_image(_legacy_gz(tmp_path, stacked())) as image:
        assert read_final_files(image, lambda p: p == "/nothing") == {}
        assert read_final_files(image, lambda p: p == "/srv") == {"/srv": b"now a file"}


def test_a_file_written_twice_in_one_layer_keeps_the_last(tmp_path: Path) -> None:
    spec = Spec([layer([data("a", "first"), data("a", "second")])])
    with open_image(_docker25_gz(tmp_path, spec)) as image:
        assert read_final_files(image, lambda p: p == "/a") == {"/a": b"second"}


@pytest.mark.parametrize("how", ["legacy-gz", "docker25-gz"])
def test_layers_of_equal_length_are_told_apart(tmp_path: Path, how: str) -> None:
    # same tar length: a legacy archive's layers are then identified by their diff IDs
    spec = Spec([layer([data("a", "x"), data("b", "1")]), layer([data("a", "y")]),
                 layer([data("b", "2")])])
    assert len(spec.layers[1]) == len(spec.layers[2])
    with open_image(WRITERS[how](tmp_path, spec)) as image:
        got = read_final_files(image, lambda p: p in ("/a", "/b"))
    assert got == {"/a": b"y", "/b": b"2"}


def test_layers_of_unique_length_are_not_hashed(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import slimline.image.files as files

    def no_hashing(*_: object) -> None:
        raise AssertionError("a layer of unique length was hashed")

    monkeypatch.setattr(files, "HashingReader", no_hashing)
    spec = Spec([layer([data("a", "x"), f("pad", 30_000)]), layer([data("a", "y")])])
    assert len(spec.layers[0]) != len(spec.layers[1])
    with open_image(_legacy_gz(tmp_path, spec)) as image:
        assert read_final_files(image, lambda p: p == "/a") == {"/a": b"y"}


@pytest.mark.parametrize("offsets", [True, False])
def test_uncompressed_layers_in_a_file_are_not_streamed(tmp_path: Path, offsets: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # read where the scan saw each file's data, or (a scan that did not keep it) seeked over
    import slimline.image.files as files

    def no_streaming(*_: object) -> None:
        raise AssertionError("an uncompressed layer in a file was streamed")

    monkeypatch.setattr(files, "StreamSource", no_streaming)
    spec = Spec([layer([f("big", 3_000_000), data("a", "first"), f("pad", 700),
                        data("a", "second"), hard("b", "a")]),
                 layer([f("other", 1_000_000), data("c", "in layer two")])])
    with open_image(_legacy(tmp_path, spec)) as image:
        tree = final_tree(image)
        for one in image.layers:
            assert one.scan is not None and one.scan.data is not None
            if not offsets:
                one.scan.data = None
        got = read_final_files(image, lambda p: p in ("/a", "/b", "/c"), tree=tree)
    assert got == {"/a": b"second", "/b": b"second", "/c": b"in layer two"}
