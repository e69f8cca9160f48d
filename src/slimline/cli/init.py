"""``slimline init``: write an optimized Dockerfile (and .dockerignore) for a project."""

from __future__ import annotations

import os
from pathlib import Path

import click

from slimline.cli.common import handle_errors, runtime_option
from slimline.cli.main import cli
from slimline.knowledge.runtimes import RUNTIME_KINDS


@cli.command("init")
@click.argument(
    "directory",
    required=False,
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@runtime_option(
    "Runtime stage: auto picks distroless or scratch when the project can run there, else slim.",
    choices=("auto", *RUNTIME_KINDS),
    default="auto",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing Dockerfile (the old one is kept as Dockerfile.orig, or "
    "Dockerfile.orig.1, .2... when that exists: no backup is ever overwritten).",
)
@click.option(
    "--stdout", "to_stdout", is_flag=True, help="Print the Dockerfile instead of writing files."
)
@handle_errors
def init_command(directory: Path, runtime: str, force: bool, to_stdout: bool) -> None:
    """Detect the project in DIRECTORY and write an optimized Dockerfile and .dockerignore.

    Python (requirements.txt, pyproject.toml, Pipfile; FastAPI/Flask/Django apps,
    __main__ scripts, console scripts), Go (go.mod), Rust (Cargo.toml) and Node.js
    (package.json). It says what it detected and what it chose, and refuses (exit 2)
    when it cannot tell how the application starts.
    """
    from slimline import fsio
    from slimline.context import find_ignore_file
    from slimline.dockerfile.parser import parse
    from slimline.errors import SlimlineError
    from slimline.generate.dockerignore import propose_new
    from slimline.generate.project import detect
    from slimline.generate.templates import default_runtime, render

    project = detect(directory)
    chosen = default_runtime(project) if runtime == "auto" else runtime
    text = render(project, chosen)
    click.echo(f"Detected: {project.language} project in {directory}", err=True)
    for line in project.evidence:
        click.echo(f"  - {line}", err=True)
    why = " (auto)" if runtime == "auto" else ""
    click.echo(
        f"Chose: a {chosen} runtime{why}; starts with `{' '.join(project.command)}`", err=True
    )
    if to_stdout:
        click.echo(text, nl=False)
        return
    dockerfile = directory / "Dockerfile"
    exists = os.path.lexists(dockerfile)
    if exists and not force:
        raise SlimlineError(
            "a Dockerfile exists already (use --force to replace it, or --stdout)", path=dockerfile
        )
    if exists:
        if dockerfile.is_dir():
            raise SlimlineError("is a directory; not replaced even with --force", path=dockerfile)
        previous = fsio.read_bytes(dockerfile, limit=fsio.MAX_DOCKERFILE_BYTES, what="Dockerfile")
        kept = fsio.rewrite(dockerfile, text.encode("utf-8"), expected=previous)
        click.echo(f"Wrote {dockerfile} (the old one is kept as {kept})", err=True)
    else:
        fsio.write_atomic(dockerfile, text)
        click.echo(f"Wrote {dockerfile}", err=True)
    if find_ignore_file(directory, dockerfile) is None:
        ignore = directory / ".dockerignore"
        fsio.write_atomic(ignore, propose_new(directory, parse(text, dockerfile)))
        click.echo(f"Wrote {ignore}", err=True)
