"""Terminal output of the attack surface before -> after, for ``compare`` and ``optimize``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from slimline.report.safe import one_line, visible
from slimline.report.views import (
    package_counts,
    package_version,
    surface_note,
    surface_rows,
    top_packages,
    vulnerability_rows,
)
from slimline.units import human_or_dash

if TYPE_CHECKING:
    from slimline.compare import AttackSurface, PackageChange


def render_surface(console: Console, surface: AttackSurface | None,
                   labels: tuple[str, str] = ("A", "B"), *, top: int = 15) -> None:
    """The summary table, why vulnerabilities are missing when they are, and the known
    vulnerabilities removed and added (at most ``top`` of them)."""
    table = Table(title="Attack surface", show_header=True, header_style="bold")
    table.add_column("")
    table.add_column(labels[0], justify="right")
    table.add_column(labels[1], justify="right")
    table.add_column("change", justify="right")
    for label, va, vb, delta in surface_rows(surface):
        table.add_row(label, va, vb, delta)
    if table.row_count:
        console.print(table)
    if note := surface_note(surface):
        console.print(Text(visible(note), style="dim"))
    rows = vulnerability_rows(surface)
    if not rows:
        return
    vulns = Table(title=f"Known vulnerabilities removed and added ({len(rows)})",
                  show_header=True, header_style="bold")
    for column in ("change", "id", "severity", "packages"):
        vulns.add_column(column, overflow="fold")
    for change, vid, severity, packages in rows[:top]:
        vulns.add_row(Text(change, style="green" if change == "removed" else "red"),
                      one_line(vid), severity, one_line(packages))
    console.print(vulns)
    if len(rows) > top:
        console.print(Text(f"... and {len(rows) - top} more (JSON lists them all)", style="dim"))


def render_packages(console: Console, packages: list[PackageChange], top: int) -> None:
    """The packages removed, added and changed, the largest first (``top`` of each)."""
    table = Table(title=f"Packages ({package_counts(packages)})", show_header=True,
                  header_style="bold")
    table.add_column("change")
    table.add_column("package")
    table.add_column("version", overflow="fold")
    table.add_column("size", justify="right")
    table.add_column("")
    for pkg in top_packages(packages, top):
        table.add_row(pkg.change, one_line(f"{pkg.name} ({pkg.ecosystem})"),
                      one_line(package_version(pkg)), human_or_dash(pkg.size or None),
                      "toolchain" if pkg.toolchain else "")
    console.print(table)
