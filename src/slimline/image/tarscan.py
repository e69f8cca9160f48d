"""The one tar reader: what a tar stream contains, strictly checked, without extracting it.

Every tar slimline reads goes through this module: image layers, ``docker save``
archives, OCI archives. Two drivers share one set of header rules:

* :func:`scan_tar` reads a layer's headers and skips file data (by seeking when the
  source is a plain file, by reading and discarding when it is a decompression or
  network stream). It is the hot path of ``analyze`` and is written for speed.
* :func:`iter_members` yields each member with a reader of its data, for the few
  places that need contents (archive documents, nested layers, package databases)
  or data offsets (indexing a plain archive file).

Supported: ustar, PAX headers (``path``, ``linkpath``, ``size``; global ones too),
GNU long names and links, base-256 sizes. Header-only types (directories, links,
devices, FIFOs) carry no data, as in Go's ``archive/tar`` (which Docker uses).
The reader is as strict as Go's, so a hostile tar is an error, never a loop or a
wrong answer: checksums are verified; sizes must be non-negative and fit 63 bits;
PAX records must be well formed; extended headers are capped and need a member;
a member cut short is an error. The limits of :mod:`slimline.image.limits` (path
length and depth, entries) are checked as headers are read.

Paths are normalised the way Docker and dive read them: ``./`` and leading ``/``
removed, ``.`` components dropped, trailing ``/`` removed; a path that climbs out of
the root with ``..`` is rejected. Whiteouts are recognised by :func:`scan_tar` so
that later stages never have to look at file names again; a whiteout must name a
real entry (not ``""``, ``.`` or ``..``).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from slimline.errors import ImageError
from slimline.image.limits import Limits, current, exceeded
from slimline.image.streams import read_via

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
#: name, size, checksum, typeflag, magic+version of a tar header (what every entry needs)
_HEADER = struct.Struct("100s24x12s12x8sB100x8s")
_CHUNK_SEEKABLE = 4 * 1024  # one page: most reads after a skip need one header
_CHUNK_STREAM = 1024 * 1024
_MAX_SIZE = (1 << 63) - 1
_OCTAL = re.compile(rb"[0-7]+")
_DECIMAL = re.compile(r"[0-9]+")
_SPACES = b" " * 8

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
_EXTENDED = frozenset((_PAX_LOCAL, _PAX_GLOBAL, _GNU_LONGNAME, _GNU_LONGLINK))
_PAX_HEADER_LIMIT = 1 << 20
#: the PAX keys the reader uses (others, xattrs for example, are dropped)
_PAX_KEYS = frozenset(("path", "linkpath", "size"))
#: ustar holds at most 255 bytes of name (prefix, '/', name): 128 levels
_USTAR_NAME_MAX = 256
_USTAR_DEPTH_MAX = 128


class Source(Protocol):
    """Where the reader reads a tar stream from."""

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
    #: paths of the files and hardlinks whose mode has the setuid or setgid bit
    setid: list[str] = field(default_factory=list)
    #: for a scan of a seekable source: each regular file's (data offset in the stream,
    #: size), the last member of a path winning, so that its content is one ``pread`` away
    data: dict[str, tuple[int, int]] | None = field(default=None, compare=False)


# --- header fields: the rules both drivers share -------------------------------------


def parse_octal(raw: bytes, what: str, where: str) -> int:
    """A numeric tar header field: octal digits, or GNU's base-256 form."""
    if raw[0] & 0x80:  # GNU base-256 encoding
        if raw[0] == 0xFF:
            raise ImageError(f"{where}: negative {what} in a tar header")
        value = int.from_bytes(bytes([raw[0] & 0x7F]) + raw[1:], "big")
        if value > _MAX_SIZE:
            raise ImageError(f"{where}: {what} in a tar header overflows 63 bits")
        return value
    # As Go reads it: NULs and spaces around, then up to the first NUL.
    text = raw.strip(b" \0").split(b"\0", 1)[0]
    if not text:
        return 0
    if not _OCTAL.fullmatch(text):
        raise ImageError(f"{where}: corrupt tar header ({what} field {raw!r})")
    return int(text, 8)


def _size_field(raw: bytes, where: str) -> int:
    # Common case: 11 octal digits and a NUL or space (Go, GNU tar, Python).
    if raw[11] in (0, 32) and raw[:11].isdigit():
        try:
            return int(raw[:11], 8)
        except ValueError:
            pass
    return parse_octal(raw, "size", where)


