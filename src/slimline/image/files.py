"""An image's final file tree, and the contents of a few small files in it.

:func:`final_tree` stacks the layers' scans (headers only) in order and returns
every path of the resulting filesystem, with the whiteout semantics of
:class:`slimline.image.tree.WhiteoutTree` (the tree ``analyze`` stacks too).

:func:`read_final_files` returns the final content of small files chosen by a
predicate (package databases, for example). It knows from the final tree which
layer provides each wanted file, streams only those layers (decompressed on the
fly) and keeps only the wanted members' bytes: nothing is extracted to disk.
Sources that can only be read in one forward pass (the Docker engine, compressed
archives) are streamed again from the start.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

from slimline.errors import ImageError
from slimline.image.limits import Budget, Meter, check_layers
from slimline.image.mediatypes import Compression
from slimline.image.model import Image, Layer
from slimline.image.read import (
    decompressed,
    decompression_errors,
    scan_layer,
    sniff_compression,
    source_key,
)
from slimline.image.streams import (
    CountingReader,
    FileSegment,
    HashingReader,
    PrefixedReader,
    Readable,
    StreamSource,
)
from slimline.image.tarscan import (
    DIR,
    FILE,
    KIND_NAMES,
    Entry,
    LayerScan,
    iter_members,
)
from slimline.image.tree import WhiteoutTree

#: Files larger than this are never read by default.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One path of the final filesystem.

    ``kind`` is one of file, dir, symlink, hardlink, other; ``size`` is the data
    size of regular files (0 for every other kind: a hardlink shares its target's
    data); ``link`` is a symlink's or hardlink's target; ``layer`` the 0-based
    index of the layer that put this version there.
    """

    path: str
    kind: str
    size: int
    link: str
    layer: int


def layer_scans(image: Image) -> Iterator[tuple[Layer, LayerScan]]:
    """Each layer with its scan, scanning (and keeping the scan) where none is kept yet.

    A blob listed twice is read once.
    """
    check_layers(len(image.layers), image.reference)
    budget = Budget()
    seen: dict[tuple[str, ...], LayerScan] = {}
    for layer in image.layers:
        if layer.scan is None:
            key = source_key(layer)
            scan = seen.get(key)
            layer.scan = scan if scan is not None else scan_layer(layer, budget=budget)
            seen[key] = layer.scan
        yield layer, layer.scan


def _node_of(layer: int) -> Callable[[Entry], tuple[int, int, str, int]]:
    """The tree's value for an entry of layer ``layer``: (kind, size, link, layer)."""
    return lambda e: (e[1], e[2] if e[1] == FILE else 0, e[3], layer)


def _is_dir(node: tuple[int, int, str, int]) -> bool:
    return node[0] == DIR


def final_tree(image: Image) -> dict[str, FileInfo]:
    """Every path of the image's final filesystem (absolute path -> :class:`FileInfo`).

    Directories that only appear as parents of other entries (without an entry of
    their own) are not listed.
    """
    tree: WhiteoutTree[tuple[int, int, str, int]] = WhiteoutTree()
    for layer, scan in layer_scans(image):
        tree.stack(scan, _node_of(layer.index), _is_dir)
    return {
        "/" + path: FileInfo("/" + path, KIND_NAMES[kind], size, link, layer)
        for path, (kind, size, link, layer) in tree.nodes.items()
    }


def read_final_files(
    image: Image,
    wanted: Callable[[str], bool],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    tree: dict[str, FileInfo] | None = None,
) -> dict[str, bytes]:
    """The final content of every regular file (or hardlink to one) for which
    ``wanted(absolute_path)`` is true and whose size is at most ``max_bytes``.

    Later layers override earlier ones and deleted files are absent, because the
    layer to read each file from is taken from the final tree (pass ``tree`` when
    it is already computed).
    """
    if tree is None:
        tree = final_tree(image)
    # layer index -> {member path in that layer's tar: final paths it provides}
    plan: dict[int, dict[str, list[str]]] = {}
    for path, info in tree.items():
        if info.kind not in ("file", "hardlink") or not wanted(path):
            continue
        member, source = path[1:], info.layer
        if info.kind == "hardlink":
            # A hardlink shares the data of its target as it was when the link was made:
            # the target's final version, unless a later layer replaced the target.
            target = tree.get("/" + info.link)
            if target is None or target.kind != "file" or target.layer > info.layer:
                continue
            member, source = info.link, target.layer
            if target.size > max_bytes:
                continue
        elif info.size > max_bytes:
            continue
        plan.setdefault(source, {}).setdefault(member, []).append(path)
    if not plan:
        return {}
    out: dict[str, bytes] = {}
    layers = image.layers
    direct = all(
        layers[i].file_range is not None or layers[i].opener is not None for i in plan
    )
    if direct:
        budget = Budget()
        for index, members in sorted(plan.items()):
            found = _read_at(layers[index], set(members), max_bytes)
            if found is not None:
                _deliver(found, members, out)
                continue
            with ExitStack() as stack:
                stream = _open_layer(layers[index], stack, budget)
                found = _capture(stream, set(members), max_bytes, f"layer {index + 1}")
            _deliver(found, members, out)
        return out
    for index, found in _restream(image, plan, max_bytes).items():
        _deliver(found, plan[index], out)
    return out


def _deliver(found: dict[str, bytes], members: dict[str, list[str]],
             out: dict[str, bytes]) -> None:
    for member, data in found.items():
        for path in members.get(member, ()):
            out[path] = data


