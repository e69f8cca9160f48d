"""``slimline optimize`` on a compose project (the branch of :mod:`slimline.cli.optimize`
taken when the directory holds a compose file, or ``--compose-file`` names one)."""

from __future__ import annotations

import sys
from pathlib import Path

from slimline.cli.common import emit_report
from slimline.cli.main import EXIT_FINDINGS, EXIT_OK
from slimline.errors import SlimlineError


def run_compose(
    compose_file: Path,
    *,
    services: tuple[str, ...],
    unsafe: bool,
    runtime: str,
    write: bool,
    no_build: bool,
    fmt: str,
    output: str | None,
    bandwidth: str,
    config_path: Path | None,
    refused: list[str],
) -> None:
    """Optimize every built service of ``compose_file``, report, write, exit (1 when a
    service failed). ``refused`` names the options that have no meaning here."""
    from dataclasses import replace

    import click

    from slimline.compare import parse_bandwidth
    from slimline.compose import load_project
    from slimline.optimize_compose import ComposeOptions, optimize_compose, write_verified
    from slimline.report.safe import one_line

    if refused:
        raise SlimlineError(
            f"{', '.join(refused)}: not for a compose project (each service has its own "
            "probe: x-slimline-probe in the compose file, or [probe] in its context)",
            path=compose_file,
        )
    project = load_project(compose_file)
    if services:
        unknown = sorted(set(services) - {s.name for s in project.services})
        if unknown:
            raise SlimlineError(
                f"no built service named {', '.join(unknown)} "
                f"(built services: {', '.join(s.name for s in project.services) or 'none'})",
                path=compose_file,
            )
        project = replace(
            project, services=tuple(s for s in project.services if s.name in services)
        )
    if not project.services:
        raise SlimlineError("no service has a build: nothing to optimize", path=compose_file)

    def progress(step: str, message: str) -> None:
        if step != "log":
            click.echo(f"... {one_line(message)}", err=True)

    options = ComposeOptions(
        unsafe=unsafe,
        runtime=runtime,
        build=not no_build,
        bandwidth_bps=parse_bandwidth(bandwidth),
        config_path=config_path,
    )
    result = optimize_compose(project, options, progress)
    if write:
        for service in write_verified(result):
            kept = f" (original kept as {service.backup.name})" if service.backup else ""
            click.echo(
                f"Wrote {', '.join(str(p) for p in service.written) or 'nothing'}{kept}", err=True
            )
        left = [s.name for s in result.services if not s.written]
        if left:
            click.echo(
                f"Not written (no optimized image that passed its probe): {', '.join(left)}",
                err=True,
            )
    emit_report("optimize-compose", fmt, result, output)
    sys.exit(EXIT_FINDINGS if result.failed or result.unverified else EXIT_OK)
