"""A fast scanner of tar headers: what a layer contains, without extracting it.

A layer is a tar stream. Analysis needs every member's path, type, size and link
target, never the file contents, so the scanner reads headers and skips data:
by seeking when the source is a plain file, by reading and discarding when it is a
decompression or network stream. Nothing is ever written to disk.

Supported: POSIX ustar, PAX extended headers (``path``, ``linkpath``, ``size``;
global headers too), GNU long names and long links, base-256 sizes. Header-only
types (directories, links, devices, FIFOs) carry no data, exactly as Go's
``archive/tar`` (which Docker uses) treats them.

Paths are normalised the way Docker and dive read them: ``./`` and leading ``/``
removed, ``.`` components dropped, trailing ``/`` removed; a path that climbs out of
the root with ``..`` is rejected. Whiteouts are recognised here so that later stages
never have to look at file names again.
"""

from __future__ import annotations

import posixpath
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from slimline.errors import ImageError

#: Entry kinds (the second field of an :data:`Entry`).
FILE = 0
DIR = 1
SYMLINK = 2
HARDLINK = 3
OTHER = 4  # character/block device, FIFO, anything else without data of interest
WHITEOUT = 5  # ``.wh.NAME``: the entry's path is the path it deletes
OPAQUE = 6  # ``DIR/.wh..wh..opq``: the entry's path is the directory made opaque

KIND_NAMES = ("file", "dir", "symlink", "hardlink", "other", "whiteout", "opaque")

#: One tar member: (path without leading slash, kind, size in bytes, link target).
#: ``size`` is the data size for regular files and 0 for every other kind; the link
#: target is "" unless the entry is a symlink or a hardlink (hardlink targets are
#: normalised like paths, symlink targets are kept verbatim).
Entry = tuple[str, int, int, str]

WHITEOUT_PREFIX = ".wh."
OPAQUE_MARKER = ".wh..wh..opq"

_BLOCK = 512
_ZERO_BLOCK = bytes(_BLOCK)
_META_PREFIX = ".wh..wh."
#: name, size, typeflag, magic+version of a tar header (the fields every entry needs)
_HEADER = struct.Struct("100s24x12s12x8xB100x8s")
_CHUNK_SEEKABLE = 32 * 1024
_CHUNK_STREAM = 1024 * 1024

# typeflag byte -> kind; types not listed carry data and count as OTHER.
_KINDS: dict[int, int] = {
    ord("0"): FILE,
    0: FILE,
    ord("7"): FILE,
    ord("5"): DIR,
    ord("2"): SYMLINK,
    ord("1"): HARDLINK,
    ord("3"): OTHER,
    ord("4"): OTHER,
    ord("6"): OTHER,
}
# Types whose size field is ignored because they never carry data (Go's isHeaderOnlyType).
_HEADER_ONLY = frozenset((ord("1"), ord("2"), ord("3"), ord("4"), ord("5"), ord("6")))
_PAX_LOCAL = ord("x")
_PAX_GLOBAL = ord("g")
_GNU_LONGNAME = ord("L")
_GNU_LONGLINK = ord("K")
_PAX_HEADER_LIMIT = 1 << 20


class Source(Protocol):
    """Where the scanner reads a tar stream from."""

    def readinto(self, view: memoryview, /) -> int:
        """Fill ``view`` with up to ``len(view)`` bytes; return 0 only at the end."""
        ...

    def skip(self, n: int, /) -> int:
        """Skip ``n`` bytes; return how many were skipped (fewer only at the end)."""
        ...


@dataclass(slots=True)
class LayerScan:
    """What one layer's tar stream contains.

    ``tar_size`` counts every byte of the uncompressed stream; ``content_size`` only
    the data of regular files, which is what Docker and dive call a layer's size.
    """

    entries: list[Entry]
    tar_size: int
    content_size: int
    #: whiteout and opaque-directory entries, kept apart from ``entries``
    whiteouts: list[Entry] = field(default_factory=list)


def parse_octal(field: bytes, what: str, where: str) -> int:
    """A numeric tar header field: octal digits, or GNU's base-256 form."""
    if field[0] & 0x80:  # GNU base-256 encoding
        if field[0] == 0xFF:
            raise ImageError(f"{where}: negative {what} in a tar header")
        value = field[0] & 0x7F
        for byte in field[1:]:
            value = (value << 8) | byte
        return value
    text = field.split(b"\0", 1)[0].strip()
    if not text:
        return 0
    try:
        return int(text, 8)
    except ValueError:
        raise ImageError(f"{where}: corrupt tar header ({what} field {field!r})") from None


def _checksum_ok(block: bytes) -> bool:
    try:
        stored = int(block[148:156].split(b"\0", 1)[0].strip() or b"-1", 8)
    except ValueError:
        return False
    unsigned = sum(block[:148]) + 256 + sum(block[156:])
    return stored == unsigned


