"""A minimal ELF64 file with chosen sections, written by hand for the program readers.

Only what pyelftools needs to find sections by name: the ELF header, the
sections' bytes, a section-name string table and the section headers. No
program headers: nothing here is meant to run.
"""

from __future__ import annotations

import struct

#: where :func:`elf_with_sections` puts the first section's bytes with ``load_base``
FIRST_SECTION_WITH_SEGMENT = 64 + 56


def elf_with_sections(sections: dict[str, bytes], load_base: int | None = None) -> bytes:
    """With ``load_base``, one PT_LOAD segment maps the whole file at that address (the
    first section's bytes are then at file offset :data:`FIRST_SECTION_WITH_SEGMENT`)."""
    names = b"\0" + b"".join(name.encode() + b"\0" for name in [*sections, ".shstrtab"])
    body = b""
    offsets: list[tuple[int, int, int]] = []  # (name offset, file offset, size)
    data_start = 64 if load_base is None else FIRST_SECTION_WITH_SEGMENT
    name_pos = 1
    for name, data in [*sections.items(), (".shstrtab", names)]:
        offsets.append((name_pos, data_start + len(body), len(data)))
        name_pos += len(name) + 1
        body += data + b"\0" * (-len(data) % 8)
    shoff = data_start + len(body)
    count = len(offsets) + 1  # the null section first
    phoff, phnum = (0, 0) if load_base is None else (64, 1)
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    header += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, phoff, shoff, 0, 64, 56, phnum, 64,
                          count, count - 1)
    if load_base is not None:
        size = shoff + 64 * count
        header += struct.pack("<IIQQQQQQ", 1, 5, 0, load_base, load_base, size, size, 0x1000)
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


def go_buildinfo_pointers(version: str, modinfo: str, section_address: int) -> bytes:
    """``.go.buildinfo`` as Go before 1.18 writes it: the header holds the addresses of
    two Go string headers (pointer, length), here placed in the section itself at
    ``section_address``."""
    wrapped = ("0" * 16 + modinfo + "\n" + "1" * 15).encode()
    strings_at = section_address + 64
    headers = struct.pack("<QQQQ", strings_at, len(version),
                          strings_at + len(version), len(wrapped))
    header = b"\xff Go buildinf:" + bytes([8, 0])
    header += struct.pack("<QQ", section_address + 32, section_address + 48)
    return header + headers + version.encode() + wrapped
