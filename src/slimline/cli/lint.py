"""``slimline lint``: check Dockerfiles and their build context."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slimline.cli.common import (
    config_option,
    context_option,
    emit_report,
    format_option,
    handle_errors,
    output_option,
)
from slimline.cli.main import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, cli

FORMATS = ("text", "json", "sarif", "github")
LEVELS = ("style", "info", "warning", "error")


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


@cli.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@format_option(*FORMATS)
@click.option(
    "--fail-level",
    type=click.Choice(LEVELS),
    default=None,
    help="Exit 1 when a finding is at or above this severity [default: warning, or the config's fail-level].",
)
@click.option(
    "--select",
    multiple=True,
    help="Rules to check (codes, prefixes like SL1, names, or hadolint codes). Replaces the default set.",
)
@click.option(
    "--extend-select",
    multiple=True,
    help="Rules to add to the selection (e.g. the pinning rules, off by default).",
)
@click.option(
    "--ignore", multiple=True, help="Rules to skip (codes, prefixes, names, or hadolint codes)."
)
@config_option(
    "Config file (default: nearest .slimline.toml or pyproject.toml with [tool.slimline])."
)
@context_option()
@click.option(
    "--no-context", is_flag=True, help="Do not read the build context (.dockerignore and files)."
)
@output_option()
@click.option("--no-source", is_flag=True, help="Text format: do not show the source lines.")
@click.option("-q", "--quiet", is_flag=True, help="Text format: print only the summary line.")
@handle_errors
def lint_command(
    paths: tuple[str, ...],
    fmt: str,
    fail_level: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    context_dir: Path | None,
    no_context: bool,
    output: str | None,
    no_source: bool,
    quiet: bool,
) -> None:
    """Lint Dockerfiles: image size, layer cache, security and correctness.

    PATHS are Dockerfiles or directories (searched for Dockerfile, Containerfile,
    *.Dockerfile and Dockerfile.*); `-` reads standard input. With no PATHS the
    current directory is searched.

    Exit codes: 0 no finding at or above --fail-level, 1 findings, 2 usage or parse error.
    """
    from slimline.errors import ParseError, SlimlineError
    from slimline.lint.config import load_config
    from slimline.lint.context import LintInput
    from slimline.lint.engine import discover, lint_input
    from slimline.lint.model import Severity
    from slimline.lint.templates import refuse_template
    from slimline.report import RenderOptions
    from slimline.report.model import LintReport
    from slimline.report.safe import one_line, visible

    targets: list[Path | None] = []
    for raw in paths or (".",):
        if raw == "-":
            targets.append(None)
            continue
        p = Path(raw)
        if p.is_dir():
            found = discover(p)
            if not found and paths:
                raise SlimlineError("no Dockerfile found in this directory", path=p)
            targets.extend(found)
        elif p.exists():
            targets.append(p)
        else:
            raise SlimlineError("no such file or directory", path=p)
    if not targets:
        raise SlimlineError(
            "no Dockerfile found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)",
            path=Path.cwd(),
        )

    first = next((t for t in targets if t is not None), Path.cwd())
    config = load_config(first, config_path)
    if select:
        config.select = _split(select)
    config.extend_select += _split(extend_select)
    config.ignore += _split(ignore)
    if fail_level is not None:
        config.fail_level = Severity.parse(fail_level)

    report = LintReport()
    for target in targets:
        try:
            if target is None:
                from slimline import fsio
                from slimline.dockerfile.parser import parse_user_bytes

                data = fsio.read_stdin(limit=fsio.MAX_DOCKERFILE_BYTES, what="Dockerfile")
                df = parse_user_bytes(data, "<stdin>")
                ctx = None if no_context else (context_dir or None)
            else:
                from slimline.dockerfile.parser import parse_file

                df = parse_file(target)
                ctx = None if no_context else (context_dir or target.parent)
            refuse_template(df)  # one clear message instead of a finding per placeholder
            lint_data = LintInput(df, ctx, config, context_given=context_dir is not None)
            findings = lint_input(lint_data)
        except ParseError as exc:
            report.errors.append((exc.path or str(target), exc.line, exc.message))
            if target is not None:
                report.files.append(str(target))
            continue
        report.files.append(df.display_path)
        report.sources[df.display_path] = df
        report.findings.extend(findings)
        if lint_data.context_skipped:
            report.context_skipped.append((df.display_path, lint_data.context_skipped))

    for path, line, message in report.errors:
        where = f"{path}:{line}" if line else path
        click.echo(f"slimline: {one_line(where)}: {visible(message)}", err=True)

    emit_report("lint", fmt, report, output, RenderOptions(show_source=not no_source, quiet=quiet))

    if report.errors:
        sys.exit(EXIT_USAGE)
    if any(f.severity >= config.fail_level for f in report.findings):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)
