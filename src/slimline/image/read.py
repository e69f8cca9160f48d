"""Reading layers: decompression, digest checks, parallel scanning.

Each layer is scanned in its own worker thread; gzip (ISA-L, with the standard
library as fallback), zstd and SHA-256 all release the GIL, so layers really are
decompressed in parallel while the scanner walks the headers. Results come back in
layer order as soon as they are ready, and only headers are kept, so memory stays
bounded whatever the image size. A blob listed several times is read once, and
decompressed bytes are counted against the limits of :mod:`slimline.image.limits`.
"""

from __future__ import annotations

import gzip
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from typing import BinaryIO, Protocol, cast

from slimline.errors import ImageError
from slimline.image.limits import Budget, Meter, check_layers
from slimline.image.mediatypes import Compression
from slimline.image.model import Image, Layer
from slimline.image.streams import (
    CountingReader,
    DigestReader,
    FileSegment,
    PrefixedReader,
    Readable,
    StreamSource,
    readinto_of,
)
from slimline.image.tarscan import LayerScan, scan_tar


def _gzip_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError, EOFError, zlib.error]
    try:
        from isal import isal_zlib

        errors.append(cast(type[BaseException], isal_zlib.error))
    except ImportError:  # pragma: no cover - isal is a declared dependency
        pass
    return tuple(errors)


GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class ProgressSink(Protocol):
    """Receives progress while layers are read; called from worker threads."""

    def start(self, total_bytes: int, layers: int) -> None: ...

    def advance(self, nbytes: int) -> None: ...

    def layer_done(self, index: int) -> None: ...


def sniff_compression(head: bytes) -> Compression:
    """Tell the compression of a blob from its first bytes."""
    if head.startswith(GZIP_MAGIC):
        return Compression.GZIP
    if head.startswith(ZSTD_MAGIC):
        return Compression.ZSTD
    return Compression.NONE


def decompressed(raw: Readable, compression: Compression, stack: ExitStack) -> Readable:
    """Wrap ``raw`` in a streaming decompressor registered on ``stack``.

    gzip uses ISA-L's inflate (2-3x zlib) in its own thread when available.
    """
    fileobj = cast(BinaryIO, raw)
    if compression is Compression.GZIP:
        try:
            from isal import igzip_threaded
        except ImportError:  # pragma: no cover - isal is a declared dependency
            return stack.enter_context(gzip.GzipFile(fileobj=fileobj, mode="rb"))
        opened = igzip_threaded.open(fileobj, "rb", threads=1)  # type: ignore[no-untyped-call]
        return cast(Readable, stack.enter_context(opened))
    if compression is Compression.ZSTD:
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(
            fileobj, read_size=1 << 20, read_across_frames=True, closefd=False
        )
        return stack.enter_context(reader)
    return raw


def decompression_errors() -> tuple[type[BaseException], ...]:
    try:
        import zstandard
    except ImportError:  # pragma: no cover
        return _gzip_errors()
    return (*_gzip_errors(), zstandard.ZstdError)


class _Cancellable:
    """A stream that stops with an error once ``event`` is set (another layer failed)."""

    def __init__(self, stream: Readable, event: threading.Event) -> None:
        self._stream = stream
        self._readinto = readinto_of(stream)
        self._event = event

    def _check(self) -> None:
        if self._event.is_set():
            raise ImageError("cancelled")

    def read(self, n: int = -1, /) -> bytes:
        self._check()
        return self._stream.read(n)

    def readinto(self, view: memoryview, /) -> int:
        self._check()
        return self._readinto(view)

    def readable(self) -> bool:
        return True


def scan_layer(
    layer: Layer,
    *,
    verify_all: bool = False,
    progress: ProgressSink | None = None,
    cancel: threading.Event | None = None,
    budget: Budget | None = None,
) -> LayerScan:
    """Scan one layer's tar stream and return its entries.

    Blob digests are checked whenever the blob is streamed (compressed or remote
    blobs); a compressed blob without a known digest (a legacy ``docker save``
    archive's ``layer.tar``) is checked against its diff ID instead. With
    ``verify_all`` uncompressed local blobs are read in full and checked too, and
    so is every diff ID. Setting ``cancel`` makes a streamed read stop early.
    Decompressed bytes are counted against ``budget`` (the image's total-bytes
    limit) and the ratio limit.
    """
    if layer.scan is not None:
        return layer.scan
    where = f"layer {layer.index + 1} ({_short(layer.digest or layer.diff_id)})"
    advance = progress.advance if progress is not None else None
    rng = layer.file_range
    compression = layer.compression
    if rng is not None and not verify_all:
        fd = os.open(rng.path, os.O_RDONLY)
        try:
            if compression is None:
                compression = sniff_compression(os.pread(fd, 4, rng.offset))
                layer.compression = compression
            if compression is Compression.NONE:
                if layer.size is not None and layer.size != rng.length:
                    raise ImageError(
                        f"{where}: size mismatch: expected {layer.size} bytes, got {rng.length}"
                    )
                scan = scan_tar(FileSegment(fd, rng.offset, rng.length), where=where,
                                seekable=True)
                if scan.tar_size != rng.length:
                    raise ImageError(f"{where}: data after the end of the tar stream")
                if advance is not None:
                    advance(rng.length)
                return scan
        finally:
            os.close(fd)
    return _scan_streamed(layer, compression, where, verify_all, advance, cancel,
                          budget or Budget())


