"""Hostile and broken tars: each is a clear ImageError, in bounded time and memory.

Every tar is built in memory. The module runs under a timeout so that a reader
that loops (a negative size used to walk backwards forever) fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hostiletar import END, extended, header, member, pax, pax_record
from imagebuilder import Spec, d, f, layer, write_oci_layout

from slimline.errors import ImageError, SlimlineError
from slimline.image import iter_layer_scans, limits, open_image
from slimline.image.limits import Limits
from slimline.image.streams import FileSegment, StreamSource
from slimline.image.tarscan import FILE, iter_members, scan_tar

pytestmark = pytest.mark.timeout(20)

Reader = Callable[[bytes], object]


def _stream(data: bytes, **kw: object) -> object:
    return scan_tar(StreamSource(io.BytesIO(data)), where="layer 1", **kw)  # type: ignore[arg-type]


def _members(data: bytes, **kw: object) -> object:
    out = []
    for m, body in iter_members(StreamSource(io.BytesIO(data)), where="layer 1",
                                **kw):  # type: ignore[arg-type]
        out.append((m, body.read()))
    return out


@pytest.fixture(params=["stream", "seek", "members"])
def read(request: pytest.FixtureRequest, tmp_path: Path) -> Reader:
    """Each driver of the one tar reader: the same input must fail the same way."""
    if request.param == "stream":
        return _stream
    if request.param == "members":
        return _members

    def seek(data: bytes, **kw: object) -> object:
        path = tmp_path / "layer.tar"
        path.write_bytes(data)
        fd = os.open(path, os.O_RDONLY)
        try:
            return scan_tar(FileSegment(fd, 0, len(data)), where="layer 1", seekable=True,
                            **kw)  # type: ignore[arg-type]
        finally:
            os.close(fd)

    return seek


# --- sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1536", "-1"])
def test_negative_pax_size(read: Reader, value: str):
    data = pax(size=value) + member(b"a", b"x" * 2000) + member(b"b", b"y") + END
    with pytest.raises(ImageError, match=r"layer 1: corrupt PAX size '-\d+'"):
        read(data)


@pytest.mark.parametrize("value", ["12abc", "+5", " 5", "0x10", "1_0", "", "٣"])
def test_non_numeric_pax_size(read: Reader, value: str):
    with pytest.raises(ImageError, match="corrupt PAX size"):
        read(pax(size=value) + member(b"a", b"x") + END)


def test_overflowing_pax_size(read: Reader):
    with pytest.raises(ImageError, match="overflows 63 bits"):
        read(pax(size="9" * 40) + member(b"a", b"x") + END)


@pytest.mark.parametrize("field", [b"-0000000017\0", b"0o000000017\0", b"0000000_17\0",
                                   b"0000000009\0 ", b"zzzzzzzzzzz\0"])
def test_bad_octal_size_field(read: Reader, field: bytes):
    with pytest.raises(ImageError, match=r"layer 1: corrupt tar header \(size field"):
        read(header(b"a", size_field=field) + bytes(512) + END)


def test_base256_sizes(read: Reader):
    good = header(b"a", size_field=b"\x80" + (600).to_bytes(11, "big")) + bytes(1024) + END
    result = read(good)
    entries = result if isinstance(result, list) else result.entries  # type: ignore[attr-defined]
    assert len(entries) == 1
    negative = header(b"a", size_field=b"\xff" * 12) + END
    with pytest.raises(ImageError, match="negative size"):
        read(negative)
    huge = header(b"a", size_field=b"\x80" + b"\xff" * 11) + END
    with pytest.raises(ImageError, match="size in a tar header overflows 63 bits"):
        read(huge)


# --- structure -----------------------------------------------------------------------


def test_bad_checksum_is_an_error(read: Reader):
    data = member(b"a", b"x") + header(b"b", checksum=b"0000000\0") + END
    with pytest.raises(ImageError, match=r"corrupt tar header at offset 1024 \(bad checksum\)"):
        read(data)


def test_bad_checksum_on_the_first_header(read: Reader):
    with pytest.raises(ImageError, match=r"at offset 0 .bad checksum"):
        read(header(b"a", checksum=b"0000001\0") + END)
    with pytest.raises(ImageError, match="not a tar archive"):
        read(b"{" + bytes(1023))


def test_signed_checksums_are_accepted(read: Reader):
    name = "é".encode("latin-1")  # a byte above 127: signed and unsigned sums differ
    block = bytearray(header(name))
    block[148:156] = b" " * 8
    signed = sum(b - 256 if b > 127 else b for b in block)
    block[148:156] = f"{signed:06o}\0 ".encode()
    read(bytes(block) + END)


@pytest.mark.parametrize("records", [
    b"5 a=b",  # no newline
    b"99 path=x\n",  # longer than the header
    b"x path=x\n",  # non-numeric length
    b"-9 path=x\n",
    b"0 path=x\n",
    b"10 pathx\n\n",  # no '='
    b"9 =value\n",  # empty key
    b"15 path=a\0b/c\n",  # NUL in a path
])
def test_malformed_pax_records(read: Reader, records: bytes):
    with pytest.raises(ImageError, match="corrupt PAX"):
        read(extended(records) + member(b"a", b"x") + END)


def test_unused_pax_records_are_dropped_and_padding_allowed(read: Reader):
    data = extended(pax_record("SCHILY.xattr.user.x", "v" * 500) + pax_record("path", "long")
                    + bytes(20)) + member(b"short") + END
    result = read(data)
    if isinstance(result, list):
        assert result[0][0].path == "long"
    else:
        assert result.entries == [("long", FILE, 0, "")]  # type: ignore[attr-defined]


def test_truncated_member(read: Reader):
    data = member(b"a", b"x" * 5000) + END
    with pytest.raises(ImageError, match=r"layer 1: truncated tar stream \(data of 'a'\)"):
        read(data[:3000])


def test_truncated_extended_header(read: Reader):
    data = pax(path="p" * 3000)
    with pytest.raises(ImageError, match="truncated tar stream"):
        read(data[:1024])


def test_gnu_long_name(read: Reader):
    name = "d/" * 60 + "file"
    data = extended(name.encode() + b"\0", b"L") + member(b"short", b"abc") + END
    result = read(data)
    paths = [m.path for m, _ in result] if isinstance(result, list) else \
        [e[0] for e in result.entries]  # type: ignore[attr-defined]
    assert paths == [name]


def test_gnu_long_name_without_a_member(read: Reader):
    with pytest.raises(ImageError, match="extended header without a member"):
        read(member(b"a") + extended(b"name\0", b"L") + END)
    with pytest.raises(ImageError, match="extended header without a member"):
        read(member(b"a") + extended(b"name\0", b"L"))


def test_oversized_gnu_long_name(read: Reader):
    data = header(b"././@LongLink", size=1 << 30, flag=b"L") + END
    with pytest.raises(ImageError, match="oversized extended tar header"):
        read(data)


# --- limits ----------------------------------------------------------------------------


def test_path_20000_levels_deep_is_refused_quickly_and_small(read: Reader):
    deep = "a/" * 20_000 + "f"
    data = pax(path=deep) + member(b"x", b"1") + END
    tracemalloc.start()
    try:
        with pytest.raises(ImageError, match=r"bytes long, over the limit of 4,096 "
                                             r"\(raise it with --limit path-length=N"):
            read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_path_depth_limit(read: Reader):
    deep = "a/" * 300 + "f"
    with pytest.raises(ImageError, match=r"601 levels deep|301 levels deep"):
        read(pax(path=deep) + member(b"x") + END)
    # a lowered limit applies to plain ustar names too
    with pytest.raises(ImageError, match="--limit path-depth=N"):
        read(member(b"a/b/c/d") + END, limits=Limits(path_depth=3))


def test_long_link_target_limit(read: Reader):
    data = pax(linkpath="t" * 5000) + member(b"link", flag=b"2") + END
    with pytest.raises(ImageError, match=r"link target .* bytes long"):
        read(data)


def test_entries_limit(read: Reader):
    data = b"".join(member(f"f{i}".encode()) for i in range(50)) + END
    read(data, limits=Limits(entries=50))
    with pytest.raises(ImageError, match=r"more than 49 tar entries.*--limit entries=N"):
        read(data, limits=Limits(entries=49))


@pytest.mark.parametrize("name", [b".wh.", b"dir/.wh..", b".wh..."])
def test_whiteouts_naming_nothing_or_a_parent(name: bytes):
    with pytest.raises(ImageError, match="invalid whiteout"):
        _stream(member(name) + END)


def test_whiteouts_are_plain_files_for_iter_members():
    result = _members(member(b"dir/.wh.x") + END)
    assert [m.path for m, _ in result] == ["dir/.wh.x"]  # type: ignore[attr-defined]


# --- whole images ------------------------------------------------------------------------


def _gzip_layout(tmp_path: Path, tar: bytes) -> str:
    write_oci_layout(tmp_path / "lay", Spec([tar]), "gzip")
    return f"oci:{tmp_path}/lay"


def test_negative_size_inside_a_gzip_layer(tmp_path: Path):
    ref = _gzip_layout(tmp_path, pax(size="-1") + member(b"a", b"x" * 700) + END)
    with open_image(ref) as image, pytest.raises(ImageError, match=r"layer 1 \(.*\): corrupt PAX"):
        list(iter_layer_scans(image))


def _zeros_layer(size: int) -> bytes:
    return layer([d("z"), f("z/zeros", size)])


def test_decompression_ratio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(limits, "RATIO_FLOOR", 1 << 20)
    ref = _gzip_layout(tmp_path, _zeros_layer(3 << 20))
    with open_image(ref) as image, pytest.raises(
            ImageError, match=r"decompress to more than .*--limit ratio=N"):
        list(iter_layer_scans(image))
    with limits.use(Limits(ratio=100_000)), open_image(ref) as image:
        assert len(list(iter_layer_scans(image))) == 1


def test_total_decompressed_bytes(tmp_path: Path):
    ref = _gzip_layout(tmp_path, _zeros_layer(2 << 20))
    with limits.use(Limits(total_bytes=1 << 20)), open_image(ref) as image, pytest.raises(
            ImageError, match=r"too many bytes, over the limit of 1,048,576 .*total-bytes"):
        list(iter_layer_scans(image))


def _legacy_archive(path: Path, tar: bytes, times: int, *, gz_layer: bool = False) -> None:
    """A ``docker save`` archive whose manifest lists one layer ``times`` times."""
    blob = gzip.compress(tar, mtime=0) if gz_layer else tar
    diff_id = "sha256:" + hashlib.sha256(tar).hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": [diff_id] * times}}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": ["t:1"], "Layers": ["l/layer.tar"] * times}]
    with tarfile.open(path, "w") as tf:
        for name, data in (("l/layer.tar", blob), (config_name, config),
                           ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("compressed_archive", [False, True])
def test_a_layer_listed_many_times_is_read_once(tmp_path: Path, compressed_archive: bool,
                                                monkeypatch: pytest.MonkeyPatch):
    from slimline.image import archive, read

    calls = []
    for module in (read, archive):
        original = module.scan_tar

        def counting(*args: object, _original: object = original, **kw: object) -> object:
            calls.append(1)
            return _original(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(module, "scan_tar", counting)
    path = tmp_path / "many.tar"
    _legacy_archive(path, layer([f("a", 100)]), 200, gz_layer=True)
    if compressed_archive:
        path.with_suffix(".gz").write_bytes(gzip.compress(path.read_bytes(), mtime=0))
        path = path.with_suffix(".gz")
    with open_image(f"docker-archive:{path}") as image:
        scans = list(iter_layer_scans(image))
    assert len(scans) == 200
    assert len(calls) == 1
    with limits.use(Limits(layers=199)), open_image(f"docker-archive:{path}") as image, \
            pytest.raises(ImageError, match=r"lists 200 layers.*--limit layers=N"):
        list(iter_layer_scans(image))


def test_compressed_legacy_layer_is_checked_against_its_diff_id(tmp_path: Path):
    path = tmp_path / "legacy.tar"
    tar = layer([f("a", 100)])
    _legacy_archive(path, tar, 1, gz_layer=True)
    with open_image(f"docker-archive:{path}") as image:
        list(iter_layer_scans(image))
    # the same archive, but the layer's content is not what the config says
    other = layer([f("b", 100)])
    with tarfile.open(path) as tf:
        docs = {m.name: tf.extractfile(m).read() for m in tf if m.name != "l/layer.tar"}  # type: ignore[union-attr]
    with tarfile.open(path, "w") as tf:
        for name, data in [("l/layer.tar", gzip.compress(other, mtime=0)), *docs.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    with open_image(f"docker-archive:{path}") as image, pytest.raises(
            ImageError, match=r"\(uncompressed\): digest mismatch"):
        list(iter_layer_scans(image))


def test_archive_of_json_looking_members(tmp_path: Path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for i in range(40):
            info = tarfile.TarInfo(f"doc{i}.json")
            info.size = 1 << 20
            tf.addfile(info, io.BytesIO(b"{" + bytes((1 << 20) - 1)))
    path = tmp_path / "docs.tar.gz"
    path.write_bytes(gzip.compress(buf.getvalue(), mtime=0))
    with limits.use(Limits(documents=8 << 20)), pytest.raises(
            ImageError, match=r"too many bytes of JSON documents.*--limit documents=N"):
        open_image(f"docker-archive:{path}")


def test_corrupt_outer_archive_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "bad.tar.gz"
    path.write_bytes(gzip.compress(pax(size="-1") + member(b"manifest.json", b"[]") + END))
    with pytest.raises(ImageError, match=r"bad\.tar\.gz: corrupt PAX size"):
        open_image(f"docker-archive:{path}")


def test_limit_settings_are_parsed():
    parsed = Limits.parse(["entries=10", "total-bytes=2GiB", "path-depth=5"])
    assert (parsed.entries, parsed.total_bytes, parsed.path_depth) == (10, 2 << 30, 5)
    with pytest.raises(SlimlineError, match="NAME one of"):
        Limits.parse(["nope=1"])
    with pytest.raises(SlimlineError, match="must be positive"):
        Limits.parse(["ratio=0"])
