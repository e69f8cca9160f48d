"""``slimline db``: the local vulnerability database (import, update, status)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slimline.cli.common import handle_errors
from slimline.cli.main import EXIT_OK, cli

if TYPE_CHECKING:
    from slimline.vuln.db import SourceStats

_DB_HELP = "The database file [default: $SLIMLINE_VULNDB, else vulndb.sqlite3 in the user " \
           "cache directory]."


@cli.group("db")
def db_group() -> None:
    """The local vulnerability database that `slimline scan` reads.

    \b
    slimline db update            download the OSV exports and import them
    slimline db import PATH...    import OSV all.zip files, directories of OSV
                                  records, or the Debian security tracker's JSON
    slimline db status            sources, records per ecosystem, age
    """


def _report_import(stats: list[SourceStats], db_path: Path) -> None:
    from slimline.report.safe import visible

    for item in stats:
        for warning in item.warnings:
            click.echo(f"warning: {visible(warning, one_line=True)}", err=True)
        click.echo(f"{visible(item.path, one_line=True)} ({item.kind}): {item.records} records, "
                   f"{item.withdrawn} withdrawn skipped, {item.malformed} malformed skipped")
    click.echo(f"database: {visible(str(db_path), one_line=True)}")


@db_group.command("import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=False))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help=_DB_HELP)
@handle_errors
def db_import(paths: tuple[Path, ...], db_path: Path | None) -> None:
    """Build the database from PATHS, replacing the old one (atomically).

    Each PATH is an OSV export (all.zip), a directory of OSV records (.json,
    .yaml, searched recursively), one OSV record, or the Debian security
    tracker's JSON. Malformed records are skipped with a warning; an archive that
    cannot be read (or inflates past the limits) is exit 2 and leaves the old
    database in place.
    """
    from slimline.vuln.db import default_path, import_sources

    target = db_path or default_path()
    _report_import(import_sources(paths, target), target)
    sys.exit(EXIT_OK)


@db_group.command("update")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help=_DB_HELP)
@click.option("--ecosystem", "ecosystems", multiple=True,
              help="An OSV ecosystem to download (repeatable) [default: Debian, Alpine, PyPI, "
              "npm, Go, crates.io].")
@click.option("--debian-tracker/--no-debian-tracker", default=False, show_default=True,
              help="Also download the Debian security tracker's JSON.")
@handle_errors
def db_update(db_path: Path | None, ecosystems: tuple[str, ...], debian_tracker: bool) -> None:
    """Download the OSV exports and rebuild the database from them.

    Files come from https://osv-vulnerabilities.storage.googleapis.com/ECOSYSTEM/all.zip
    and are kept in downloads/ beside the database. A failed download leaves the
    database as it was.
    """
    from slimline.vuln.db import default_path, import_sources
    from slimline.vuln.update import DEFAULT_ECOSYSTEMS, download_sources

    target = db_path or default_path()
    paths = download_sources(target.parent / "downloads", ecosystems or DEFAULT_ECOSYSTEMS,
                             debian_tracker=debian_tracker,
                             progress=lambda line: click.echo(line, err=True))
    _report_import(import_sources(paths, target), target)
    sys.exit(EXIT_OK)


@db_group.command("status")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="JSON (schema slimline.db-status/v1).")
@handle_errors
def db_status(db_path: Path | None, as_json: bool) -> None:
    """Show the database's sources, records per ecosystem and age."""
    from slimline.report.safe import json_dumps, visible
    from slimline.vuln.db import open_database

    with open_database(db_path) as db:
        status = db.status()
    age = status.age_days()
    if as_json:
        click.echo(json_dumps({
            "schema": "slimline.db-status/v1",
            "path": str(status.path),
            "built": status.built.isoformat(),
            "age_days": round(age, 2),
            "advisories": status.advisories,
            "ecosystems": status.ecosystems,
            "sources": [{"path": s.path, "kind": s.kind, "records": s.records,
                         "withdrawn": s.withdrawn, "malformed": s.malformed}
                        for s in status.sources],
        }, ensure_ascii=True), nl=False)
        sys.exit(EXIT_OK)
    click.echo(f"database: {visible(str(status.path), one_line=True)}")
    click.echo(f"built:    {status.built.isoformat()} ({age:.1f} days ago)")
    click.echo(f"records:  {status.advisories}")
    click.echo("sources:")
    for s in status.sources:
        click.echo(f"  {visible(s.path, one_line=True)} ({s.kind}): {s.records} records, "
                   f"{s.withdrawn} withdrawn, {s.malformed} malformed")
    click.echo("records per ecosystem:")
    for ecosystem, count in status.ecosystems.items():
        click.echo(f"  {visible(ecosystem, one_line=True):<20} {count}")
    sys.exit(EXIT_OK)