def _fast_checksum_ok(buf: bytearray, at: int, checksum_field: bytes) -> bool:
    """Whether the header at ``at`` has the unsigned checksum ``checksum_field``: spaces
    are written over the field in ``buf`` (it counts as spaces); adler32's low half is
    1 + the byte sum, exact for 256 bytes (and fast on bytearray slices)."""
    buf[at + 148 : at + 156] = _SPACES
    try:
        stored = int(checksum_field.rstrip(b" \0"), 8)
    except ValueError:
        return False
    return stored == (zlib.adler32(buf[at : at + 256]) & 0xFFFF) + (
        zlib.adler32(buf[at + 256 : at + _BLOCK]) & 0xFFFF) - 2


def _checksum_ok(view: memoryview, at: int, checksum_field: bytes) -> bool:
    """Whether the header at ``at`` matches ``checksum_field`` (its checksum, read before
    the reader may have written spaces over it): unsigned or signed sum."""
    text = checksum_field.strip(b" \0").split(b"\0", 1)[0]
    if not _OCTAL.fullmatch(text):
        return False
    stored = int(text, 8)
    block = bytes(view[at : at + 148]) + _SPACES + bytes(view[at + 156 : at + _BLOCK])
    if stored == sum(block):
        return True
    return stored == sum(b - 256 if b > 127 else b for b in block)


def _check_header(view: memoryview, at: int, checksum_field: bytes, first: bool, offset: int,
                  where: str) -> None:
    if _checksum_ok(view, at, checksum_field):
        return
    if first and bytes(view[at + 257 : at + 262]) != b"ustar":
        raise ImageError(f"{where}: not a tar archive")
    raise ImageError(f"{where}: corrupt tar header at offset {offset} (bad checksum)")


def _parse_pax(data: bytes, where: str) -> dict[str, str]:
    """The records of a PAX header that the reader uses, checked as Go checks them."""
    records: dict[str, str] = {}
    pos = 0
    end = len(data)
    while pos < end:
        if data[pos] == 0 and not data[pos:].strip(b"\0"):
            break  # NUL padding to the end
        space = data.find(b" ", pos, pos + 24)
        digits = data[pos:space].decode("ascii", "replace") if space > 0 else ""
        if not _DECIMAL.fullmatch(digits):
            raise ImageError(f"{where}: corrupt PAX header (bad record length)")
        length = int(digits)
        if length < 5 or pos + length > end or data[pos + length - 1] != 0x0A:
            raise ImageError(f"{where}: corrupt PAX header (bad record length {length})")
        record = data[space + 1 : pos + length - 1]
        key, sep, value = record.partition(b"=")
        if not sep or not key or b"\0" in key:
            raise ImageError(f"{where}: corrupt PAX record {record[:40]!r}")
        name = key.decode("utf-8", "surrogateescape")
        if name in _PAX_KEYS:
            if b"\0" in value:
                raise ImageError(f"{where}: corrupt PAX record {record[:40]!r}")
            records[name] = value.decode("utf-8", "surrogateescape")
        pos += length
    if "size" in records:
        _pax_size(records["size"], where)  # checked here, converted where it is used
    return records


def _pax_size(text: str, where: str) -> int:
    if not _DECIMAL.fullmatch(text):
        raise ImageError(f"{where}: corrupt PAX size {text[:40]!r} (not a non-negative number)")
    if len(text) > 19 or int(text) > _MAX_SIZE:
        raise ImageError(f"{where}: PAX size {text[:40]!r} overflows 63 bits")
    return int(text)


def _extended_size(size: int, where: str) -> int:
    if size > _PAX_HEADER_LIMIT:
        raise ImageError(f"{where}: oversized extended tar header ({size} bytes)")
    return (size + 511) & ~511


def _apply_extended(
    flag: int, data: bytes, pending: dict[str, str], pax_global: dict[str, str], where: str
) -> None:
    if flag == _PAX_LOCAL:
        pending.update(_parse_pax(data, where))
    elif flag == _PAX_GLOBAL:
        pax_global.update(_parse_pax(data, where))
    else:
        text = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        pending["path" if flag == _GNU_LONGNAME else "linkpath"] = text


def _member_name(view: memoryview, at: int, name: bytes, magic: bytes,
                 extra: dict[str, str] | None) -> str:
    if extra is not None and "path" in extra:
        return extra["path"]
    cut = name.find(b"\0")
    if cut >= 0:
        name = name[:cut]
    if magic[:6] == b"ustar\x00" and view[at + 345] != 0:
        name = _field_bytes(bytes(view[at + 345 : at + 500])) + b"/" + name
    return name.decode("utf-8", "surrogateescape")


