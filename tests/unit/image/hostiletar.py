"""Tar bytes written by hand, header by header, for hostile-input tests.

stdlib ``tarfile`` refuses to write most of what these tests need (negative PAX
sizes, bad checksums, dangling extended headers), so headers are built here field
by field, with a correct checksum unless told otherwise.
"""

from __future__ import annotations

END = bytes(1024)


def header(
    name: bytes = b"f",
    *,
    size: int = 0,
    flag: bytes = b"0",
    size_field: bytes | None = None,
    checksum: bytes | None = None,
    magic: bytes = b"ustar\x0000",
) -> bytes:
    """One 512-byte ustar header."""
    block = bytearray(512)
    block[0 : len(name)] = name
    block[100:108] = b"0000644\0"
    block[108:116] = b"0000000\0"
    block[116:124] = b"0000000\0"
    block[124:136] = size_field if size_field is not None else f"{size:011o}\0".encode()
    block[136:148] = b"00000000000\0"
    block[156:157] = flag
    block[257:265] = magic
    block[148:156] = b" " * 8
    total = sum(block)
    block[148:156] = checksum if checksum is not None else f"{total:06o}\0 ".encode()
    return bytes(block)


def padded(data: bytes) -> bytes:
    return data + bytes(-len(data) % 512)


def member(name: bytes, data: bytes = b"", *, flag: bytes = b"0", **kw: object) -> bytes:
    """A header and its data, padded to whole blocks."""
    return header(name, size=len(data), flag=flag, **kw) + padded(data)  # type: ignore[arg-type]


def pax_record(key: str, value: str) -> bytes:
    body = f" {key}={value}\n".encode()
    length = len(body) + 1
    while len(str(length)) + len(body) != length:
        length += 1
    return str(length).encode() + body


def extended(data: bytes, flag: bytes = b"x") -> bytes:
    """A PAX ('x', 'g') or GNU ('L', 'K') extended header with its data."""
    return header(b"././@PaxHeader", size=len(data), flag=flag) + padded(data)


def pax(**records: str) -> bytes:
    return extended(b"".join(pax_record(k, v) for k, v in records.items()))
