"""Generators of hostile inputs: tar streams byte by byte, images, registries' documents.

Nothing here uses slimline, and nothing uses :mod:`tarfile` for the layers: the point
is to write what a well-behaved writer never would (negative or non-numeric sizes,
lying PAX record lengths, paths thousands of directories deep, truncated streams).

* :func:`header`, :func:`pax`, :func:`member`, :func:`tar` build tar streams;
* :func:`gzip_repeat` builds a gzip stream of a repeated block cheaply (a
  multi-member gzip file, as ``cat a.gz b.gz`` makes), for small decompression bombs;
* :func:`config_doc` is a valid image config for given layers, to be broken by a test;
* :func:`oci_files`, :func:`write_files`, :func:`write_tar`, :func:`legacy_archive`,
  :func:`docker25_archive` lay images out as OCI layouts, ``docker save`` archives of
  Docker >= 25 (OCI plus ``manifest.json``) and of older Docker.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

BLOCK = 512
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = OCI_LAYER + "+gzip"

Json = Any
Edit = Callable[[Json], Json]


# -- tar, byte by byte ---------------------------------------------------------------


def _octal(value: int, width: int) -> bytes:
    return f"{value:0{width - 1}o}".encode() + b"\0"


def _fit(raw: bytes, width: int) -> bytes:
    return raw[:width].ljust(width, b"\0")


def header(
    name: bytes | str,
    size: int = 0,
    typeflag: bytes = b"0",
    *,
    linkname: bytes | str = b"",
    mode: int = 0o644,
    size_field: bytes | None = None,
    bad_checksum: bool = False,
) -> bytes:
    """One ustar header block; ``size_field`` replaces the 12-byte size field verbatim."""
    raw_name = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else name
    raw_link = linkname.encode() if isinstance(linkname, str) else linkname
    prefix = b""
    if len(raw_name) > 100 and b"/" in raw_name[-100:]:
        cut = raw_name.index(b"/", len(raw_name) - 100)
        prefix, raw_name = raw_name[:cut], raw_name[cut + 1:]
    fields = [
        _fit(raw_name, 100), _octal(mode, 8), _octal(0, 8), _octal(0, 8),
        size_field.ljust(12, b"\0")[:12] if size_field is not None else _octal(size, 12),
        _octal(1700000000, 12), b" " * 8, typeflag[:1], _fit(raw_link, 100),
        b"ustar\x0000", _fit(b"root", 32), _fit(b"root", 32), _octal(0, 8), _octal(0, 8),
        _fit(prefix, 155),
    ]  # fmt: skip
    block = bytearray(b"".join(fields).ljust(BLOCK, b"\0"))
    checksum = sum(block) + (1 if bad_checksum else 0)
    block[148:156] = f"{checksum:06o}".encode() + b"\0 "
    return bytes(block)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % BLOCK)


def pax_record(key: str, value: bytes | str) -> bytes:
    """``"%d %s=%s\\n"`` whose length field counts the whole record, as POSIX says."""
    body = key.encode() + b"=" + (value.encode("utf-8", "surrogateescape")
                                  if isinstance(value, str) else value) + b"\n"
    length = len(body) + 2
    while len(str(length).encode()) + 1 + len(body) != length:
        length = len(str(length).encode()) + 1 + len(body)
    return str(length).encode() + b" " + body


def pax(records: dict[str, bytes | str] | bytes, typeflag: bytes = b"x") -> bytes:
    """A PAX extended header (``x``, or ``g`` for global) and its body, padded."""
    body = records if isinstance(records, bytes) else b"".join(
        pax_record(k, v) for k, v in records.items())
    return header("PaxHeaders/entry", len(body), typeflag) + _padded(body)


def member(
    name: bytes | str,
    data: bytes = b"",
    typeflag: bytes = b"0",
    *,
    linkname: bytes | str = b"",
    records: dict[str, bytes | str] | bytes | None = None,
) -> bytes:
    """One tar member (with a PAX header first when ``records`` is given), padded."""
    out = pax(records) if records is not None else b""
    return out + header(name, len(data), typeflag, linkname=linkname) + _padded(data)


def tar(*members: bytes, end: bool = True) -> bytes:
    """Members one after the other, and the two zero blocks that end an archive."""
    return b"".join(members) + (b"\0" * (2 * BLOCK) if end else b"")


def deep_path(depth: int, leaf: str = "f") -> str:
    return "d/" * depth + leaf


# -- compression --------------------------------------------------------------------


def gzip_member(data: bytes) -> bytes:
    return gzip.compress(data, 6, mtime=0)


def gzip_repeat(head: bytes, block: bytes, times: int, tail: bytes = b"") -> bytes:
    """gzip of ``head + block * times + tail`` as a multi-member stream: the repeated
    block is compressed once, so a bomb of hundreds of MiB is made in milliseconds."""
    one = gzip_member(block)
    return gzip_member(head) + one * times + (gzip_member(tail) if tail else b"")


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def hexof(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dumps(doc: Json) -> bytes:
    return json.dumps(doc).encode() if not isinstance(doc, bytes) else doc


# -- images -------------------------------------------------------------------------


def small_layer(*names: str) -> bytes:
    """A valid layer with a directory and a few small files."""
    files = names or ("app/hello.txt",)
    return tar(member("app/", b"", b"5"),
               *(member(n, f"content of {n}\n".encode() * 20) for n in files))


def config_doc(diff_ids: Sequence[str], history: Sequence[str] | None = None) -> Json:
    """A valid image config for layers with these uncompressed digests."""
    steps = history if history is not None else [f"/bin/sh -c step {i}"
                                                 for i in range(len(diff_ids))]
    return {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["sh"], "User": "",
                   "Labels": {"org.example": "x"}, "ExposedPorts": {"80/tcp": {}}},
        "rootfs": {"type": "layers", "diff_ids": list(diff_ids)},
        "history": [{"created_by": s} for s in steps],
    }


def oci_files(
    layers: Sequence[bytes],
    *,
    compress: bool = True,
    config: Json | None = None,
    edit_manifest: Edit | None = None,
    edit_index: Edit | None = None,
    order: Sequence[int] | None = None,
) -> dict[str, bytes]:
    """The files of an OCI layout holding one image (path -> bytes).

    ``order`` lists layer indexes as the manifest and config refer to them (a layer
    may be listed several times); ``config`` is a document or raw bytes.
    """
    blobs = [gzip_member(x) if compress else x for x in layers]
    listed = list(order) if order is not None else list(range(len(layers)))
    config_bytes = dumps(config if config is not None
                         else config_doc([sha(layers[i]) for i in listed]))
    media = OCI_LAYER_GZIP if compress else OCI_LAYER
    manifest: Json = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": sha(config_bytes),
                   "size": len(config_bytes)},
        "layers": [{"mediaType": media, "digest": sha(blobs[i]), "size": len(blobs[i])}
                   for i in listed],
    }
    if edit_manifest is not None:
        manifest = edit_manifest(manifest)
    manifest_bytes = dumps(manifest)
    index: Json = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [{
        "mediaType": OCI_MANIFEST, "digest": sha(manifest_bytes), "size": len(manifest_bytes),
        "annotations": {"org.opencontainers.image.ref.name": "latest"},
    }]}
    if edit_index is not None:
        index = edit_index(index)
    files = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}', "index.json": dumps(index)}
    for blob in [config_bytes, manifest_bytes, *blobs]:
        files["blobs/sha256/" + hexof(blob)] = blob
    return files


def write_files(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def special_file(path: Path, kind: str) -> Path:
    """Make ``path`` a FIFO (``fifo``), a symlink to /dev/zero (``dev-zero``) or a
    directory (``dir``): what must be refused where a regular file is expected."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        assert kind == "dir", kind
        path.mkdir()
    return path