def _link_name(view: memoryview, at: int, extra: dict[str, str] | None) -> str:
    link = extra["linkpath"] if extra is not None and "linkpath" in extra else ""
    return link or _field(bytes(view[at + 157 : at + 257]))


def _check_path(path: str, limits: Limits, where: str, what: str = "path") -> None:
    size = len(path.encode("utf-8", "surrogateescape"))
    if size > limits.path_length:
        raise exceeded(where, f"{what} {path[:60]!r}... is {size:,} bytes long",
                       "path-length", limits.path_length)
    depth = path.count("/") + 1
    if depth > limits.path_depth:
        raise exceeded(where, f"{what} {path[:60]!r}... is {depth:,} levels deep",
                       "path-depth", limits.path_depth)


def _check_entries(count: int, limits: Limits, where: str) -> None:
    if count > limits.entries:
        raise exceeded(where, f"more than {limits.entries:,} tar entries", "entries",
                       limits.entries)


def _dangling(where: str) -> ImageError:
    return ImageError(f"{where}: truncated tar stream (extended header without a member)")


def normalize_member_name(raw: str, where: str, root: str = "the image root") -> str:
    """Return a member name as a root-relative path without leading or trailing slash.

    ``""`` means the root itself. Raises :class:`ImageError` for a name that climbs
    above the root (``root`` names it in the message).
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
                    raise ImageError(f"{where}: tar entry {raw!r} points outside {root}")
            elif part not in ("", "."):
                depth += 1
    return name


# --- the layer scanner: headers only, data skipped ------------------------------------


def scan_tar(
    source: Source, *, where: str, seekable: bool = False, limits: Limits | None = None
) -> LayerScan:
    """Read every header of the tar stream in ``source`` and return its entries.

    ``where`` names the layer in error messages. When ``seekable`` is true the source
    skips data cheaply, so small reads are used, and where each regular file's data
    starts is kept (:attr:`LayerScan.data`); otherwise large chunks are read into one
    reused buffer. Raises :class:`ImageError` on a truncated, corrupt or
    over-limit stream (``limits`` defaults to :func:`slimline.image.limits.current`).
    """
    limits = limits or current()
    # ustar names fit the default limits: check names only when they may not.
    check_all = limits.path_length < _USTAR_NAME_MAX or limits.path_depth < _USTAR_DEPTH_MAX
    size_hint = _CHUNK_SEEKABLE if seekable else _CHUNK_STREAM
    readinto = source.readinto
    entries: list[Entry] = []
    append = entries.append
    whiteouts: list[Entry] = []
    special = whiteouts.append
    setid: list[str] = []
    data_at: dict[str, tuple[int, int]] | None = {} if seekable else None
    kinds = _KINDS
    header_only = _HEADER_ONLY
    extended = _EXTENDED
    zero = _ZERO_BLOCK
    unpack = _HEADER.unpack_from
    adler32 = zlib.adler32
    spaces = _SPACES
    max_entries = limits.entries

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
            if len(entries) + len(whiteouts) > max_entries:
                _check_entries(len(entries) + len(whiteouts), limits, where)
            buf, view, valid, offset = _refill(readinto, buf, view, pos, valid, offset, _BLOCK)
            pos = 0
            if valid < _BLOCK:
                if not valid:
                    if pending:
                        raise _dangling(where)
                    break  # clean end without end-of-archive blocks
                raise ImageError(f"{where}: truncated tar stream (partial header)")
        if buf[pos] == 0 and buf[pos : pos + _BLOCK] == zero:
            if pending:
                raise _dangling(where)
            break
        name, size_field, chk, flag, magic = unpack(buf, pos)
        # _fast_checksum_ok, inlined: this is the hot loop
        buf[pos + 148 : pos + 156] = spaces
        try:
            stored = int(chk.rstrip(b" \0"), 8)
        except ValueError:
            stored = -1
        if stored != (adler32(buf[pos : pos + 256]) & 0xFFFF) + (
                adler32(buf[pos + 256 : pos + _BLOCK]) & 0xFFFF) - 2:
            _check_header(view, pos, chk, first, offset + pos, where)  # signed, or an error
        block_at = pos
        pos += _BLOCK
        first = False
        # Common case: 11 octal digits and a NUL or space (Go, GNU tar, Python).
        digits = size_field[:11]
        if size_field[11] in (0, 32) and digits.isdigit():
            try:
                size = int(digits, 8)
            except ValueError:  # an 8 or a 9
                size = parse_octal(size_field, "size", where)
        else:
            size = parse_octal(size_field, "size", where)

        if flag in extended:
            padded = _extended_size(size, where)
            if valid - pos < padded:
                buf, view, valid, offset = _refill(
                    readinto, buf, view, pos, valid, offset, padded
                )
                pos = 0
                if valid < size:
                    raise ImageError(f"{where}: truncated tar stream (extended header)")
            data = bytes(view[pos : pos + size])
            pos = min(pos + padded, valid)
            _apply_extended(flag, data, pending, pax_global, where)
            continue

        if pending or pax_global:
            extra: dict[str, str] | None = {**pax_global, **pending} if pax_global else pending
            pending = {}
        else:
            extra = None

        if extra is None:
            cut = name.find(b"\0")
            if cut >= 0:
                name = name[:cut]
            if magic[:6] == b"ustar\x00" and buf[block_at + 345] != 0:
                name = _field_bytes(bytes(buf[block_at + 345 : block_at + 500])) + b"/" + name
            raw = name.decode("utf-8", "surrogateescape")
        else:
            raw = _member_name(view, block_at, name, magic, extra)
            if "size" in extra:
                size = int(extra["size"])  # checked by _parse_pax

        kind = kinds.get(flag, OTHER)
        if flag in header_only:
            size = 0
        # "0004755": the 4th mode digit holds setuid/setgid; parse only when it is not 0
        set_id = buf[block_at + 103] != 48 and kind in (FILE, HARDLINK) and _set_id(buf, block_at)

        # Skip the data.
        at_end = False
        start = offset + pos
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
        if extra is not None or check_all:
            _check_path(path, limits, where)
        if set_id and path:
            setid.append(path)
        if at_end:
            if path:
                _append_entry(append, special, path, kind, size, extra, view, block_at,
                              limits, where)
                if kind == FILE:
                    content += size
                    if data_at is not None:
                        data_at[path] = (start, size)
            _check_entries(len(entries) + len(whiteouts), limits, where)
            return LayerScan(entries, offset, content, whiteouts, setid, data_at)
        if not path:
            continue  # the root directory itself
        if kind == FILE:
            content += size
            if data_at is not None:
                data_at[path] = (start, size)
            if ".wh." in path:
                _append_entry(append, special, path, kind, size, extra, view, block_at,
                              limits, where)
            else:
                append((path, FILE, size, ""))
        elif kind == DIR:
            append((path, DIR, 0, ""))
        else:
            _append_entry(append, special, path, kind, size, extra, view, block_at,
                          limits, where)

    _check_entries(len(entries) + len(whiteouts), limits, where)
    # Drain whatever follows the end-of-archive marker so that the stream is fully
    # consumed (digest checks need it) and its length is known.
    offset += valid
    while True:
        skipped = source.skip(_CHUNK_STREAM)
        offset += skipped
        if skipped < _CHUNK_STREAM:
            break
    return LayerScan(entries, offset, content, whiteouts, setid, data_at)


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


def _set_id(buf: bytearray, at: int) -> bool:
    """Whether the mode field of the header at ``at`` has the setuid or setgid bit."""
    digits = bytes(buf[at + 100 : at + 108]).strip(b" \0")
    return _OCTAL.fullmatch(digits) is not None and int(digits, 8) & 0o6000 != 0


def _field_bytes(raw: bytes) -> bytes:
    cut = raw.find(b"\0")
    return raw[:cut] if cut >= 0 else raw


def _field(raw: bytes) -> str:
    return _field_bytes(raw).decode("utf-8", "surrogateescape")


def _whiteout(path: str, base: str, where: str) -> Entry | None:
    """The entry for a whiteout file, or None for other ``.wh..wh.`` metadata (aufs)."""
    parent = path[: len(path) - len(base) - 1] if len(path) > len(base) else ""
    if base.startswith(_META_PREFIX):
        return (parent, OPAQUE, 0, "") if base == OPAQUE_MARKER else None
    target = base[len(WHITEOUT_PREFIX) :]
    if target in ("", ".", ".."):
        raise ImageError(f"{where}: invalid whiteout {path!r} (it names {target!r}, "
                         "not an entry of its directory)")
    return (f"{parent}/{target}" if parent else target, WHITEOUT, 0, "")


def _append_entry(
    append: Callable[[Entry], None],
    special: Callable[[Entry], None],
    path: str,
    kind: int,
    size: int,
    extra: dict[str, str] | None,
    view: memoryview,
    block_at: int,
    limits: Limits,
    where: str,
) -> None:
    """Append the entry for one member (the slow, general path)."""
    if kind in (FILE, OTHER) and ".wh." in path:
        base = path.rpartition("/")[2]
        if base.startswith(WHITEOUT_PREFIX):
            entry = _whiteout(path, base, where)
            if entry is not None:
                special(entry)
            return
    if kind in (SYMLINK, HARDLINK):
        link = _link_name(view, block_at, extra)
        if extra is not None:
            _check_path(link, limits, where, "link target")
        if kind == HARDLINK:
            link = normalize_member_name(link, where)
        append((path, kind, 0, link))
        return
    append((path, kind, size if kind == FILE else 0, ""))


# --- members with their data ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a tar stream: normalised path, kind (never WHITEOUT or OPAQUE: a
    ``.wh.*`` file is a file here), data size, link, and where its data starts."""

    path: str
    kind: int
    size: int
    link: str
    offset: int


