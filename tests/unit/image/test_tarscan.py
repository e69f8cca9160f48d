"""The tar header scanner: kinds, names, sizes, whiteouts, and bad input."""

from __future__ import annotations

import io
import os
import tarfile

import pytest
from imagebuilder import E, d, f, hard, layer, opq, sym, wh

from slimline.errors import ImageError
from slimline.image.streams import FileSegment, StreamSource
from slimline.image.tarscan import (
    DIR,
    FILE,
    HARDLINK,
    OPAQUE,
    OTHER,
    SYMLINK,
    WHITEOUT,
    normalize_member_name,
    scan_tar,
)


def scan_bytes(data: bytes):
    return scan_tar(StreamSource(io.BytesIO(data)), where="test")


def scan_file(tmp_path, data: bytes, seekable: bool = True):
    path = tmp_path / "layer.tar"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        return scan_tar(FileSegment(fd, 0, len(data)), where="test", seekable=seekable)
    finally:
        os.close(fd)


def test_kinds_sizes_and_links():
    data = layer([
        d("usr"), d("usr/bin"), f("usr/bin/tool", 1234), sym("usr/bin/alias", "/usr/bin/tool"),
        hard("usr/bin/tool2", "usr/bin/tool"), E("run/fifo", "fifo"), f("empty", 0),
    ])
    scan = scan_bytes(data)
    assert scan.entries == [
        ("usr", DIR, 0, ""),
        ("usr/bin", DIR, 0, ""),
        ("usr/bin/tool", FILE, 1234, ""),
        ("usr/bin/alias", SYMLINK, 0, "/usr/bin/tool"),
        ("usr/bin/tool2", HARDLINK, 0, "usr/bin/tool"),
        ("run/fifo", OTHER, 0, ""),
        ("empty", FILE, 0, ""),
    ]
    assert scan.whiteouts == []
    assert scan.content_size == 1234
    assert scan.tar_size == len(data)


@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
def test_long_names_in_every_format(fmt):
    long_dir = "opt/" + "/".join(["d" * 40] * 3)
    long_name = long_dir + "/file-with-a-name.txt"
    entries = [f(long_name, 10), sym(long_dir + "/link", "x" * 30)]
    if fmt == tarfile.USTAR_FORMAT:
        # ustar splits at most 155+100 characters into prefix and name
        long_name = "opt/" + "p" * 120 + "/name.txt"
        entries = [f(long_name, 10)]
    scan = scan_bytes(layer(entries, fmt))
    assert scan.entries[0] == (long_name, FILE, 10, "")


def test_pax_long_link_and_unicode():
    target = "/usr/share/" + "z" * 120
    scan = scan_bytes(layer([sym("a/ünïcødé", target)]))
    assert scan.entries == [("a/ünïcødé", SYMLINK, 0, target)]


def test_whiteouts_and_opaque_are_kept_apart():
    scan = scan_bytes(layer([d("etc"), wh("etc/passwd"), wh("top"), opq("var/cache"),
                             E("x/.wh..wh.plnk", "file")]))
    assert scan.entries == [("etc", DIR, 0, "")]
    assert scan.whiteouts == [
        ("etc/passwd", WHITEOUT, 0, ""),
        ("top", WHITEOUT, 0, ""),
        ("var/cache", OPAQUE, 0, ""),
    ]


def test_names_are_normalised():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, kind in (("./", tarfile.DIRTYPE), ("./usr/", tarfile.DIRTYPE),
                           ("/etc//x", tarfile.REGTYPE), ("a/./b/", tarfile.DIRTYPE),
                           ("a/b/../c", tarfile.REGTYPE)):
            info = tarfile.TarInfo(name)
            info.type = kind
            tf.addfile(info, io.BytesIO(b""))
    scan = scan_bytes(buf.getvalue())
    assert [e[0] for e in scan.entries] == ["usr", "etc/x", "a/b", "a/c"]


