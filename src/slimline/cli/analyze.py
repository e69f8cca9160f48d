"""``slimline analyze``: where an image's bytes are, what is wasted, what to change."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import click

from slimline.cli.common import (
    emit_report,
    format_option,
    handle_errors,
    output_option,
    platform_option,
    write_html,
)
from slimline.cli.main import EXIT_FINDINGS, EXIT_OK, cli

FORMATS = ("text", "json", "markdown")
DEFAULT_CI_CONFIG = ".dive-ci"


class _Bar:
    """A rich progress bar on stderr while layers are read (a ProgressSink)."""

    def __init__(self, description: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}", markup=False),  # the description names input
            BarColumn(),
            DownloadColumn(binary_units=False),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._description = description
        self._task: Any = None
        self._layers = 0
        self._done = 0
        self._lock = threading.Lock()

    def __enter__(self) -> _Bar:
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, total_bytes: int, layers: int) -> None:
        with self._lock:
            self._layers = layers
            self._progress.update(self._task, total=total_bytes or None, completed=0)

    def advance(self, nbytes: int) -> None:
        self._progress.advance(self._task, nbytes)

    def layer_done(self, index: int) -> None:
        with self._lock:
            self._done += 1
            label = f"{self._description} (layer {self._done}"
            label += f"/{self._layers})" if self._layers else ")"
            self._progress.update(self._task, description=label)


@cli.command("analyze")
@click.argument("image")
@format_option(*FORMATS, help="Output format (json: schema slimline.analyze/v1).")
@click.option("--dockerfile", type=click.Path(dir_okay=False, path_type=str),
              help="Tie layers and findings to the lines of the Dockerfile that built the image.")
@platform_option()
@click.option("--base", "base", help="The base image (any IMAGE form): its layers are "
              "reported as base layers.")
@click.option("--top", type=click.IntRange(0, 10_000), default=10, show_default=True,
              help="How many largest files, directories and wasteful paths to list.")
@click.option("--ci", is_flag=True, help="Check the CI gates (dive's .dive-ci rules, with "
              "dive's defaults) and exit 1 when one fails.")
@click.option("--ci-config", type=click.Path(dir_okay=False, path_type=Path),
              help=f"YAML file with the gate rules [default: {DEFAULT_CI_CONFIG} when present].")
@click.option("--lowest-efficiency", help="Fail below this efficiency (0-1; dive's metric).")
@click.option("--highest-wasted-bytes", help="Fail when dive's wasted bytes exceed this "
              "(e.g. 20MB).")
@click.option("--highest-user-wasted-percent", help="Fail when wasted/user bytes exceed this "
              "ratio (0-1).")
@click.option("--max-size", help="Fail when the image is larger than this (e.g. 200MB).")
@click.option("--max-reclaimable", help="Fail when squashing would free more than this.")
@click.option("--verify", "verify_all", is_flag=True,
              help="Check the digest of every layer, local uncompressed ones included "
              "(registry and compressed blobs are always checked).")
@output_option("Write the report to a file instead of stdout.")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
              help="Raise (or lower) a limit against hostile images, e.g. entries=5000000 "
                   "or total-bytes=500GiB (see docs/commands/analyze.md).")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report (layer chart, treemaps) to this file.")
@handle_errors
def analyze_command(
    image: str,
    fmt: str,
    dockerfile: str | None,
    platform: str | None,
    base: str | None,
    top: int,
    ci: bool,
    ci_config: Path | None,
    lowest_efficiency: str | None,
    highest_wasted_bytes: str | None,
    highest_user_wasted_percent: str | None,
    max_size: str | None,
    max_reclaimable: str | None,
    verify_all: bool,
    output: str | None,
    no_progress: bool,
    html_path: Path | None,
    limits: tuple[str, ...],
) -> None:
    """Analyze IMAGE: size per layer and instruction, waste, efficiency, advice.

    \b
    IMAGE is one of:
      docker-daemon:NAME[:TAG]        an image in the local Docker engine
      docker-archive:PATH[:REF]       a `docker save` archive (REF: NAME:TAG or @N)
      oci:DIR[:REF]                   an OCI image layout
      oci-archive:PATH[:REF]          a tar of an OCI image layout
      docker://HOST/NAME:TAG|@DIGEST  a registry
      NAME[:TAG]                      the daemon when one answers, else the registry
      PATH                            an archive file or an OCI layout directory

    Exit status: 0 done, 1 a CI gate failed, 2 bad input.
    """
    from slimline.analysis.ci import read_dive_ci, resolve_gates
    from slimline.analysis.run import AnalyzeRequest, run_analyze
    from slimline.image.limits import Limits, use
    from slimline.report import RenderOptions

    click.get_current_context().with_resource(use(Limits.parse(limits)))

    file_rules: dict[str, str] = {}
    if ci_config is not None:
        file_rules = read_dive_ci(ci_config)
    elif ci and Path(DEFAULT_CI_CONFIG).is_file():
        file_rules = read_dive_ci(Path(DEFAULT_CI_CONFIG))
    gates = resolve_gates(
        ci or ci_config is not None,
        file_rules,
        {
            "lowest-efficiency": lowest_efficiency,
            "highest-wasted-bytes": highest_wasted_bytes,
            "highest-user-wasted-percent": highest_user_wasted_percent,
            "max-size": max_size,
            "max-reclaimable": max_reclaimable,
        },
    )
    request = AnalyzeRequest(
        reference=image,
        platform=platform,
        dockerfile=dockerfile,
        base=base,
        # The HTML treemap needs more directories than the text tables show.
        top=max(top, 200) if html_path is not None else top,
        verify_all=verify_all,
        gates=gates,
    )
    show_bar = fmt == "text" and not no_progress and sys.stderr.isatty()
    if show_bar:
        with _Bar(f"reading {image}") as bar:
            result = run_analyze(request, bar)
    else:
        result = run_analyze(request)

    options = RenderOptions(top=top)
    emit_report("analyze", fmt, result, output, options)
    if html_path is not None:
        write_html("analyze", result, html_path, options)
    sys.exit(EXIT_FINDINGS if result.gates_failed else EXIT_OK)