def _read_at(layer: Layer, members: set[str], max_bytes: int) -> dict[str, bytes] | None:
    """The ``members`` of an uncompressed layer stored in a file, each read with one
    ``pread`` where the layer's scan saw its data; None when the scan did not keep where
    (a compressed or streamed layer)."""
    rng, scan = layer.file_range, layer.scan
    if rng is None or scan is None or scan.data is None:
        return None
    found: dict[str, bytes] = {}
    fd = os.open(rng.path, os.O_RDONLY)
    try:
        for member in members:
            at = scan.data.get(member)
            if at is None or at[1] > max_bytes:
                continue
            start, size = at
            data = os.pread(fd, size, rng.offset + start)
            if len(data) != size or start + size > rng.length:
                raise ImageError(f"layer {layer.index + 1}: {member}: the archive changed "
                                 "while it was read")
            found[member] = data
    finally:
        os.close(fd)
    return found


def _open_layer(layer: Layer, stack: ExitStack, budget: Budget) -> Readable:
    """The layer's uncompressed tar stream, closed with ``stack``.

    An uncompressed layer stored in a file (a ``docker save`` archive, an OCI layout)
    is returned as its :class:`FileSegment`, which :func:`_capture` seeks over the
    data of unwanted members in (reading a 1 GB image's databases took half a second
    when every byte was read).
    """
    if layer.file_range is not None:
        rng = layer.file_range
        fd = os.open(rng.path, os.O_RDONLY)
        stack.callback(os.close, fd)
        raw: Readable = FileSegment(fd, rng.offset, rng.length)
        if sniff_compression(os.pread(fd, 4, rng.offset)) is Compression.NONE:
            return raw
    else:
        raw = stack.enter_context(layer.open_raw())
    return _decompress(raw, stack, budget, f"layer {layer.index + 1}")


def _decompress(raw: Readable, stack: ExitStack, budget: Budget, where: str) -> Readable:
    head = raw.read(4)
    compression = sniff_compression(head)
    counted = CountingReader(PrefixedReader(head, raw))
    stream = decompressed(counted, compression, stack)
    return Meter(stream, budget, where, counted if compression is not Compression.NONE else None)


def _capture(stream: Readable, members: set[str], max_bytes: int, where: str) -> dict[str, bytes]:
    """Read a layer tar stream; return the bytes of the regular-file ``members``.

    A member may occur more than once in a layer tar: the last one wins, as when
    the tar is extracted.
    """
    found: dict[str, bytes] = {}
    source = stream if isinstance(stream, FileSegment) else StreamSource(stream)
    try:
        for member, data in iter_members(source, where=where):
            if member.kind == FILE and member.size <= max_bytes and member.path in members:
                found[member.path] = data.read()
    except decompression_errors() as exc:
        raise ImageError(f"{where}: cannot read the layer's files: {exc}") from None
    return found


_BLOB_NAME = re.compile(r"(?:^|/)blobs/(sha256|sha512)/([0-9a-f]{64,128})$")


def _restream(
    image: Image, plan: dict[int, dict[str, list[str]]], max_bytes: int
) -> dict[int, dict[str, bytes]]:
    """Read the wanted files from a source that must be streamed from its start.

    Each layer of the archive is identified by the digest its name gives (OCI
    layouts); in a legacy ``docker save`` archive, by its length when exactly one
    uncompressed layer of the image has that length, else by the SHA-256 of its
    uncompressed tar, matched to the layers' diff IDs.
    """

    by_digest: dict[str, int] = {}
    for index in plan:
        layer = image.layers[index]
        by_digest[layer.diff_id] = index
        if layer.digest:
            by_digest[layer.digest] = index
    every_member = {m for members in plan.values() for m in members}
    # uncompressed tar length -> layers, to tell legacy ``<id>/layer.tar`` members apart
    by_size: dict[int, list[int]] = {}
    for layer in image.layers:
        if layer.scan is not None and layer.compression is Compression.NONE:
            by_size.setdefault(layer.scan.tar_size, []).append(layer.index)
    results: dict[int, dict[str, bytes]] = {}
    what = image.reference
    budget = Budget()
    with ExitStack() as stack:
        outer = _decompress(stack.enter_context(image.source.open_stream()), stack, Budget(), what)
        for member, data in iter_members(StreamSource(outer), where=what, root="the archive"):
            name, size = member.path, member.size
            if member.kind != FILE or not (name.endswith("layer.tar") or "blobs/" in name):
                continue
            where = f"{what}: {name}"
            named = _BLOB_NAME.search(name)
            with ExitStack() as inner:
                if named is not None:
                    matched = by_digest.get(f"{named.group(1)}:{named.group(2)}")
                    if matched is None:
                        continue
                    index = matched
                    stream = _decompress(data, inner, budget, where)
                    found = _capture(stream, set(plan[index]), max_bytes, where)
                elif len(by_size.get(size, ())) == 1:
                    # the only layer whose tar is this long: no need to hash it
                    only = by_size[size][0]
                    if only not in plan:
                        continue
                    index = only
                    stream = _decompress(data, inner, budget, where)
                    found = _capture(stream, set(plan[index]), max_bytes, where)
                else:
                    hashing = HashingReader(_decompress(data, inner, budget, where))
                    found = _capture(hashing, every_member, max_bytes, where)
                    hashing.drain()
                    hashed = by_digest.get(hashing.digest())
                    if hashed is None:
                        continue
                    index = hashed
                    found = {k: v for k, v in found.items() if k in plan[index]}
            results[index] = found
    return results