@pytest.mark.parametrize("name", ["../etc/passwd", "a/../../x", "./../x"])
def test_names_climbing_out_of_the_root_are_rejected(name):
    with pytest.raises(ImageError, match="outside the image root"):
        normalize_member_name(name, "layer 1")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        tf.addfile(tarfile.TarInfo(name), io.BytesIO(b""))
    with pytest.raises(ImageError, match="outside the image root"):
        scan_bytes(buf.getvalue())


def test_hardlink_target_climbing_out_is_rejected():
    with pytest.raises(ImageError, match="outside the image root"):
        scan_bytes(layer([hard("a", "../../etc/shadow")]))


def test_absolute_symlink_targets_are_normal_in_images():
    scan = scan_bytes(layer([sym("bin/sh", "/usr/bin/dash"), sym("lib64", "usr/lib64")]))
    assert [e[3] for e in scan.entries] == ["/usr/bin/dash", "usr/lib64"]


def test_seekable_and_streamed_scans_agree(tmp_path):
    data = layer([d("a")] + [f(f"a/file{i}", i * 997) for i in range(60)] + [f("big", 300_000)])
    streamed = scan_bytes(data)
    seeked = scan_file(tmp_path, data)
    assert streamed == seeked
    assert seeked.content_size == sum(i * 997 for i in range(60)) + 300_000


def test_a_seekable_scan_keeps_where_each_file_s_data_is(tmp_path):
    members = [d("a"), E("a/x", "file", data=b"first"), f("a/pad", 1500),
               E("a/x", "file", data=b"second, longer"), sym("a/s", "x"),
               E("b" * 120, "file", data=b"long name")]  # a PAX or GNU long name
    data = layer(members)
    seeked = scan_file(tmp_path, data)
    assert seeked.data is not None and scan_bytes(data).data is None
    assert set(seeked.data) == {"a/x", "a/pad", "b" * 120}
    start, size = seeked.data["a/x"]  # the last member of a path wins
    assert data[start : start + size] == b"second, longer"
    start, size = seeked.data["b" * 120]
    assert data[start : start + size] == b"long name"


def test_missing_end_of_archive_blocks_is_accepted():
    data = layer([f("a", 700)])
    trimmed = data[: 512 + 1024]  # header + data blocks, no trailing zero blocks
    assert scan_bytes(trimmed).entries == [("a", FILE, 700, "")]


def test_truncated_data_is_an_error(tmp_path):
    data = layer([f("a", 5000), f("b", 10)])
    with pytest.raises(ImageError, match="truncated"):
        scan_bytes(data[:2000])
    with pytest.raises(ImageError, match="truncated"):
        scan_file(tmp_path, data[:2000])


def test_truncated_header_is_an_error():
    data = layer([f("a", 10), f("b", 10)])
    with pytest.raises(ImageError, match="truncated"):
        scan_bytes(data[: 1024 + 300])


def test_not_a_tar():
    with pytest.raises(ImageError, match="not a tar archive"):
        scan_bytes(b'{"json": "document"}' * 40)


def test_corrupt_header_in_the_middle():
    data = bytearray(layer([f("a", 10), f("b", 10)]))
    data[1024:1536] = b"\x01" * 512
    with pytest.raises(ImageError, match="corrupt tar header"):
        scan_bytes(bytes(data))


def test_base256_size_field():
    data = bytearray(layer([f("a", 600)]))
    # rewrite the size field in GNU base-256 form, fix the checksum
    header = data[0:512]
    header[124:136] = b"\x80" + (600).to_bytes(11, "big")
    header[148:156] = b" " * 8
    chk = sum(header)
    header[148:156] = f"{chk:06o}\0 ".encode()
    data[0:512] = header
    scan = scan_bytes(bytes(data))
    assert scan.entries == [("a", FILE, 600, "")]


def test_pax_size_override():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        info = tarfile.TarInfo("sized")
        info.size = 20
        info.pax_headers = {"size": "20"}
        tf.addfile(info, io.BytesIO(b"x" * 20))
    assert scan_bytes(buf.getvalue()).entries == [("sized", FILE, 20, "")]
