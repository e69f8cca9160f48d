"""apk's database: ``/lib/apk/db/installed``.

One block per package, blocks separated by blank lines, one ``X:value`` line
per field. The keys are single letters and case matters (``P`` is the name,
``p`` what it provides; ``I`` the installed size, ``i`` install_if), so the
deb822 reader, whose keys are case-insensitive, does not fit.
"""

from __future__ import annotations

import re

from slimline.inventory.model import Package

_BLOCKS = re.compile(r"\n\s*\n")


def parse_apk_installed(text: str) -> list[Package]:
    """Packages of apk's ``installed`` (``P:`` name, ``V:`` version, ``I:`` size in bytes)."""
    out: list[Package] = []
    for block in _BLOCKS.split(text):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if len(line) >= 2 and line[1] == ":" and line[0] not in fields:
                fields[line[0]] = line[2:].strip()
        if "P" in fields:
            size = fields.get("I", "")
            version = fields.get("V", "")
            out.append(
                Package("apk", fields["P"], version, int(size) if size.isdigit() else None,
                        fields.get("o", ""), version if "o" in fields else "")  # o: origin
            )
    return out
