"""``slimline sbom``: what is installed in an image or a root filesystem."""

from __future__ import annotations

import click

from slimline.cli.common import (
    emit_report,
    format_option,
    handle_errors,
    output_option,
    platform_option,
)
from slimline.cli.main import cli


@cli.command("sbom")
@click.argument("image")
@format_option(
    "text",
    "json",
    "cyclonedx",
    "spdx",
    help="Output format (text: a table; json: schema slimline.sbom/v1; cyclonedx: "
    "CycloneDX 1.6 JSON; spdx: SPDX 2.3 JSON).",
)
@platform_option()
@click.option(
    "--top",
    type=click.IntRange(0, 1_000_000),
    default=None,
    help="Rows of the unowned-file and mismatch lists [default: 20 in the table, all in JSON].",
)
@output_option("Write the SBOM to a file (atomically) instead of stdout.")
@handle_errors
def sbom_command(
    image: str, fmt: str, platform: str | None, top: int | None, output: str | None
) -> None:
    """List what IMAGE holds: OS, packages of every database, programs' build info,
    files no package owns, packages whose files are gone.

    \b
    IMAGE is any form `slimline analyze` reads (docker-daemon:NAME, docker-archive:PATH,
    oci:DIR, oci-archive:PATH, docker://..., NAME[:TAG], an archive or OCI layout
    PATH), or a root filesystem directory (dir:PATH, or a directory that is not an
    OCI layout).

    Exit status: 0 done, 2 bad input (an image or directory that cannot be read).
    """
    from slimline.inventory.target import inventory_of
    from slimline.report import RenderOptions

    inventory = inventory_of(image, platform)
    emit_report("sbom", fmt, inventory, output, RenderOptions(top=top))
