"""Limits against hostile layers and archives.

A layer is untrusted input: a few kilobytes of gzip can hold gigabytes of tar, a
path thousands of directories deep, or millions of empty entries. Every reader of
image bytes checks these limits as it goes, so that time and memory stay bounded
whatever the input, and stops with an :class:`ImageError` that names the limit and
how to raise it (``--limit NAME=VALUE``).

The defaults are far above what real images need (the largest public images have
a few hundred thousand entries per layer and paths of a few hundred bytes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Protocol

from slimline.errors import ImageError, SlimlineError
from slimline.image.streams import Readable, read_via, readinto_of
from slimline.units import parse_size

#: Longest member path (or link target) in a layer, in bytes (Linux's PATH_MAX).
MAX_PATH_BYTES = 4096
#: Most directory levels of a member path.
MAX_PATH_DEPTH = 256
#: Most tar members (entries, whiteouts) in one layer.
MAX_LAYER_ENTRIES = 1_000_000
#: Most bytes of uncompressed tar read for one image, all layers together.
MAX_TOTAL_BYTES = 128 * 1024**3
#: Largest ratio of uncompressed to compressed bytes of a stream ...
MAX_RATIO = 200
#: ... checked only once this many bytes have been decompressed.
RATIO_FLOOR = 256 * 1024**2
#: Most bytes of JSON documents kept while an archive streams by.
MAX_DOCUMENT_BYTES = 64 * 1024**2
#: Most layers in one image (Docker runs images of at most 127 layers): each one,
#: even a blob listed again, is stacked, so this bounds the work of a tiny manifest.
MAX_LAYERS = 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits in force; each field is one ``--limit`` name (``_`` as ``-``)."""

    path_length: int = MAX_PATH_BYTES
    path_depth: int = MAX_PATH_DEPTH
    entries: int = MAX_LAYER_ENTRIES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO
    documents: int = MAX_DOCUMENT_BYTES
    layers: int = MAX_LAYERS

    @classmethod
    def parse(cls, settings: list[str] | tuple[str, ...], base: Limits | None = None) -> Limits:
        """Apply ``NAME=VALUE`` settings (sizes such as ``200GiB`` for byte limits)."""
        limits = base or cls()
        names = {f.name.replace("_", "-"): f.name for f in fields(cls)}
        for setting in settings:
            name, sep, value = setting.partition("=")
            key = names.get(name.strip().lower())
            if not sep or key is None:
                raise SlimlineError(
                    f"invalid --limit {setting!r}: expected NAME=VALUE with NAME one of "
                    + ", ".join(sorted(names))
                )
            number = parse_size(value, f"--limit {name}")
            if number <= 0:
                raise SlimlineError(f"invalid --limit {setting!r}: must be positive")
            limits = replace(limits, **{key: number})
        return limits


_lock = threading.Lock()
_current = Limits()


def current() -> Limits:
    """The limits readers apply (the defaults unless :func:`use` set others)."""
    return _current


@contextmanager
def use(limits: Limits) -> Iterator[Limits]:
    """Apply ``limits`` to every read made inside the ``with`` block."""
    global _current
    with _lock:
        previous, _current = _current, limits
    try:
        yield limits
    finally:
        with _lock:
            _current = previous


def exceeded(where: str, what: str, limit: str, value: int) -> ImageError:
    """The error for a limit that ``where`` goes over."""
    return ImageError(
        f"{where}: {what}, over the limit of {value:,} "
        f"(raise it with --limit {limit}=N if the input is trusted)"
    )


def check_layers(count: int, where: str) -> None:
    """Raise unless an image of ``count`` layers is within the limit."""
    limit = current().layers
    if count > limit:
        raise exceeded(where, f"the image lists {count:,} layers", "layers", limit)


class Budget:
    """Uncompressed bytes an image may still produce; shared by the layer threads."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or current()
        self.left = self.limits.total_bytes
        self._lock = threading.Lock()

    def spend(self, n: int, where: str) -> None:
        with self._lock:
            self.left -= n
            left = self.left
        if left < 0:
            raise exceeded(where, "the image decompresses to too many bytes",
                           "total-bytes", self.limits.total_bytes)


class Counted(Protocol):
    """A stream that counts the bytes read through it."""

    count: int


class Meter:
    """A decompressed stream checked against a :class:`Budget` and the ratio limit.

    ``raw`` counts the compressed bytes consumed so far (None when the stream is not
    compressed: then only the budget applies).
    """

    def __init__(self, stream: Readable, budget: Budget, where: str,
                 raw: Counted | None = None) -> None:
        self._readinto = readinto_of(stream)
        self._budget = budget
        self._where = where
        self._raw = raw
        self.count = 0

    def readinto(self, view: memoryview, /) -> int:
        got = self._readinto(view)
        if got:
            self.count += got
            self._budget.spend(got, self._where)
            if self._raw is not None and self.count > RATIO_FLOOR:
                raw = max(1, self._raw.count)
                ratio = self._budget.limits.ratio
                if self.count > ratio * raw:
                    raise exceeded(
                        self._where,
                        f"{raw:,} compressed bytes decompress to more than {self.count:,}",
                        "ratio", ratio,
                    )
        return got

    def read(self, n: int = -1, /) -> bytes:
        return read_via(self.readinto, n)

    def readable(self) -> bool:
        return True
