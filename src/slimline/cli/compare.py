"""``slimline compare A B``: sizes, files, packages, shells and package managers of two images."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slimline.cli.common import emit_report, format_option, handle_errors, write_html
from slimline.cli.main import EXIT_OK, cli


@cli.command("compare")
@click.argument("image_a")
@click.argument("image_b")
@format_option("text", "json", "markdown", short=False)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="Differences and packages shown (JSON: differences listed).",
)
@click.option(
    "--bandwidth",
    default="100Mbit",
    show_default=True,
    help="Bandwidth for the pull-time estimate (100Mbit, 1Gbit, 50MB = bytes/s).",
)
@click.option("--platform", help="os/arch[/variant] to pick from multi-platform images.")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
              help="Raise (or lower) a limit against hostile images, e.g. entries=5000000 "
                   "or total-bytes=500GiB (see docs/commands/analyze.md).")
@click.option(
    "--no-measure-pull", is_flag=True, help="Do not pull registry images again to time the pull."
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Vulnerability database for the attack surface [default: slimline's, "
              "when there is one; see `slimline db`].")
@click.option("--no-vulns", is_flag=True, help="Do not match vulnerabilities.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the report to a file.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report (difference bars, treemap) to this file.",
)
@handle_errors
def compare_command(
    image_a: str,
    image_b: str,
    fmt: str,
    top: int,
    bandwidth: str,
    platform: str | None,
    no_measure_pull: bool,
    output: str | None,
    html_path: Path | None,
    limits: tuple[str, ...],
    db_path: Path | None,
    no_vulns: bool,
) -> None:
    """Compare image IMAGE_A (before) with IMAGE_B (after).

    Images are references as for `slimline analyze`: docker-daemon:NAME,
    docker-archive:FILE, oci:DIR[:REF], oci-archive:FILE, docker://REF or a bare
    name. Shows sizes, layers, efficiency, base, user, shells and package
    managers side by side, the largest file and directory differences, and the
    packages (dpkg, apk, pip) removed, added or changed, read from the images, and
    the attack surface before -> after (packages, shells, package managers,
    setuid/setgid files and, with a vulnerability database, known vulnerabilities
    by severity).
    The pull time is estimated at --bandwidth; an image in a registry is also
    pulled once more, timed (unless --no-measure-pull).

    Exit codes: 0 compared, 2 bad input (an image that cannot be read).
    """
    from rich.console import Console

    from slimline.compare import compare, parse_bandwidth
    from slimline.image.limits import Limits, use
    from slimline.report import RenderOptions
    from slimline.report.safe import one_line

    click.get_current_context().with_resource(use(Limits.parse(limits)))
    bps = parse_bandwidth(bandwidth)
    err = Console(stderr=True, highlight=False, markup=False, emoji=False)
    status = err.status("reading", spinner="dots") if err.is_terminal and fmt == "text" else None

    def progress(message: str) -> None:
        if status is not None:
            status.update(one_line(message))

    if status is not None:
        with status:
            result = compare(
                image_a,
                image_b,
                bps,
                platform=platform,
                progress=progress,
                measure_pulls=not no_measure_pull,
                db_path=db_path,
                vulnerabilities=not no_vulns,
            )
    else:
        result = compare(
            image_a, image_b, bps, platform=platform, measure_pulls=not no_measure_pull,
            db_path=db_path, vulnerabilities=not no_vulns,
        )

    options = RenderOptions(top=top)
    emit_report("compare", fmt, result, output, options)
    if html_path is not None:
        write_html("compare", result, html_path, options)
    sys.exit(EXIT_OK)
