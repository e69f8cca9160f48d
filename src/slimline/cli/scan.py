"""``slimline scan``: known vulnerabilities of an image's packages (local database)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slimline.cli.common import (
    emit_report,
    format_option,
    handle_errors,
    output_option,
    platform_option,
)
from slimline.cli.main import EXIT_FINDINGS, EXIT_OK, cli

FORMATS = ("text", "json", "sarif")
LEVELS = ("negligible", "low", "medium", "high", "critical")


@cli.command("scan")
@click.argument("image")
@format_option(*FORMATS, help="Output format (json: schema slimline.scan/v1; sarif: 2.1.0).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The vulnerability database [default: $SLIMLINE_VULNDB, else the one "
              "`slimline db update` writes in the user cache directory].")
@click.option("--fail-on", type=click.Choice(LEVELS),
              help="Exit 1 when a vulnerability of this severity or higher is found.")
@click.option("--only-fixed", is_flag=True, help="Only vulnerabilities that have a fix.")
@click.option("--max-db-age", "max_age", type=click.FloatRange(min=0, min_open=True),
              help="Warn when the database is older than this many days [default: "
              "scan.max-db-age-days of the configuration, else 7].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file with a [scan] table [default: the nearest "
              ".slimline.toml, slimline.toml or pyproject.toml].")
@platform_option()
@click.option("--top", type=click.IntRange(0), default=None,
              help="Text: list at most this many vulnerabilities.")
@output_option("Write the report to a file instead of stdout.")
@handle_errors
def scan_command(image: str, fmt: str, db_path: Path | None, fail_on: str | None,
                 only_fixed: bool, max_age: float | None, config_path: Path | None,
                 platform: str | None, top: int | None, output: str | None) -> None:
    """Scan IMAGE's packages for known vulnerabilities.

    IMAGE is any form `slimline analyze` reads (docker-daemon:, docker-archive:,
    oci:, oci-archive:, docker://, NAME[:TAG], PATH). Packages come from the dpkg,
    apk and Python databases in the image; Debian packages are matched by source
    package in the image's Debian release. The database is local: get one with
    `slimline db update` or `slimline db import`.

    \b
    Ignore list (.slimline.toml):
      [scan]
      ignore = [{id = "CVE-2024-1234", reason = "not reachable", expires = "2027-01-01"}]

    Exit status: 0 done, 1 --fail-on matched, 2 bad input or no database.
    """
    from slimline.report import RenderOptions
    from slimline.vuln.config import load_scan_config
    from slimline.vuln.model import Level
    from slimline.vuln.scan import ScanRequest, run_scan

    config = load_scan_config(Path.cwd(), config_path)
    if max_age is not None:
        config.max_age_days = max_age
    result = run_scan(ScanRequest(
        reference=image, db_path=db_path, platform=platform, only_fixed=only_fixed,
        fail_on=Level.parse(fail_on) if fail_on else None, config=config))
    if fmt != "text":
        for warning in result.warnings:
            click.echo(f"slimline: warning: {warning}", err=True)
    emit_report("scan", fmt, result, output, RenderOptions(top=top))
    sys.exit(EXIT_FINDINGS if result.failed else EXIT_OK)
