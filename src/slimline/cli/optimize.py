"""``slimline optimize``: lint, fix, build before/after, verify, analyze and report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slimline.cli.common import (
    config_option,
    emit_report,
    format_option,
    handle_errors,
    output_option,
    runtime_option,
    write_html,
)
from slimline.cli.main import EXIT_FINDINGS, EXIT_OK, cli
from slimline.knowledge.runtimes import RUNTIME_KINDS


@cli.command("optimize")
@click.argument(
    "directory",
    required=False,
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "-f",
    "--file",
    "dockerfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The Dockerfile (default: DIRECTORY/Dockerfile).",
)
@click.option(
    "--unsafe",
    is_flag=True,
    help="Apply structural fixes too (multi-stage, slim/distroless base, non-root user, layer order).",
)
@runtime_option(
    "Runtime stage for the multi-stage rewrite; auto builds every runtime the rewrite can "
    "produce and keeps the smallest image that passes its probe.",
    choices=("auto", *RUNTIME_KINDS),
    default="auto",
)
@click.option(
    "-w",
    "--write",
    is_flag=True,
    help="Write the optimized Dockerfile and .dockerignore (atomically, original kept as .orig) when the optimized image passed its probe.",
)
@click.option(
    "--no-build", is_flag=True, help="Do not build: show the findings and the proposed diff only."
)
@format_option("text", "json", "markdown", short=False)
@output_option("Write the report to a file.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report (charts, before/after) to this file.",
)
@click.option(
    "--bandwidth",
    default="100Mbit",
    show_default=True,
    help="Bandwidth for the pull-time estimate.",
)
@click.option("--probe-port", type=int, help="HTTP probe: container port.")
@click.option("--probe-path", default=None, help="HTTP probe: path [default: /].")
@click.option(
    "--probe-status", type=int, default=None, help="HTTP probe: expected status [default: 200]."
)
@click.option("--probe-body", default=None, help="HTTP probe: a substring the body must contain.")
@click.option(
    "--probe-command",
    default=None,
    help="Command probe: a command to run in the container (shell words).",
)
@click.option(
    "--probe-output", default=None, help="Command probe: a substring its output must contain."
)
@click.option(
    "--probe-timeout", type=int, default=None, help="Probe timeout in seconds [default: 30]."
)
@click.option(
    "--compose-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A compose file: optimize each service that has a build (default: DIRECTORY's compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml, unless -f names a Dockerfile).",
)
@click.option(
    "--service",
    "services",
    multiple=True,
    help="With a compose file: only this service (repeatable).",
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Vulnerability database for the attack surface [default: slimline's, "
              "when there is one; see `slimline db`].")
@click.option("--no-vulns", is_flag=True, help="Do not match vulnerabilities.")
@config_option()
@handle_errors
def optimize_command(
    directory: Path,
    dockerfile: Path | None,
    unsafe: bool,
    runtime: str,
    write: bool,
    no_build: bool,
    fmt: str,
    output: str | None,
    html_path: Path | None,
    bandwidth: str,
    probe_port: int | None,
    probe_path: str | None,
    probe_status: int | None,
    probe_body: str | None,
    probe_command: str | None,
    probe_output: str | None,
    probe_timeout: int | None,
    compose_file: Path | None,
    services: tuple[str, ...],
    config_path: Path | None,
    db_path: Path | None = None,
    no_vulns: bool = False,
) -> None:
    """Optimize the project in DIRECTORY end to end, with proof.

    Lints the Dockerfile and build context, applies fixes (safe ones; structural ones with
    --unsafe), builds the original and the optimized image with the Docker engine, starts
    both and checks them with the project's probe ([probe] in .slimline.toml, or
    [tool.slimline.probe] in pyproject.toml, or the --probe-* options), analyzes both and
    reports the gain: size, the packages removed and added, and the attack surface
    before -> after (packages, shells, package managers, setuid/setgid files and, with a
    vulnerability database, the known vulnerabilities removed and added).
    Your files change only with --write, and only when the optimized
    image passed its probe.

    With --runtime auto (the default) every runtime the rewrite can produce (scratch for
    static binaries, distroless, slim) is built and probed, and the smallest image that
    passes is kept; the report lists each candidate, its size and why it was kept or
    dropped. --runtime slim|distroless|scratch builds that one rewrite.

    Exit codes: 0 optimized (or nothing to do), 1 no optimized image built and passed its
    probe, 2 bad input or the original does not build.
    """
    import shlex

    from rich.console import Console
    from rich.text import Text

    from slimline.cli.common import write_atomic
    from slimline.compare import parse_bandwidth, require_database
    from slimline.engine import load_probe_config
    from slimline.engine.probe import probe_from_mapping
    from slimline.errors import SlimlineError
    from slimline.lint.config import load_config
    from slimline.optimize import OptimizeOptions, optimize
    from slimline.report import RenderOptions
    from slimline.report.safe import one_line

    if compose_file is None and dockerfile is None:
        from slimline.compose import find_compose_file

        compose_file = find_compose_file(directory)
    if compose_file is not None:  # a compose project: each service with a build
        from slimline.cli.optimize_compose import run_compose

        probe_options = (probe_port, probe_path, probe_status, probe_body, probe_command,
                         probe_output, probe_timeout)
        run_compose(
            compose_file, services=services, unsafe=unsafe, runtime=runtime, write=write,
            no_build=no_build, fmt=fmt, output=output, bandwidth=bandwidth,
            config_path=config_path,
            refused=(["--probe-*"] if any(v is not None for v in probe_options) else [])
            + (["-f/--file"] if dockerfile else []) + (["--html"] if html_path else []),
        )
    path = dockerfile or directory / "Dockerfile"
    if not path.is_file():
        raise SlimlineError(
            "no Dockerfile here (use -f, or `slimline init` to write one)", path=path
        )
    config = load_config(path, config_path)
    if not no_vulns:
        require_database(db_path)  # a database named but missing fails before any build
    flags: dict[str, object] = {}
    if probe_port is not None:
        flags["port"] = probe_port
    if probe_command is not None:
        flags["command"] = shlex.split(probe_command)
    for key, value in (
        ("path", probe_path),
        ("status", probe_status),
        ("body_contains", probe_body),
        ("output_contains", probe_output),
        ("timeout", probe_timeout),
    ):
        if value is not None:
            flags[key] = value
    probe = (
        probe_from_mapping(flags, "command line")
        if ("port" in flags or "command" in flags)
        else load_probe_config(directory)
    )
    if probe is None and flags:
        raise SlimlineError("--probe-* options need --probe-port or --probe-command")

    err = Console(stderr=True, highlight=False, markup=False, emoji=False)  # paths are not markup
    status = err.status("starting", spinner="dots") if err.is_terminal and fmt == "text" else None
    last: dict[str, str] = {}

    def progress(step: str, message: str) -> None:
        message = one_line(message)  # build logs and paths: control characters made visible
        if step == "log":
            last["line"] = message
            if status is not None:
                line = Text(f"{last.get('step', '')}  ")
                line.append(message[-90:], style="dim")
                status.update(line)
            return
        last["step"] = message
        if status is not None:
            status.update(message)
        else:
            err.print(f"... {message}", style="dim")

    options = OptimizeOptions(
        dockerfile=path,
        context=directory,
        unsafe=unsafe,
        runtime=runtime,
        config=config,
        probe=probe,
        build=not no_build,
        bandwidth_bps=parse_bandwidth(bandwidth),
        db_path=db_path,
        vulnerabilities=not no_vulns,
    )
    if status is not None:
        with status:
            result = optimize(options, progress)
    else:
        result = optimize(options, progress)

    emit_report("optimize", fmt, result, output, RenderOptions())
    if html_path is not None:
        write_html("optimize", result, html_path)
    if write:
        if result.status in ("optimized", "no-gain") and (
            result.after is None or result.after.probe_passed is not False
        ):
            from slimline import fsio

            kept = None
            if result.fix.fixed != result.fix.original:
                kept = fsio.rewrite(
                    path,
                    result.fix.fixed.encode("utf-8", "surrogateescape"),
                    expected=result.fix.original.encode("utf-8", "surrogateescape"),
                )
            for other, content in result.fix.files.items():
                write_atomic(other, content)
            err.print(
                f"Wrote {path}"
                + (
                    f" and {', '.join(str(p) for p in result.fix.files)}"
                    if result.fix.files
                    else ""
                )
                + (f" (original kept as {kept.name})" if kept is not None else "")
            )
        elif result.status == "no-engine":
            err.print(
                "Not written: nothing was built, so nothing was proven (run without --no-build on a machine with Docker).",
                style="yellow",
            )
        elif result.status in ("probe-failed", "build-failed"):
            err.print("Not written: the optimized image did not pass.", style="red")
    if result.status in ("probe-failed", "build-failed"):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)
