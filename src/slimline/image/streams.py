"""Byte streams for image reading: file segments, forward-only streams, counting,
hashing and digest-checking readers.

Every reader here offers ``readinto`` (the scanner fills one reused buffer) and
``read``; :func:`readinto_of` adapts any stream that has only ``read``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from typing import Protocol

from slimline.errors import ImageError

_SKIP_CHUNK = 1024 * 1024


class Readable(Protocol):
    """Anything with a ``read(n)`` method returning bytes (``readinto`` is used if present)."""

    def read(self, n: int = -1, /) -> bytes: ...


def readinto_of(stream: Readable) -> Callable[[memoryview], int]:
    """``stream.readinto``, or an equivalent built on ``stream.read``."""
    inner: Callable[[memoryview], int | None] | None = getattr(stream, "readinto", None)
    if inner is not None:
        call = inner

        def readinto(view: memoryview, /) -> int:
            return call(view) or 0

        return readinto

    def via_read(view: memoryview, /) -> int:
        data = stream.read(len(view))
        view[: len(data)] = data
        return len(data)

    return via_read


def read_via(readinto: Callable[[memoryview], int], n: int = -1) -> bytes:
    """``read(n)`` built on ``readinto``: like a raw file's ``read``, one call returns
    at most ``n`` bytes (and at most 1 MiB); ``n < 0`` reads to the end."""
    if n >= 0:
        buf = bytearray(min(n, _SKIP_CHUNK))
        got = readinto(memoryview(buf)) if n else 0
        return bytes(buf[:got])
    parts: list[bytes] = []
    scratch = bytearray(_SKIP_CHUNK)
    while True:
        step = readinto(memoryview(scratch))
        if not step:
            return b"".join(parts)
        parts.append(bytes(scratch[:step]))


class FileSegment:
    """A byte range of a file, read with ``pread``; skipping costs no I/O.

    Used for uncompressed layers stored in a plain tar archive or an OCI layout, so
    that the scanner seeks over file data instead of reading it.
    """

    def __init__(self, fd: int, start: int, length: int) -> None:
        self._fd = fd
        self._pos = start
        self._end = start + length

    def read(self, n: int = -1, /) -> bytes:
        left = self._end - self._pos
        if n < 0 or n > left:
            n = left
        if n <= 0:
            return b""
        data = os.pread(self._fd, n, self._pos)
        self._pos += len(data)
        return data

    def skip(self, n: int, /) -> int:
        step = min(n, self._end - self._pos)
        self._pos += step
        return step

    def readinto(self, view: memoryview, /) -> int:
        left = self._end - self._pos
        if left <= 0:
            return 0
        if len(view) > left:
            view = view[:left]
        got = os.preadv(self._fd, [view], self._pos)
        self._pos += got
        return got


class StreamSource:
    """A forward-only stream; skipping reads into a scratch buffer and discards."""

    def __init__(self, stream: Readable) -> None:
        self._stream = stream
        self.readinto = readinto_of(stream)
        self._scratch: memoryview | None = None

    def read(self, n: int = -1, /) -> bytes:
        return self._stream.read(n)

    def skip(self, n: int, /) -> int:
        if self._scratch is None:
            self._scratch = memoryview(bytearray(_SKIP_CHUNK))
        scratch = self._scratch
        done = 0
        while done < n:
            want = n - done
            got = self.readinto(scratch if want >= _SKIP_CHUNK else scratch[:want])
            if not got:
                break
            done += got
        return done


class PrefixedReader:
    """A stream with some already-read bytes put back in front of it."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = head
        self._stream = stream
        self._readinto = readinto_of(stream)

    def read(self, n: int = -1, /) -> bytes:
        if self._head:
            if n < 0:
                data = self._head + self._stream.read()
                self._head = b""
                return data
            data, self._head = self._head[:n], self._head[n:]
            return data
        return self._stream.read(n)

    def readinto(self, view: memoryview, /) -> int:
        if self._head:
            got = min(len(view), len(self._head))
            view[:got] = self._head[:got]
            self._head = self._head[got:]
            return got
        return self._readinto(view)

    def readable(self) -> bool:
        return True


