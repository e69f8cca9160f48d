"""Tar archives of images: ``docker-archive:`` and ``oci-archive:``, and ``docker save``.

A plain (uncompressed) archive on disk is indexed once; each blob is then a byte
range of the archive file, so layers are read in parallel and uncompressed layers
are scanned by seeking over file data. A compressed archive, or the stream of
``docker save`` from the Engine API, is read in one forward pass instead: layers
are scanned as they stream by, and the small JSON documents are kept until the
manifest says which layer is which.

Both layouts ``docker save`` has produced are understood: the legacy one
(``manifest.json``, ``<id>.json``, ``<id>/layer.tar``) and the OCI layout Docker
25 and later writes (``index.json``, ``blobs/sha256/...``, plus ``manifest.json``).

Archives are read with the same tar reader as layers
(:func:`slimline.image.tarscan.iter_members`), under the same limits.
Member names and symlinks inside an archive are resolved within the archive only:
a ``..`` that climbs out of it, or an absolute symlink, is an error, and nothing is
ever extracted.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slimline.errors import ImageError
from slimline.image import mediatypes as mt
from slimline.image.limits import Budget, Meter, current, exceeded
from slimline.image.model import (
    Descriptor,
    FileRange,
    Image,
    ImageConfig,
    ImageSource,
    Layer,
    Platform,
    check_digest,
    load_json,
)
from slimline.image.read import (
    ProgressSink,
    decompressed,
    decompression_errors,
    sniff_compression,
)
from slimline.image.resolve import (
    MAX_DOCUMENT_SIZE,
    FetchBlob,
    MakeLayer,
    Resolved,
    build_from_manifest,
    display_name,
    resolve_index_chain,
    select_from_index,
)
from slimline.image.streams import (
    CountingReader,
    DigestReader,
    FileSegment,
    HashingReader,
    PrefixedReader,
    Readable,
    StreamSource,
    verify_bytes,
)
from slimline.image.tarscan import (
    FILE,
    HARDLINK,
    SYMLINK,
    LayerScan,
    Member,
    MemberData,
    iter_members,
    normalize_member_name,
    read_full,
    scan_tar,
)

_BLOCK = 512

#: Makes the source of an image read from an archive, given what the archive holds
#: (True: an OCI layout, ``index.json``; False: ``docker save``'s ``manifest.json``).
SourceFor = Callable[[bool], ImageSource]


@dataclass
class ArchiveIndex:
    """The members of a plain tar archive, by normalised name (data offsets are
    offsets in the archive file)."""

    path: str
    members: dict[str, Member] = field(default_factory=dict)

    def resolve(self, name: str, what: str) -> Member:
        """The regular-file member called ``name``, following links inside the archive."""
        name_now = _clean_archive_name(name, what)
        for _ in range(16):
            member = self.members.get(name_now)
            if member is None:
                raise ImageError(f"{what}: {name!r} is missing from the archive")
            if member.kind == FILE:
                return member
            if member.kind == SYMLINK:
                name_now = _follow_link(name_now, member.link, what)
            elif member.kind == HARDLINK:
                name_now = _clean_archive_name(member.link, what)
            else:
                raise ImageError(f"{what}: {name!r} is not a file in the archive")
        raise ImageError(f"{what}: too many levels of links at {name!r}")

    def read(self, name: str, what: str, limit: int = MAX_DOCUMENT_SIZE) -> bytes:
        member = self.resolve(name, what)
        if member.size > limit:
            raise ImageError(f"{what}: {name!r} is too large ({member.size} bytes)")
        with Path(self.path).open("rb") as fh:
            fh.seek(member.offset)
            data = fh.read(member.size)
        if len(data) != member.size:
            raise ImageError(f"{what}: truncated archive (member {name!r})")
        return data

    def range(self, name: str, what: str) -> FileRange:
        member = self.resolve(name, what)
        return FileRange(self.path, member.offset, member.size)


def _clean_archive_name(name: str, what: str) -> str:
    if name.startswith("/"):
        raise ImageError(f"{what}: absolute path {name!r} in the archive")
    try:
        return normalize_member_name(name, what)
    except ImageError:
        raise ImageError(f"{what}: {name!r} points outside the archive") from None


def _follow_link(member: str, target: str, what: str) -> str:
    if target.startswith("/"):
        raise ImageError(f"{what}: absolute symlink {member!r} -> {target!r} in the archive")
    joined = posixpath.join(posixpath.dirname(member), target)
    return _clean_archive_name(joined, what)


def index_archive(path: str, what: str) -> ArchiveIndex:
    """Index a plain tar archive's members without reading their data."""
    index = ArchiveIndex(path)
    size = Path(path).stat().st_size
    fd = os.open(path, os.O_RDONLY)
    try:
        for member, _data in iter_members(FileSegment(fd, 0, size), where=what,
                                          root="the archive"):
            index.members[member.path] = member
    finally:
        os.close(fd)
    return index


