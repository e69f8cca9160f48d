"""What a compiled program says it was built from: Go build info and cargo-auditable.

Go (1.18 and newer, and older with modules) writes a ``.go.buildinfo`` section:
a 16-byte header (``\\xff Go buildinf:``, the pointer size, flags) followed either
by the Go version and the module information as varint-prefixed strings (flag
``2``, Go 1.18+), or by two pointers to Go string headers to look up in the
program's segments. The module information is the text ``go version -m`` prints:
``path``, ``mod``, ``dep``, ``=>`` (replacement) and ``build`` lines.

Rust programs built with cargo-auditable carry a ``.dep-v0`` section: the
dependency tree as zlib-compressed JSON (``{"packages": [{"name", "version",
"source", "kind", "root"}]}``).

ELF files are read with pyelftools.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from dataclasses import dataclass, field

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from slimline.inventory.model import Component

ELF_MAGIC = b"\x7fELF"
_GO_MAGIC = b"\xff Go buildinf:"
_READ_ERRORS = (ELFError, ValueError, struct.error, EOFError, IndexError, KeyError,
                AttributeError, TypeError)


@dataclass(slots=True)
class GoBuildInfo:
    """``go version -m``: the toolchain, the main module and the dependencies."""

    go_version: str
    path: str = ""
    main: tuple[str, str] | None = None  # (module path, version)
    deps: list[tuple[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


def _uvarint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _elf(data: bytes) -> ELFFile | None:
    if not data.startswith(ELF_MAGIC):
        return None
    try:
        return ELFFile(io.BytesIO(data))
    except _READ_ERRORS:
        return None


def _section(elf: ELFFile, name: str) -> bytes | None:
    try:
        section = elf.get_section_by_name(name)
        return None if section is None else bytes(section.data())
    except _READ_ERRORS:
        return None


def _at_address(elf: ELFFile, data: bytes, address: int, size: int) -> bytes:
    for segment in elf.iter_segments():
        start = segment["p_vaddr"]
        if segment["p_type"] == "PT_LOAD" and start <= address < start + segment["p_filesz"]:
            offset = segment["p_offset"] + address - start
            return data[offset : offset + size]
    raise ValueError(f"address {address:#x} is in no segment")


def _pointer_strings(elf: ELFFile, data: bytes, blob: bytes) -> tuple[str, str]:
    """Go before 1.18: the header points to the version and modinfo string headers."""
    ptr_size = blob[14]
    order = ">" if blob[15] & 1 else "<"
    fmt = order + ("Q" if ptr_size == 8 else "I")

    def read_pointer(raw: bytes) -> int:
        value: int = struct.unpack(fmt, raw[:ptr_size])[0]
        return value

    def read_string(header_address: int) -> str:
        header = _at_address(elf, data, header_address, 2 * ptr_size)
        pointer, length = read_pointer(header), read_pointer(header[ptr_size:])
        return _at_address(elf, data, pointer, length).decode("utf-8", "replace")

    version = read_string(read_pointer(blob[16:]))
    modinfo = read_string(read_pointer(blob[16 + ptr_size :]))
    return version, modinfo


def parse_go_buildinfo(data: bytes) -> GoBuildInfo | None:
    """The build information of a Go ELF program; None when ``data`` is not one."""
    elf = _elf(data)
    if elf is None:
        return None
    blob = _section(elf, ".go.buildinfo")
    if blob is None or not blob.startswith(_GO_MAGIC) or len(blob) < 32:
        return None
    try:
        if blob[15] & 2:
            length, pos = _uvarint(blob, 32)
            version = blob[pos : pos + length].decode("utf-8", "replace")
            length, pos = _uvarint(blob, pos + length)
            modinfo = blob[pos : pos + length].decode("utf-8", "replace")
        else:
            version, modinfo = _pointer_strings(elf, data, blob)
    except _READ_ERRORS:
        return None
    if not version.startswith("go"):
        return None
    if len(modinfo) >= 33 and modinfo[-17] == "\n":
        modinfo = modinfo[16:-16]  # the sentinels around the text
    return parse_modinfo(version, modinfo)


def parse_modinfo(go_version: str, text: str) -> GoBuildInfo:
    """The ``path``/``mod``/``dep``/``=>``/``build`` lines of Go's module information."""
    info = GoBuildInfo(go_version)
    last: str | None = None  # the entry a ``=>`` line replaces: "mod" or "dep"
    for line in text.splitlines():
        parts = line.split("\t")
        kind = parts[0]
        if kind == "path" and len(parts) >= 2:
            info.path = parts[1]
        elif kind in ("mod", "dep") and len(parts) >= 3:
            entry = (parts[1], parts[2])
            if kind == "mod":
                info.main = entry
            else:
                info.deps.append(entry)
            last = kind
        elif kind == "=>" and len(parts) >= 3 and last is not None:
            entry = (parts[1], parts[2])
            if last == "mod":
                info.main = entry
            elif info.deps:
                info.deps[-1] = entry
        elif kind == "build" and len(parts) >= 2:
            key, _, value = parts[1].partition("=")
            info.settings[key] = value
    return info


def go_components(path: str, info: GoBuildInfo) -> list[Component]:
    """The main module (unless it is ``(devel)``), the dependencies and the standard
    library (``stdlib`` at the toolchain's version) of a Go program at ``path``."""
    out: list[Component] = []
    if info.main is not None and info.main[1] not in ("", "(devel)"):
        out.append(Component("go", info.main[0], info.main[1], path, files=(path,)))
    out.extend(Component("go", module, version, path, files=(path,))
               for module, version in info.deps)
    # "go1.19.8", "go1.22.0 X:boringcrypto": the release is the first word
    release = info.go_version.split()[0].removeprefix("go")
    out.append(Component("go", "stdlib", release, path, files=(path,)))
    return out


def parse_cargo_auditable(data: bytes) -> list[tuple[str, str, str]] | None:
    """(name, version, source) of each crate in a cargo-auditable ``.dep-v0`` section
    (build-only dependencies left out); None when ``data`` has no such section."""
    elf = _elf(data)
    blob = None if elf is None else _section(elf, ".dep-v0")
    if blob is None:
        return None
    try:
        doc = json.loads(zlib.decompress(blob))
    except (zlib.error, ValueError):
        return None
    packages = doc.get("packages") if isinstance(doc, dict) else None
    if not isinstance(packages, list):
        return None
    return [
        (str(p["name"]), str(p["version"]), str(p.get("source", "")))
        for p in packages
        if isinstance(p, dict) and "name" in p and "version" in p
        and p.get("kind", "runtime") != "build"
    ]


def binary_components(path: str, data: bytes) -> list[Component]:
    """The Go modules or Rust crates a program at ``path`` was built from (often none)."""
    go = parse_go_buildinfo(data)
    if go is not None:
        return go_components(path, go)
    crates = parse_cargo_auditable(data)
    if crates is not None:
        return [Component("rust", name, version, path, files=(path,))
                for name, version, _source in crates]
    return []
