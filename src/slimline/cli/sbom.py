"""``slimline sbom``: what is installed in an image or a root filesystem."""

from __future__ import annotations

import click

from slimline.cli.common import handle_errors, output_stream
from slimline.cli.main import cli

FORMATS = ("table", "json", "cyclonedx", "spdx")


@cli.command("sbom")
@click.argument("image")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="Output format (json: schema slimline.sbom/v1; cyclonedx: "
              "CycloneDX 1.6 JSON; spdx: SPDX 2.3 JSON).")
@click.option("--platform", help="os/arch[/variant] to pick from a multi-platform image "
              "[default: the host's].")
@click.option("--top", type=click.IntRange(0, 1_000_000), default=None,
              help="Rows of the unowned-file and mismatch lists [default: 20 in the table, "
              "all in JSON].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the SBOM to a file (atomically) instead of stdout.")
@handle_errors
def sbom_command(image: str, fmt: str, platform: str | None, top: int | None,
                 output: str | None) -> None:
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
    from slimline.report.sbom_json import SbomOptions

    inventory = inventory_of(image, platform)
    options = SbomOptions(top=top)
    with output_stream(output) as out:
        if fmt == "table":
            from slimline.report.sbom_text import write_sbom_text

            write_sbom_text(inventory, out, options)
        elif fmt == "json":
            from slimline.report.sbom_json import sbom_json

            out.write(sbom_json(inventory, options))
        elif fmt == "cyclonedx":
            from slimline.report.sbom_cyclonedx import sbom_cyclonedx

            out.write(sbom_cyclonedx(inventory, options))
        else:
            from slimline.report.sbom_spdx import sbom_spdx

            out.write(sbom_spdx(inventory, options))