class ChunkStream:
    """A readable view of an iterator of byte chunks (an HTTP response body)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._current = b""
        self._pos = 0

    def _next(self) -> bool:
        for chunk in self._chunks:
            if chunk:
                self._current = chunk
                self._pos = 0
                return True
        return False

    def readinto(self, view: memoryview, /) -> int:
        if self._pos >= len(self._current) and not self._next():
            return 0
        got = min(len(view), len(self._current) - self._pos)
        view[:got] = self._current[self._pos : self._pos + got]
        self._pos += got
        return got

    def read(self, n: int = -1, /) -> bytes:
        if n < 0:
            return read_via(self.readinto)
        if self._pos >= len(self._current) and not self._next():
            return b""
        data = self._current[self._pos : self._pos + n]
        self._pos += len(data)
        return data

    def readable(self) -> bool:
        return True


class CountingReader:
    """Counts the bytes read through it and reports them to a callback."""

    def __init__(self, stream: Readable, on_bytes: Callable[[int], None] | None = None) -> None:
        self._stream = stream
        self._readinto = readinto_of(stream)
        self._on_bytes = on_bytes
        self.count = 0

    def read(self, n: int = -1, /) -> bytes:
        data = self._stream.read(n)
        self._counted(len(data))
        return data

    def readinto(self, view: memoryview, /) -> int:
        got = self._readinto(view)
        self._counted(got)
        return got

    def _counted(self, got: int) -> None:
        self.count += got
        if self._on_bytes is not None and got:
            self._on_bytes(got)

    def readable(self) -> bool:
        return True


class HashingReader:
    """Hashes everything read through it (``sha256`` unless told otherwise)."""

    def __init__(self, stream: Readable, algorithm: str = "sha256") -> None:
        self._stream = stream
        self._readinto = readinto_of(stream)
        self._algorithm = algorithm
        self._hash = hashlib.new(algorithm)
        self.count = 0

    def read(self, n: int = -1, /) -> bytes:
        data = self._stream.read(n)
        if data:
            self._hash.update(data)
            self.count += len(data)
        return data

    def readinto(self, view: memoryview, /) -> int:
        got = self._readinto(view)
        if got:
            self._hash.update(view[:got])
            self.count += got
        return got

    def readable(self) -> bool:
        return True

    def drain(self) -> None:
        """Read (and hash) whatever the consumer left unread."""
        scratch = memoryview(bytearray(_SKIP_CHUNK))
        while self.readinto(scratch):
            pass

    def digest(self) -> str:
        """``algorithm:hex`` of everything read so far."""
        return f"{self._algorithm}:{self._hash.hexdigest()}"


class DigestReader(HashingReader):
    """Hashes what is read through it; :meth:`verify` checks digest and size.

    The expected digest is ``algorithm:hex`` (sha256 or sha512). ``verify`` first reads
    whatever the consumer left unread, so the whole blob is always hashed.
    """

    def __init__(
        self, stream: Readable, expected: str, *, size: int | None, what: str
    ) -> None:
        algorithm, _, hexdigest = expected.partition(":")
        if algorithm not in ("sha256", "sha512") or not hexdigest:
            raise ImageError(f"{what}: unsupported digest {expected!r}")
        super().__init__(stream, algorithm)
        self._expected = expected
        self._size = size
        self._what = what

    def verify(self) -> None:
        """Read to the end, then raise :class:`ImageError` if digest or size differ."""
        self.drain()
        if self._size is not None and self.count != self._size:
            raise ImageError(
                f"{self._what}: size mismatch: expected {self._size} bytes, got {self.count}"
            )
        actual = self.digest()
        if actual != self._expected:
            raise ImageError(
                f"{self._what}: digest mismatch: expected {self._expected}, got {actual}"
            )


def verify_bytes(data: bytes, expected: str, *, what: str, size: int | None = None) -> None:
    """Raise :class:`ImageError` unless ``data`` has digest ``expected`` (and ``size``)."""
    algorithm, _, hexdigest = expected.partition(":")
    if algorithm not in ("sha256", "sha512") or not hexdigest:
        raise ImageError(f"{what}: unsupported digest {expected!r}")
    if size is not None and len(data) != size:
        raise ImageError(f"{what}: size mismatch: expected {size} bytes, got {len(data)}")
    actual = f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"
    if actual != expected:
        raise ImageError(f"{what}: digest mismatch: expected {expected}, got {actual}")
