"""apk's database: ``/lib/apk/db/installed``.

One block per package, blocks separated by blank lines, one ``X:value`` line
per field. The keys are single letters and case matters (``P`` is the name,
``p`` what it provides; ``I`` the installed size, ``i`` install_if), so the
deb822 reader, whose keys are case-insensitive, does not fit. A package's files
are ``F:`` directory lines each followed by the ``R:`` file names in it.
"""

from __future__ import annotations

import re

from slimline.inventory.model import Component, Package

_BLOCKS = re.compile(r"\n\s*\n")


def parse_apk_components(text: str, location: str) -> list[Component]:
    """Packages of apk's ``installed``: ``P`` name, ``V`` version, ``A`` arch, ``o``
    origin (the source package), ``L`` license, ``I`` size in bytes, ``F``/``R`` files."""
    out: list[Component] = []
    for block in _BLOCKS.split(text):
        fields: dict[str, str] = {}
        files: list[str] = []
        directory = ""
        for line in block.splitlines():
            if len(line) < 2 or line[1] != ":":
                continue
            key, value = line[0], line[2:].strip()
            if key == "F":
                directory = value
            elif key == "R":
                files.append(f"/{directory}/{value}" if directory else f"/{value}")
            elif key not in fields:
                fields[key] = value
        if "P" not in fields:
            continue
        size = fields.get("I", "")
        version = fields.get("V", "")
        out.append(
            Component(
                "apk", fields["P"], version, location,
                arch=fields.get("A", ""),
                source=fields.get("o", fields["P"]),
                source_version=version,
                files=tuple(files),
                size=int(size) if size.isdigit() else None,
                licenses=(fields["L"],) if fields.get("L") else (),
            )
        )
    return out


def parse_apk_installed(text: str) -> list[Package]:
    """Packages of apk's ``installed`` (``P:`` name, ``V:`` version, ``I:`` size in bytes)."""
    return [Package("apk", c.name, c.version, c.size) for c in parse_apk_components(text, "")]
