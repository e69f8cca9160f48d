"""``slimline sbom`` in the terminal: the packages, the files no package owns, the
packages whose files are gone. Names are shown as text, never read as markup."""

from __future__ import annotations

import sys
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline.inventory.collect import Inventory
from slimline.report.sbom_json import SbomOptions
from slimline.units import human_or_dash, human_size

SYSTEM_ECOSYSTEMS = ("deb", "apk", "rpm")
#: rows of the unowned-file and mismatch lists when the command line says nothing
DEFAULT_TOP = 20


def _shown(text: str) -> Text:
    """``text`` as plain text that any terminal shows as it is: undecodable bytes of a
    file name (``\\udcNN``) as ``\\xNN``, control characters (escape sequences) as
    ``\\xNN`` too. Never read as markup."""
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return Text("".join(f"\\x{ord(ch):02x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch
                        for ch in raw))


def _console(out: TextIO) -> Console:
    to_terminal = out is sys.stdout and sys.stdout.isatty()
    return Console(file=out, highlight=False, width=None if to_terminal else 120,
                   force_terminal=None if to_terminal else False)


def write_sbom_text(inventory: Inventory, out: TextIO, options: SbomOptions | None = None) -> None:
    top = (options or SbomOptions()).top
    top = DEFAULT_TOP if top is None else top
    console = _console(out)
    os_name = inventory.os.pretty_name or inventory.os.distro if inventory.os else "unknown"
    counts = ", ".join(f"{n} {eco}" for eco, n in sorted(inventory.counts().items())) or "none"
    head = Table.grid(padding=(0, 2))
    head.add_row("Target", _shown(inventory.target))
    if inventory.image_id:
        head.add_row("Image", Text(f"{inventory.image_id} ({inventory.platform})"))
    head.add_row("OS", _shown(os_name))
    head.add_row("Packages", Text(f"{len(inventory.components)} ({counts})"))
    head.add_row("Files", Text(f"{inventory.files} regular files, {human_size(inventory.bytes)}"))
    head.add_row("Unowned", Text(f"{len(inventory.unowned)} files no package owns, "
                                 f"{human_size(inventory.unowned_bytes)}"))
    console.print(head)

    table = Table(title="Packages", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("Type", "Name", "Version", "Source", "Size", "Found in"):
        table.add_column(column, justify="right" if column == "Size" else "left")
    for c in inventory.components:
        # the source package when it differs, with its version when that differs too
        source = "" if c.source in ("", c.name) and c.source_version in ("", c.version) \
            else c.source if c.source_version in ("", c.version) \
            else f"{c.source} {c.source_version}"
        # system packages come from their one database; language packages from anywhere
        where = "" if c.ecosystem in SYSTEM_ECOSYSTEMS else c.location
        table.add_row(c.ecosystem, _shown(c.name), _shown(c.version), _shown(source),
                      human_or_dash(c.size), _shown(where))
    console.print(table)

    if inventory.unowned and top:
        files = Table(title=f"Files no package owns (largest {min(top, len(inventory.unowned))} "
                            f"of {len(inventory.unowned)})",
                      title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        files.add_column("Size", justify="right")
        files.add_column("Layer", justify="right")
        files.add_column("Path")
        for info in inventory.unowned[:top]:
            files.add_row(human_size(info.size), str(info.layer + 1), _shown(info.path))
        console.print(files)

    if inventory.mismatches and top:
        gone = Table(title="Packages whose files are gone (the database no longer matches)",
                     title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("Type", "Name", "Version", "Gone", "For example"):
            gone.add_column(column)
        for m in inventory.mismatches[:top]:
            gone.add_row(m.component.ecosystem, _shown(m.component.name),
                         _shown(m.component.version),
                         f"{len(m.missing)} of {m.listed}", _shown(m.missing[0]))
        if len(inventory.mismatches) > top:
            gone.caption = f"and {len(inventory.mismatches) - top} more"
        console.print(gone)

    for note in inventory.notes:
        console.print(_shown(f"note: {note}"))
