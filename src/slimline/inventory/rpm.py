"""rpm's database: the SQLite ``rpmdb.sqlite`` (rpm 4.16 and newer).

The ``Packages`` table holds one header blob per package, read here with the
standard library's :mod:`sqlite3`. A header blob is two big-endian 32-bit counts
(index entries, data bytes), the index entries (tag, type, offset, count: four
big-endian 32-bit numbers each) and the data store the offsets point into.
Files are ``DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]``, regular ones when their
``FILEMODES`` entry says so.

The BerkeleyDB ``Packages`` file of older distributions (CentOS 7 and 8, RHEL 8)
and SUSE's ``Packages.db`` (ndb) are not read: the inventory says so.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import tempfile

from slimline.inventory.model import Component

#: where the database lives: Fedora/RHEL 9+, and openSUSE's /usr/lib/sysimage
RPMDB_SQLITE = ("/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite")
#: databases this reader does not read, with what they are
RPMDB_UNREAD = {
    "/var/lib/rpm/Packages": "a BerkeleyDB rpm database",
    "/usr/lib/sysimage/rpm/Packages": "a BerkeleyDB rpm database",
    "/var/lib/rpm/Packages.db": "an ndb rpm database",
    "/usr/lib/sysimage/rpm/Packages.db": "an ndb rpm database",
}

NAME, VERSION, RELEASE, EPOCH, SIZE, LICENSE, ARCH = 1000, 1001, 1002, 1003, 1009, 1014, 1022
FILEMODES, SOURCERPM, DIRINDEXES, BASENAMES, DIRNAMES = 1030, 1044, 1116, 1117, 1118
_INT16, _INT32, _STRING, _STRING_ARRAY, _I18NSTRING = 3, 4, 6, 8, 9
_S_IFMT, _S_IFREG = 0o170000, 0o100000

HeaderValue = str | list[str] | list[int]


class HeaderError(ValueError):
    """A header blob that does not follow the format."""


def parse_header(blob: bytes) -> dict[int, HeaderValue]:
    """The string, string-array, int16 and int32 tags of an rpm header blob."""
    if len(blob) < 8:
        raise HeaderError("header shorter than its counts")
    entries, data_length = struct.unpack_from(">II", blob, 0)
    store = 8 + 16 * entries
    if store + data_length > len(blob):
        raise HeaderError("header longer than its blob")
    out: dict[int, HeaderValue] = {}
    for i in range(entries):
        tag, kind, offset, count = struct.unpack_from(">IIII", blob, 8 + 16 * i)
        start = store + offset
        if kind in (_INT16, _INT32):
            out[tag] = list(struct.unpack_from(f">{count}{'H' if kind == _INT16 else 'I'}",
                                               blob, start))
        elif kind in (_STRING, _STRING_ARRAY, _I18NSTRING):
            strings: list[str] = []
            pos = start
            for _ in range(count if kind != _STRING else 1):
                end = blob.index(b"\0", pos)
                strings.append(blob[pos:end].decode("utf-8", "replace"))
                pos = end + 1
            out[tag] = strings[0] if kind == _STRING else strings
    return out


def _text(header: dict[int, HeaderValue], tag: int) -> str:
    value = header.get(tag)
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return value or ""


def _strings(header: dict[int, HeaderValue], tag: int) -> list[str]:
    value = header.get(tag)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def header_component(header: dict[int, HeaderValue], location: str) -> Component | None:
    """The package a parsed header describes (``gpg-pubkey`` entries are keys, not packages)."""
    name = _text(header, NAME)
    if not name or name == "gpg-pubkey":
        return None
    version = f"{_text(header, VERSION)}-{_text(header, RELEASE)}"
    epoch = header.get(EPOCH)
    if isinstance(epoch, list) and epoch and epoch[0]:
        version = f"{epoch[0]}:{version}"
    dirs, bases = _strings(header, DIRNAMES), _strings(header, BASENAMES)
    index = [i for i in header.get(DIRINDEXES, []) if isinstance(i, int)]
    files = tuple(f"{dirs[i]}{b}" for i, b in zip(index, bases, strict=False) if i < len(dirs))
    modes = [m for m in header.get(FILEMODES, []) if isinstance(m, int)]
    regular = tuple(path for path, mode in zip(files, modes, strict=False)
                    if mode & _S_IFMT == _S_IFREG) if len(modes) == len(files) else ()
    source, source_version = name, version
    source_rpm = _text(header, SOURCERPM).removesuffix(".src.rpm").rsplit("-", 2)
    if len(source_rpm) == 3:  # name-version-release.src.rpm
        source, source_version = source_rpm[0], f"{source_rpm[1]}-{source_rpm[2]}"
    size = header.get(SIZE)
    return Component(
        "rpm", name, version, location,
        arch=_text(header, ARCH),
        source=source,
        source_version=source_version,
        files=files,
        regular_files=regular,
        size=int(size[0]) if isinstance(size, list) and size else None,
        licenses=(_text(header, LICENSE),) if _text(header, LICENSE) else (),
    )


def parse_rpmdb_sqlite(data: bytes, location: str) -> list[Component]:
    """The packages of an ``rpmdb.sqlite`` file's content (copied to a temporary file:
    SQLite reads files, not bytes)."""
    fd, tmp = tempfile.mkstemp(prefix="slimline-rpmdb-", suffix=".sqlite")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        db = sqlite3.connect(f"file:{tmp}?mode=ro&immutable=1", uri=True)
        try:
            rows = db.execute("SELECT blob FROM Packages").fetchall()
        except sqlite3.DatabaseError as exc:
            raise HeaderError(f"not an rpm SQLite database: {exc}") from None
        finally:
            db.close()
    finally:
        os.unlink(tmp)
    out: list[Component] = []
    for (blob,) in rows:
        try:
            header = parse_header(bytes(blob))
        except struct.error as exc:  # an index entry that points past the data
            raise HeaderError(f"a header cannot be read: {exc}") from None
        component = header_component(header, location)
        if component is not None:
            out.append(component)
    return out