class MemberData:
    """The data of the current member; what is left unread is skipped afterwards."""

    def __init__(self, source: Source, size: int) -> None:
        self._source = source
        self.left = size

    def readinto(self, view: memoryview, /) -> int:
        if self.left <= 0:
            return 0
        if len(view) > self.left:
            view = view[: self.left]
        got = self._source.readinto(view)
        self.left -= got
        return got

    def read(self, n: int = -1, /) -> bytes:
        return read_via(self.readinto, n)

    def skip(self, n: int, /) -> int:
        got = self._source.skip(min(n, self.left))
        self.left -= got
        return got

    def readable(self) -> bool:
        return True


def read_full(source: Source, view: memoryview) -> int:
    """Fill ``view`` from ``source``; return how many bytes were read (fewer at the end)."""
    got = 0
    while got < len(view):
        step = source.readinto(view[got:])
        if not step:
            break
        got += step
    return got


def iter_members(
    source: Source, *, where: str, limits: Limits | None = None, root: str = "the image root"
) -> Iterator[tuple[Member, MemberData]]:
    """Yield each member of the tar stream in ``source`` with a reader of its data.

    The data must be read before the next member is requested. The same header
    rules and limits as :func:`scan_tar` apply; the root entry is not yielded, and
    nothing after the end-of-archive blocks is read. ``root`` names the tree's root
    in errors ("the archive" for an image archive).
    """
    limits = limits or current()
    block = bytearray(_BLOCK)
    view = memoryview(block)
    pending: dict[str, str] = {}
    pax_global: dict[str, str] = {}
    offset = 0
    count = 0
    first = True
    while True:
        got = read_full(source, view)
        if got < _BLOCK:
            if got == 0 and not pending:
                return
            raise _dangling(where) if got == 0 else ImageError(
                f"{where}: truncated tar stream (partial header)")
        if block == _ZERO_BLOCK:
            if pending:
                raise _dangling(where)
            return
        name, size_field, chk, flag, magic = _HEADER.unpack_from(block)
        if not _fast_checksum_ok(block, 0, chk):
            _check_header(view, 0, chk, first, offset, where)
        first = False
        size = _size_field(size_field, where)
        offset += _BLOCK
        if flag in _EXTENDED:
            padded = _extended_size(size, where)
            data = bytearray(padded)
            if read_full(source, memoryview(data)) < padded:
                raise ImageError(f"{where}: truncated tar stream (extended header)")
            offset += padded
            _apply_extended(flag, bytes(data[:size]), pending, pax_global, where)
            continue
        extra = {**pax_global, **pending} if pending or pax_global else None
        pending = {}
        raw = _member_name(view, 0, name, magic, extra)
        if extra is not None and "size" in extra:
            size = int(extra["size"])  # checked by _parse_pax
        kind = _KINDS.get(flag, OTHER)
        if flag in _HEADER_ONLY:
            size = 0
        path = normalize_member_name(raw, where, root)
        _check_path(path, limits, where)
        link = ""
        if kind in (SYMLINK, HARDLINK):
            link = _link_name(view, 0, extra)
            _check_path(link, limits, where, "link target")
            if kind == HARDLINK:
                link = normalize_member_name(link, where, root)
        count += 1
        _check_entries(count, limits, where)
        data_reader = MemberData(source, size)
        if path:
            yield Member(path, kind, size, link, offset), data_reader
        padded = (size + 511) & ~511
        left = data_reader.left
        skipped = source.skip(left + padded - size) if left + padded - size else 0
        if skipped < left:
            raise ImageError(f"{where}: truncated tar stream (data of {raw!r})")
        offset += padded