def _parse_pax(data: bytes, where: str) -> dict[str, str]:
    records: dict[str, str] = {}
    pos = 0
    end = len(data)
    while pos < end:
        if data[pos] == 0:  # padding NULs
            break
        space = data.find(b" ", pos)
        if space < 0:
            raise ImageError(f"{where}: corrupt PAX header")
        try:
            length = int(data[pos:space])
        except ValueError:
            raise ImageError(f"{where}: corrupt PAX header") from None
        if length <= 0 or pos + length > end:
            raise ImageError(f"{where}: corrupt PAX header")
        record = data[space + 1 : pos + length - 1]
        key, sep, value = record.partition(b"=")
        if not sep:
            raise ImageError(f"{where}: corrupt PAX record {record[:40]!r}")
        records[key.decode("utf-8", "surrogateescape")] = value.decode(
            "utf-8", "surrogateescape"
        )
        pos += length
    return records


def normalize_member_name(raw: str, where: str) -> str:
    """Return a member name as a root-relative path without leading or trailing slash.

    ``""`` means the root itself. Raises :class:`ImageError` for a name that climbs
    above the root.
    """
    name = raw
    if name.startswith("./"):
        name = name[2:]
    if "/." in name or "//" in name or name.startswith((".", "/")) or name.endswith("/"):
        name = posixpath.normpath("/" + name).lstrip("/")
        if name == ".":
            name = ""
        # normpath("/..") is "/", so climbing shows only in the raw components.
        depth = 0
        for part in raw.split("/"):
            if part == "..":
                depth -= 1
                if depth < 0:
                    raise ImageError(f"{where}: tar entry {raw!r} points outside the image root")
            elif part not in ("", "."):
                depth += 1
    return name


def scan_tar(source: Source, *, where: str, seekable: bool = False) -> LayerScan:
    """Read every header of the tar stream in ``source`` and return its entries.

    ``where`` names the layer in error messages. When ``seekable`` is true the source
    skips data cheaply, so small reads are used; otherwise large chunks are read into
    one reused buffer. Raises :class:`ImageError` on a truncated or corrupt stream.
    """
    size_hint = _CHUNK_SEEKABLE if seekable else _CHUNK_STREAM
    readinto = source.readinto
    entries: list[Entry] = []
    append = entries.append
    whiteouts: list[Entry] = []
    special = whiteouts.append
    kinds = _KINDS
    header_only = _HEADER_ONLY
    zero = _ZERO_BLOCK
    unpack = _HEADER.unpack_from

    buf = bytearray(size_hint)
    view = memoryview(buf)
    valid = 0  # bytes of buf holding data
    pos = 0  # next unread byte in buf
    offset = 0  # stream offset of buf[0]
    content = 0
    pax_global: dict[str, str] = {}
    pending: dict[str, str] = {}  # from a PAX 'x' header or GNU long name/link
    first = True

    while True:
        if valid - pos < _BLOCK:
            buf, view, valid, offset = _refill(readinto, buf, view, pos, valid, offset, _BLOCK)
            pos = 0
            if valid < _BLOCK:
                if not valid:
                    break  # clean end without end-of-archive blocks
                raise ImageError(f"{where}: truncated tar stream (partial header)")
        if buf[pos] == 0 and buf[pos : pos + _BLOCK] == zero:
            break
        name, size_field, flag, magic = unpack(buf, pos)
        if magic[:5] != b"ustar" and not _checksum_ok(bytes(buf[pos : pos + _BLOCK])):
            if first:
                raise ImageError(f"{where}: not a tar archive")
            raise ImageError(f"{where}: corrupt tar header at offset {offset + pos}")
        block_at = pos
        pos += _BLOCK
        first = False
        try:
            # Common case: 11 octal digits and a NUL or space (Go, GNU tar, Python).
            if size_field[11] not in (0, 32):
                raise ValueError
            size = int(size_field[:11], 8)
        except ValueError:
            size = parse_octal(size_field, "size", where)

        if flag in (_PAX_LOCAL, _PAX_GLOBAL, _GNU_LONGNAME, _GNU_LONGLINK):
            if size > _PAX_HEADER_LIMIT:
                raise ImageError(f"{where}: oversized extended tar header ({size} bytes)")
            padded = (size + 511) & ~511
            if valid - pos < padded:
                buf, view, valid, offset = _refill(
                    readinto, buf, view, pos, valid, offset, padded
                )
                pos = 0
                if valid < size:
                    raise ImageError(f"{where}: truncated tar stream (extended header)")
            data = bytes(view[pos : pos + size])
            pos = min(pos + padded, valid)
            if flag == _PAX_LOCAL:
                pending.update(_parse_pax(data, where))
            elif flag == _PAX_GLOBAL:
                pax_global.update(_parse_pax(data, where))
            else:
                text = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                pending["path" if flag == _GNU_LONGNAME else "linkpath"] = text
            continue

        if pending or pax_global:
            extra: dict[str, str] | None = {**pax_global, **pending} if pax_global else pending
            pending = {}
        else:
            extra = None

        if extra is not None and "path" in extra:
            raw = extra["path"]
        else:
            cut = name.find(b"\0")
            if cut >= 0:
                name = name[:cut]
            if magic[:6] == b"ustar\x00" and buf[block_at + 345] != 0:
                name = _field_bytes(bytes(buf[block_at + 345 : block_at + 500])) + b"/" + name
            raw = name.decode("utf-8", "surrogateescape")
        if extra is not None and "size" in extra:
            try:
                size = int(extra["size"])
            except ValueError:
                raise ImageError(f"{where}: corrupt PAX size {extra['size']!r}") from None

        kind = kinds.get(flag, OTHER)
        if flag in header_only:
            size = 0

        # Skip the data.
        at_end = False
        if size:
            padded = (size + 511) & ~511
            left = valid - pos
            if padded <= left:
                pos += padded
            else:
                offset += valid
                valid = pos = 0
                skipped = source.skip(padded - left)
                offset += skipped
                if skipped < padded - left:
                    # Only the padding of the very last member may be missing.
                    if skipped < size - left:
                        raise ImageError(f"{where}: truncated tar stream (data of {raw!r})")
                    at_end = True

        path = raw
        if path.endswith("/"):
            path = path.rstrip("/")
        if path.startswith("./"):
            path = path[2:]
        if "/." in path or "//" in path or path.startswith((".", "/")):
            path = normalize_member_name(raw, where)
        if at_end:
            if path:
                _append_entry(append, special, path, kind, size, extra, buf, block_at, where)
                if kind == FILE:
                    content += size
            return LayerScan(entries, offset, content, whiteouts)
        if not path:
            continue  # the root directory itself
        if kind == FILE:
            content += size
            if ".wh." in path:
                _append_entry(append, special, path, kind, size, extra, buf, block_at, where)
            else:
                append((path, FILE, size, ""))
        elif kind == DIR:
            append((path, DIR, 0, ""))
        else:
            _append_entry(append, special, path, kind, size, extra, buf, block_at, where)

    # Drain whatever follows the end-of-archive marker so that the stream is fully
    # consumed (digest checks need it) and its length is known.
    offset += valid
    while True:
        skipped = source.skip(_CHUNK_STREAM)
        offset += skipped
        if skipped < _CHUNK_STREAM:
            break
    return LayerScan(entries, offset, content, whiteouts)