def is_plain_tar(path: str) -> bool:
    """True unless the file starts with gzip or zstd magic."""
    with Path(path).open("rb") as fh:
        head = fh.read(4)
    return sniff_compression(head) is mt.Compression.NONE


# --- documents of an archive -------------------------------------------------------


def _blob_name(digest: str) -> str:
    algorithm, _, hexdigest = digest.partition(":")
    return f"blobs/{algorithm}/{hexdigest}"


def _digest_of_name(name: str) -> str | None:
    parts = name.split("/")
    if len(parts) == 3 and parts[0] == "blobs":
        digest = f"{parts[1]}:{parts[2]}"
        try:
            check_digest(digest, name)
        except ImageError:
            return None
        return digest
    return None


def select_docker_manifest(entries: Any, ref: str | None, what: str) -> dict[str, Any]:
    """Choose one image from a ``manifest.json`` list (``ref`` is a tag or ``@N``)."""
    if not isinstance(entries, list) or not entries:
        raise ImageError(f"{what}: manifest.json lists no images")
    from slimline.image.documents import Fields

    for i, entry in enumerate(entries):  # typed before any use: see image/documents.py
        fields = Fields(entry, f"{what} (manifest.json)", f"[{i}].")
        fields.string("Config")
        fields.strings("Layers")
        fields.strings("RepoTags")
    if ref is not None and ref.startswith("@"):
        try:
            pick = int(ref[1:])
        except ValueError:
            raise ImageError(f"{what}: invalid image index {ref!r}") from None
        if not 0 <= pick < len(entries):
            raise ImageError(f"{what}: image index {ref!r} out of range (0-{len(entries) - 1})")
        chosen = entries[pick]
    elif ref is not None:
        matches = [e for e in entries if isinstance(e, dict)
                   and any(_same_tag(t, ref) for t in e.get("RepoTags") or [])]
        if not matches:
            tags = sorted({t for e in entries if isinstance(e, dict)
                           for t in e.get("RepoTags") or []})
            have = ", ".join(tags) or "none"
            raise ImageError(f"{what}: no image tagged {ref!r} (it has: {have})")
        chosen = matches[0]
    elif len(entries) == 1:
        chosen = entries[0]
    else:
        raise ImageError(
            f"{what}: the archive holds {len(entries)} images; name one as PATH:NAME:TAG or PATH:@N"
        )
    if not isinstance(chosen, dict) or not isinstance(chosen.get("Config"), str) \
            or not isinstance(chosen.get("Layers"), list):
        raise ImageError(f"{what}: malformed manifest.json entry")
    return chosen


def _same_tag(tag: str, ref: str) -> bool:
    def norm(t: str) -> str:
        for prefix in ("docker.io/library/", "docker.io/", "library/"):
            if t.startswith(prefix):
                t = t[len(prefix):]
        return t if ":" in t.rpartition("/")[2] else f"{t}:latest"

    return norm(tag) == norm(ref)


