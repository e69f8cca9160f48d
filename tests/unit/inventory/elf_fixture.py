"""A minimal ELF64 file with chosen sections, written by hand for the program readers.

Only what pyelftools needs to find sections by name: the ELF header, the
sections' bytes, a section-name string table and the section headers. No
program headers: nothing here is meant to run.
"""

from __future__ import annotations

import struct


def elf_with_sections(sections: dict[str, bytes]) -> bytes:
    names = b"\0" + b"".join(name.encode() + b"\0" for name in [*sections, ".shstrtab"])
    body = b""
    offsets: list[tuple[int, int, int]] = []  # (name offset, file offset, size)
    data_start = 64
    name_pos = 1
    for name, data in [*sections.items(), (".shstrtab", names)]:
        offsets.append((name_pos, data_start + len(body), len(data)))
        name_pos += len(name) + 1
        body += data + b"\0" * (-len(data) % 8)
    shoff = data_start + len(body)
    count = len(offsets) + 1  # the null section first
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    header += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, count,
                          count - 1)
    table = b"\0" * 64
    for index, (name_off, offset, size) in enumerate(offsets):
        kind = 3 if index == len(offsets) - 1 else 1  # SHT_STRTAB, SHT_PROGBITS
        table += struct.pack("<IIQQQQIIQQ", name_off, kind, 0, 0, offset, size, 0, 0, 1, 0)
    return header + body + table


def uvarint(value: int) -> bytes:
    out = b""
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def go_buildinfo_section(version: str, modinfo: str) -> bytes:
    """``.go.buildinfo`` as Go 1.18+ writes it: header, then varint-prefixed strings, the
    module text between the 16-byte sentinels."""
    header = b"\xff Go buildinf:" + bytes([8, 2]) + b"\0" * 16
    wrapped = ("0" * 16 + modinfo + "\n" + "1" * 15).encode() if modinfo else b""
    return header + uvarint(len(version)) + version.encode() + uvarint(len(wrapped)) + wrapped