def _refill(
    readinto: Callable[[memoryview], int],
    buf: bytearray,
    view: memoryview,
    pos: int,
    valid: int,
    offset: int,
    need: int,
) -> tuple[bytearray, memoryview, int, int]:
    """Move the unread tail of ``buf`` to its start and read until ``need`` bytes are held.

    Returns the (possibly larger) buffer, its view, the bytes held and the new stream
    offset of the buffer's first byte.
    """
    rest = valid - pos
    if need > len(buf):
        bigger = bytearray(need)
        bigger[:rest] = view[pos:valid]
        view.release()
        buf = bigger
        view = memoryview(buf)
    elif rest:
        view[:rest] = view[pos:valid]
    offset += pos
    valid = rest
    while valid < need:
        got = readinto(view[valid:])
        if not got:
            break
        valid += got
    return buf, view, valid, offset


def _field_bytes(raw: bytes) -> bytes:
    cut = raw.find(b"\0")
    return raw[:cut] if cut >= 0 else raw


def _field(raw: bytes) -> str:
    return _field_bytes(raw).decode("utf-8", "surrogateescape")


def _whiteout(path: str, base: str) -> Entry | None:
    """The entry for a whiteout file, or None for other ``.wh..wh.`` metadata (aufs)."""
    parent = path[: len(path) - len(base) - 1] if len(path) > len(base) else ""
    if base.startswith(_META_PREFIX):
        return (parent, OPAQUE, 0, "") if base == OPAQUE_MARKER else None
    target = base[len(WHITEOUT_PREFIX) :]
    return (f"{parent}/{target}" if parent else target, WHITEOUT, 0, "")


def _append_entry(
    append: Callable[[Entry], None],
    special: Callable[[Entry], None],
    path: str,
    kind: int,
    size: int,
    extra: dict[str, str] | None,
    buf: bytearray,
    block_at: int,
    where: str,
) -> None:
    """Append the entry for one member (the slow, general path)."""
    if kind in (FILE, OTHER) and ".wh." in path:
        base = path.rpartition("/")[2]
        if base.startswith(WHITEOUT_PREFIX):
            entry = _whiteout(path, base)
            if entry is not None:
                special(entry)
            return
    if kind in (SYMLINK, HARDLINK):
        link = extra["linkpath"] if extra is not None and "linkpath" in extra else ""
        if not link:
            link = _field(bytes(buf[block_at + 157 : block_at + 257]))
        if kind == HARDLINK:
            link = normalize_member_name(link, where)
        append((path, kind, 0, link))
        return
    append((path, kind, size if kind == FILE else 0, ""))