def _scan_streamed(
    layer: Layer,
    compression: Compression | None,
    where: str,
    verify_all: bool,
    advance: Callable[[int], None] | None,
    cancel: threading.Event | None,
    budget: Budget,
) -> LayerScan:
    with ExitStack() as stack:
        if layer.file_range is not None:
            rng = layer.file_range
            fd = os.open(rng.path, os.O_RDONLY)
            stack.callback(os.close, fd)
            raw: Readable = FileSegment(fd, rng.offset, rng.length)
        else:
            raw = stack.enter_context(layer.open_raw())
        if cancel is not None:
            raw = _Cancellable(raw, cancel)
        raw = counted = CountingReader(raw, advance)
        if compression is None:
            head = raw.read(4)
            compression = sniff_compression(head)
            layer.compression = compression
            raw = PrefixedReader(head, raw)
        expected = layer.digest
        if expected is None and verify_all and compression is Compression.NONE:
            expected = layer.diff_id
        checker: DigestReader | None = None
        if expected is not None:
            checker = DigestReader(raw, expected, size=layer.size, what=where)
            raw = checker
        failure: BaseException | None = None
        scan: LayerScan | None = None
        catch: tuple[type[BaseException], ...] = (*decompression_errors(), ImageError)
        with ExitStack() as inflating:  # closed (its thread stopped) before any drain
            tar_stream: Readable = Meter(
                decompressed(raw, compression, inflating), budget, where,
                counted if compression is not Compression.NONE else None,
            )
            diff_checker: DigestReader | None = None
            if (verify_all or expected is None) and compression is not Compression.NONE:
                diff_checker = DigestReader(tar_stream, layer.diff_id, size=None,
                                            what=f"{where} (uncompressed)")
                tar_stream = diff_checker
            try:
                scan = scan_tar(StreamSource(tar_stream), where=where)
                if diff_checker is not None:
                    diff_checker.verify()
            except catch as exc:
                failure = exc
        # A corrupt blob usually shows up as bad compressed data or a bad tar header
        # before its end: when its digest is wrong too, say that, it is the cause.
        if checker is not None:
            checker.verify()
        if isinstance(failure, ImageError):
            raise failure
        if failure is not None:
            raise ImageError(f"{where}: cannot decompress {compression.value} data: "
                             f"{failure}") from None
        assert scan is not None
        return scan


def _short(digest: str) -> str:
    return digest.partition(":")[2][:12] or digest


def default_workers() -> int:
    """Worker threads for layer reading: one per CPU (at least two)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 2
    return max(2, cpus)


def source_key(layer: Layer) -> tuple[str, ...]:
    """What identifies the bytes of a layer: a layer listed twice is read once."""
    rng = layer.file_range
    if rng is not None:
        return ("range", rng.path, str(rng.offset), str(rng.length))
    if layer.digest is not None:
        return ("digest", layer.digest)
    return ("diff", layer.diff_id)


def iter_layer_scans(
    image: Image,
    *,
    verify_all: bool = False,
    workers: int | None = None,
    progress: ProgressSink | None = None,
) -> Iterator[tuple[Layer, LayerScan]]:
    """Yield ``(layer, scan)`` in layer order, scanning layers in parallel threads.

    At most ``workers`` layers are in flight; a finished layer waits only for the
    layers below it. A layer whose bytes were already read (the same blob listed
    twice in a manifest) is not read again. The first error cancels the rest and
    is raised.
    """
    layers = image.layers
    check_layers(len(layers), image.reference)
    wanted: dict[tuple[str, ...], int] = {}  # source -> layers still to yield from it
    todo: list[Layer] = []
    for layer in layers:
        if layer.scan is None:
            key = source_key(layer)
            if key not in wanted:
                todo.append(layer)
            wanted[key] = wanted.get(key, 0) + 1
    if progress is not None and todo:
        total = sum(_progress_size(layer) for layer in todo)
        progress.start(total, len(layers))
    if not todo:
        for layer in layers:
            assert layer.scan is not None
            yield layer, layer.scan
        return
    workers = max(1, min(workers or default_workers(), len(todo)))
    done: dict[tuple[str, ...], LayerScan] = {}
    cancel = threading.Event()
    budget = Budget()

    def job(layer: Layer) -> LayerScan:
        if cancel.is_set():
            raise ImageError("cancelled")
        return scan_layer(layer, verify_all=verify_all, progress=progress, cancel=cancel,
                          budget=budget)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slimline-layer") as pool:
        pending: dict[Future[LayerScan], Layer] = {}
        queue = list(reversed(todo))
        next_index = 0
        try:
            while next_index < len(layers):
                layer_at = layers[next_index]
                scan = layer_at.scan
                if scan is None:
                    key = source_key(layer_at)
                    scan = done.get(key)
                    if scan is not None:
                        wanted[key] -= 1
                        if not wanted[key]:
                            del done[key]
                if scan is not None:
                    if progress is not None:
                        progress.layer_done(layer_at.index)
                    yield layer_at, scan
                    next_index += 1
                    continue
                # Keep the pool busy, but never run too far ahead of the merge.
                while queue and len(pending) < workers:
                    nxt = queue.pop()
                    pending[pool.submit(job, nxt)] = nxt
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    lay = pending.pop(fut)
                    done[source_key(lay)] = fut.result()
        finally:
            cancel.set()
            for fut in pending:
                fut.cancel()


def _progress_size(layer: Layer) -> int:
    if layer.scan is not None:
        return 0
    if layer.file_range is not None:
        return layer.file_range.length
    return layer.size or 0
