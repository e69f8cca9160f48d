"""``slimline fix``: rewrite a Dockerfile into a lean one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slimline.cli.common import config_option, context_option, handle_errors, runtime_option
from slimline.cli.main import EXIT_FINDINGS, EXIT_OK, cli


@cli.command("fix")
@click.argument("dockerfile", required=False, type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "-w", "--write", is_flag=True, help="Apply the changes (atomically) instead of printing a diff."
)
@click.option(
    "--unsafe",
    is_flag=True,
    help="Also apply fixes that may change behaviour (multi-stage, slim base, non-root user, layer order).",
)
@runtime_option("Runtime stage for the multi-stage rewrite (with --unsafe).")
@click.option(
    "--no-backup", is_flag=True, help="With --write: do not keep the original as DOCKERFILE.orig."
)
@click.option(
    "--select", multiple=True, help="Only fix these rules (codes, prefixes, names, hadolint codes)."
)
@click.option("--ignore", multiple=True, help="Do not fix these rules.")
@context_option()
@config_option()
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when there was something to fix (for CI and pre-commit).",
)
@handle_errors
def fix_command(
    dockerfile: Path | None,
    write: bool,
    unsafe: bool,
    runtime: str,
    no_backup: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    context_dir: Path | None,
    config_path: Path | None,
    exit_non_zero_on_fix: bool,
) -> None:
    """Fix DOCKERFILE (default: ./Dockerfile): print a unified diff, or apply it with --write.

    Safe fixes keep behaviour (pip --no-cache-dir, --no-install-recommends, cleanup in the
    same layer, joined RUNs, exec-form CMD, COPY for ADD, .dockerignore...). --unsafe adds
    structural rewrites (multi-stage build, slim or distroless runtime, non-root user,
    dependency manifests copied first), which `slimline optimize` verifies with real builds.
    """
    from slimline.cli.lint import _split
    from slimline.dockerfile.parser import parse_file
    from slimline.errors import SlimlineError
    from slimline.fix.engine import fix_dockerfile, unified_diff
    from slimline.fix.model import FixOptions
    from slimline.lint.config import load_config

    path = dockerfile or Path("Dockerfile")
    if path.is_dir():
        path = path / "Dockerfile"
    if not path.exists():
        raise SlimlineError("no such file", path=path)
    df = parse_file(path)
    config = load_config(path, config_path)
    if select:
        config.select = _split(select)
    config.ignore += _split(ignore)
    ctx_dir = context_dir or path.parent
    result = fix_dockerfile(df, config, ctx_dir, unsafe=unsafe, options=FixOptions(runtime=runtime))

    if not result.changed:
        for line, code, note in result.notes:
            click.echo(f"{path}:{line}: {code} not fixed: {note}", err=True)
        click.echo(f"{path}: nothing to fix", err=True)
        sys.exit(EXIT_OK)

    if not write:
        sys.stdout.write(unified_diff(result, path))
    else:
        from slimline import fsio

        if result.fixed != result.original:
            kept = fsio.rewrite(
                path,
                result.fixed.encode("utf-8", "surrogateescape"),
                expected=df.render_bytes(),
                keep_backup=not no_backup,
            )
            if kept is not None:
                click.echo(f"{path}: original kept as {kept}", err=True)
        for other, content in result.files.items():
            fsio.write_atomic(other, content)

    for line, code, note in result.notes:
        click.echo(f"{path}:{line}: {code} not fixed: {note}", err=True)
    for fix in result.applied:
        if fix.note:
            click.echo(f"{path}:{fix.line}: {fix.code} note: {fix.note}", err=True)
    fixed_codes = sorted({f.code for f in result.applied})
    summary = f"{path}: {len(result.applied)} fix(es) {'applied' if write else 'proposed'} ({', '.join(fixed_codes)})"
    if result.remaining:
        summary += f"; {len(result.remaining)} finding(s) left (see `slimline lint`)"
    click.echo(summary, err=True)
    sys.exit(EXIT_FINDINGS if exit_non_zero_on_fix else EXIT_OK)