def write_tar(path: Path, files: Iterable[tuple[str, bytes]]) -> Path:
    """An archive of regular files (the outer ``docker save`` tar, not a layer)."""
    path.write_bytes(tar(*(member(name, data) for name, data in files)))
    return path


def docker25_archive(path: Path, layers: Sequence[bytes], **kwargs: Any) -> Path:
    """``docker save`` of Docker >= 25: an OCI layout plus ``manifest.json``."""
    edit_docker: Edit | None = kwargs.pop("edit_docker", None)
    files = oci_files(layers, **kwargs)
    manifest = json.loads(files["blobs/sha256/" + json.loads(files["index.json"])
                                ["manifests"][0]["digest"].split(":")[1]])
    docker: Json = [{
        "Config": "blobs/sha256/" + manifest["config"]["digest"].split(":")[1],
        "RepoTags": ["hostile:latest"],
        "Layers": ["blobs/sha256/" + d["digest"].split(":")[1] for d in manifest["layers"]],
    }]
    if edit_docker is not None:
        docker = edit_docker(docker)
    files["manifest.json"] = dumps(docker)
    blobs = sorted((n, d) for n, d in files.items() if n.startswith("blobs/"))
    docs = sorted((n, d) for n, d in files.items() if not n.startswith("blobs/"))
    return write_tar(path, blobs + docs)


def legacy_archive(
    path: Path,
    layers: Sequence[bytes],
    *,
    config: Json | None = None,
    edit_docker: Edit | None = None,
    layer_name: str = "layer.tar",
    order: Sequence[int] | None = None,
) -> Path:
    """``docker save`` of Docker < 25: ``<id>/layer.tar``, ``<config>.json``, manifest."""
    listed = list(order) if order is not None else list(range(len(layers)))
    files: list[tuple[str, bytes]] = []
    for i, data in enumerate(layers):
        files.append((f"{i:064x}/VERSION", b"1.0"))
        files.append((f"{i:064x}/{layer_name}", data))
    config_bytes = dumps(config if config is not None
                         else config_doc([sha(layers[i]) for i in listed]))
    files.append((hexof(config_bytes) + ".json", config_bytes))
    docker: Json = [{"Config": hexof(config_bytes) + ".json", "RepoTags": ["hostile:latest"],
                     "Layers": [f"{i:064x}/{layer_name}" for i in listed]}]
    if edit_docker is not None:
        docker = edit_docker(docker)
    files.append(("manifest.json", dumps(docker)))
    return write_tar(path, files)


def nested(opening: str, closing: str, depth: int, core: str = "") -> str:
    return opening * depth + core + closing * depth