def config_from_bytes(data: bytes, name: str, what: str) -> ImageConfig:
    """Parse a config found at archive path ``name``, checking the digest it implies."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    named = _digest_of_name(name)
    if named is None:
        base = posixpath.basename(name)
        if base.endswith(".json") and len(base) == 69:
            named = "sha256:" + base[:-5]
    if named is not None and named != digest:
        raise ImageError(f"{what}: digest mismatch for config {name}: got {digest}")
    return ImageConfig.parse(data, digest, what)


# --- random access: plain archive files --------------------------------------------


def open_archive(
    path: str,
    ref: str | None,
    platform: Platform | None,
    reference: str,
    *,
    what: str,
    oci_only: bool,
    source: SourceFor,
) -> Image:
    """Open the image archive (a plain tar file) at ``path``.

    ``docker save``'s ``manifest.json`` is read first unless ``oci_only``; ``source``
    makes the image's source from what the archive turned out to hold.
    """
    if not Path(path).is_file():
        raise ImageError(f"{what}: no such file")
    index = index_archive(path, what)
    if not oci_only and "manifest.json" in index.members:
        return _docker_archive(index, ref, what, reference, source(False))
    if "index.json" in index.members:
        return _oci_in_archive(index, ref, platform, source(True), what, reference)
    if "manifest.json" in index.members:
        return _docker_archive(index, ref, what, reference, source(False))
    raise ImageError(f"{what}: neither manifest.json nor index.json found: not an image archive")


def _docker_archive(
    index: ArchiveIndex, ref: str | None, what: str, reference: str, source: ImageSource
) -> Image:
    entries = load_json(index.read("manifest.json", what), f"{what} (manifest.json)")
    chosen = select_docker_manifest(entries, ref, what)
    config_name = chosen["Config"]
    config = config_from_bytes(index.read(config_name, what), config_name, what)
    layer_names = [str(n) for n in chosen["Layers"]]
    if len(layer_names) != len(config.diff_ids):
        raise ImageError(
            f"{what}: manifest.json lists {len(layer_names)} layers but the config has "
            f"{len(config.diff_ids)} diff IDs"
        )
    layers = []
    for i, name in enumerate(layer_names):
        rng = index.range(name, what)
        digest = _digest_of_name(_clean_archive_name(name, what))
        layers.append(
            Layer(
                index=i,
                diff_id=config.diff_ids[i],
                media_type="",
                compression=None,
                digest=digest,
                size=rng.length,
                file_range=rng,
            )
        )
    tags = chosen.get("RepoTags") or []
    name = str(tags[0]) if tags else reference
    return Image(reference, source, name, config, layers)


def _oci_in_archive(
    index: ArchiveIndex,
    ref: str | None,
    platform: Platform | None,
    source: ImageSource,
    what: str,
    reference: str,
) -> Image:
    def fetch(desc: Descriptor, label: str) -> bytes:
        data = index.read(_blob_name(desc.digest), label)
        verify_bytes(data, desc.digest, what=label, size=desc.size)
        return data

    def make_layer(i: int, desc: Descriptor, diff_id: str) -> Layer:
        return Layer.from_descriptor(i, desc, diff_id,
                                     file_range=index.range(_blob_name(desc.digest), what))

    top = load_json(index.read("index.json", what), f"{what} (index.json)")
    chosen = select_from_index(top, platform, f"{what} (index.json)", ref)
    resolved = _resolve(chosen, fetch, make_layer, platform, what)
    name = display_name(chosen, reference)
    return Image(
        reference,
        source,
        name,
        resolved.config,
        resolved.layers,
        manifest_digest=resolved.manifest.digest,
        manifest_media_type=resolved.manifest.media_type or None,
    )


def _resolve(
    chosen: Descriptor,
    fetch: FetchBlob,
    make_layer: MakeLayer,
    platform: Platform | None,
    what: str,
) -> Resolved:
    manifest_desc, manifest = resolve_index_chain(chosen, fetch, platform, what)
    return build_from_manifest(manifest_desc, manifest, fetch, make_layer, what)


# --- one forward pass: compressed archives and the Engine API stream ---------------


@dataclass
class _StreamedLayer:
    scan: LayerScan
    compression: mt.Compression
    raw_size: int
    diff_digest: str | None  # sha256 of the uncompressed tar, when it was computed


def read_archive_stream(
    stream: Readable,
    *,
    ref: str | None,
    platform: Platform | None,
    oci_only: bool,
    source: SourceFor,
    reference: str,
    what: str,
    verify_all: bool = False,
    progress: ProgressSink | None = None,
    total_hint: int = 0,
) -> Image:
    """Read an image archive in one forward pass, scanning layers on the way.

    ``oci_only`` and ``source`` are as for :func:`open_archive`.
    """
    if progress is not None:
        progress.start(total_hint, 0)
        stream = CountingReader(stream, progress.advance)
    limits = current()
    documents: dict[str, bytes] = {}
    kept = 0  # bytes of documents kept
    scans: dict[str, _StreamedLayer] = {}
    links: dict[str, str] = {}
    budget = Budget(limits)
    for member, data in iter_members(StreamSource(stream), where=what, limits=limits,
                                     root="the archive"):
        name, kind, size = member.path, member.kind, member.size
        if kind in (SYMLINK, HARDLINK):
            links[name] = (
                _follow_link(name, member.link, what) if kind == SYMLINK
                else _clean_archive_name(member.link, what)
            )
            continue
        if kind != FILE:
            continue
        head = _read_head(data)
        compression = sniff_compression(head)
        looks_tar = len(head) == _BLOCK and (
            head[257:262] == b"ustar" or head == bytes(_BLOCK)
        )
        is_layer_name = name.endswith("layer.tar") or name.startswith("blobs/")
        if compression is not mt.Compression.NONE or (looks_tar and is_layer_name):
            if name not in scans:
                scans[name] = _scan_member(PrefixedReader(head, data), compression, name, size,
                                           what, verify_all, budget)
            if progress is not None:
                progress.layer_done(len(scans) - 1)
        elif head.lstrip()[:1] in (b"{", b"[") and size <= MAX_DOCUMENT_SIZE:
            kept += size
            if kept > limits.documents:
                raise exceeded(what, "the archive holds too many bytes of JSON documents",
                               "documents", limits.documents)
            documents[name] = head + data.read()
    return _assemble_streamed(
        documents, scans, links, ref, platform, oci_only, source, reference, what, verify_all
    )


def _read_head(data: MemberData) -> bytes:
    head = bytearray(_BLOCK)
    return bytes(head[: read_full(data, memoryview(head))])


def _scan_member(
    data: Readable,
    compression: mt.Compression,
    name: str,
    size: int,
    what: str,
    verify_all: bool,
    budget: Budget,
) -> _StreamedLayer:
    where = f"{what}: {name}"
    named = _digest_of_name(name)
    # Compressed blobs are checked against the digest their name gives as they pass
    # by (cheap next to inflating them), or, without one (a legacy ``layer.tar``),
    # against the diff ID once the manifest has been read; uncompressed ones only
    # when asked, against the diff ID.
    blob_check: DigestReader | None = None
    blob_hash: HashingReader | None = None
    if named is not None and (compression is not mt.Compression.NONE or verify_all):
        blob_check = DigestReader(data, named, size=size, what=where)
        data = blob_check
    elif verify_all:
        blob_hash = HashingReader(data)
        data = blob_hash
    tar_hash: HashingReader | None = None
    compressed = compression is not mt.Compression.NONE
    with ExitStack() as stack:
        counted = CountingReader(data)
        stream: Readable = Meter(decompressed(counted, compression, stack), budget, where,
                                 counted if compressed else None)
        if compressed and (verify_all or named is None):
            tar_hash = HashingReader(stream)
            stream = tar_hash
        try:
            scan = scan_tar(StreamSource(stream), where=where)
            if tar_hash is not None:
                tar_hash.drain()
        except decompression_errors() as exc:
            raise ImageError(f"{where}: cannot decompress {compression.value} data: {exc}") \
                from None
    if blob_check is not None:
        blob_check.verify()
    uncompressed: str | None = None
    if tar_hash is not None:
        uncompressed = tar_hash.digest()
    elif blob_check is not None and compression is mt.Compression.NONE:
        uncompressed = named
    elif blob_hash is not None:
        blob_hash.drain()
        uncompressed = blob_hash.digest()
    return _StreamedLayer(scan, compression, size, uncompressed)


def _assemble_streamed(
    documents: dict[str, bytes],
    scans: dict[str, _StreamedLayer],
    links: dict[str, str],
    ref: str | None,
    platform: Platform | None,
    oci_only: bool,
    source: SourceFor,
    reference: str,
    what: str,
    verify_all: bool,
) -> Image:
    def follow(name: str) -> str:
        current = _clean_archive_name(name, what)
        for _ in range(16):
            if current in links:
                current = links[current]
            else:
                return current
        raise ImageError(f"{what}: too many levels of links at {name!r}")

    def document(name: str, label: str) -> bytes:
        real = follow(name)
        if real not in documents:
            raise ImageError(f"{label}: {name!r} is missing from the archive")
        return documents[real]

    def layer_at(i: int, name: str, diff_id: str, media_type: str) -> Layer:
        real = follow(name)
        streamed = scans.get(real)
        if streamed is None:
            raise ImageError(f"{what}: layer {name!r} is missing from the archive")
        if streamed.diff_digest is not None and streamed.diff_digest != diff_id:
            raise ImageError(
                f"{what}: layer {i + 1} digest mismatch: expected diff ID {diff_id}, "
                f"got {streamed.diff_digest}"
            )
        return Layer(
            index=i,
            diff_id=diff_id,
            media_type=media_type,
            compression=streamed.compression,
            digest=_digest_of_name(real),
            size=streamed.raw_size,
            scan=streamed.scan,
        )

    if "manifest.json" in documents and not oci_only:
        entries = load_json(documents["manifest.json"], f"{what} (manifest.json)")
        chosen = select_docker_manifest(entries, ref, what)
        config_name = str(chosen["Config"])
        config = config_from_bytes(document(config_name, what), follow(config_name), what)
        names = [str(n) for n in chosen["Layers"]]
        if len(names) != len(config.diff_ids):
            raise ImageError(
                f"{what}: manifest.json lists {len(names)} layers but the config has "
                f"{len(config.diff_ids)} diff IDs"
            )
        layers = [layer_at(i, n, config.diff_ids[i], "") for i, n in enumerate(names)]
        tags = chosen.get("RepoTags") or []
        return Image(reference, source(False), str(tags[0]) if tags else reference, config,
                     layers)

    if "index.json" not in documents:
        raise ImageError(f"{what}: no manifest.json or index.json: not an image archive")

    def fetch(desc: Descriptor, label: str) -> bytes:
        data = document(_blob_name(desc.digest), label)
        verify_bytes(data, desc.digest, what=label, size=desc.size)
        return data

    def make_layer(i: int, desc: Descriptor, diff_id: str) -> Layer:
        layer = layer_at(i, _blob_name(desc.digest), diff_id, desc.media_type)
        if layer.size != desc.size:
            raise ImageError(
                f"{what}: layer {i + 1} size mismatch: expected {desc.size}, got {layer.size}"
            )
        return layer

    top = load_json(documents["index.json"], f"{what} (index.json)")
    chosen_desc = select_from_index(top, platform, f"{what} (index.json)", ref)
    resolved = _resolve(chosen_desc, fetch, make_layer, platform, what)
    name = display_name(chosen_desc, reference)
    return Image(
        reference,
        source(True),
        name,
        resolved.config,
        resolved.layers,
        manifest_digest=resolved.manifest.digest,
        manifest_media_type=resolved.manifest.media_type or None,
    )


def open_compressed_archive(
    path: str,
    ref: str | None,
    platform: Platform | None,
    reference: str,
    *,
    what: str,
    oci_only: bool,
    source: SourceFor,
    verify_all: bool = False,
    progress: ProgressSink | None = None,
) -> Image:
    """Open a gzip- or zstd-compressed image archive in one forward pass (``what``,
    ``oci_only`` and ``source`` as for :func:`open_archive`)."""
    if not Path(path).is_file():
        raise ImageError(f"{what}: no such file")
    size = Path(path).stat().st_size
    with Path(path).open("rb") as fh, ExitStack() as stack:
        head = fh.read(4)
        fh.seek(0)
        if progress is not None:
            progress.start(size, 0)
        counted = CountingReader(fh, progress.advance if progress is not None else None)
        stream = Meter(decompressed(counted, sniff_compression(head), stack), Budget(), what,
                       counted)
        try:
            return read_archive_stream(
                stream, ref=ref, platform=platform, oci_only=oci_only, source=source,
                reference=reference, what=what, verify_all=verify_all,
            )
        except decompression_errors() as exc:
            raise ImageError(f"{what}: cannot decompress the archive: {exc}") from None
