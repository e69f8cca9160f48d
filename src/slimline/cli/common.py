"""Helpers shared by commands: error handling, consoles, atomic output."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from slimline.errors import SlimlineError

if TYPE_CHECKING:
    from slimline.report import RenderOptions

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 2) -> None:
    """Print ``slimline: message`` on stderr and exit with ``code`` (control characters and
    undecodable bytes of names in the message made visible)."""
    from slimline.report.safe import visible

    click.echo(f"slimline: {visible(message)}", err=True)
    sys.exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn SlimlineError (and OS errors) into a one-line message and exit 2."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SlimlineError as exc:
            fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            # `slimline lint | head`: the reader went away; exit quietly.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(1)
        raise AssertionError("unreachable")

    return wrapper


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file atomically (see :func:`slimline.fsio.write_atomic`: symlinks written
    through, mode kept or umask honoured, fsync; errors are a SlimlineError)."""
    from slimline import fsio

    fsio.write_atomic(path, data)


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[Any]:
    """stdout, or a file written atomically when the block succeeds (an error naming the
    file when it cannot be written, e.g. into a directory that does not exist)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    import io

    buf = io.StringIO()
    yield buf
    write_output(Path(path), buf.getvalue())


def write_output(path: Path, data: str) -> None:
    """:func:`write_atomic`: a failure is a one-line error naming ``path``."""
    write_atomic(path, data)


def output_option(
    help: str = "Write the report to a file (atomically) instead of stdout.",
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``-o/--output FILE`` (``-`` is stdout); written with :func:`emit_report`."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help=help
    )


def platform_option(
    help: str = "os/arch[/variant] to pick from a multi-platform image [default: the host's].",
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``--platform OS/ARCH[/VARIANT]`` for the commands that read images."""
    return click.option("--platform", help=help)


def config_option(
    help: str = "Config file.",
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``--config FILE`` (an existing file), passed as ``config_path``."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=help,
    )


def context_option() -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``--context DIR``, the build context, passed as ``context_dir``."""
    return click.option(
        "--context",
        "context_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Build context directory (default: the Dockerfile's directory).",
    )


def runtime_option(
    help: str, *, choices: tuple[str, ...] | None = None, default: str = "slim"
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``--runtime KIND``: the runtime kinds of the catalog (or ``choices``)."""
    from slimline.knowledge.runtimes import RUNTIME_KINDS

    return click.option(
        "--runtime",
        type=click.Choice(choices or RUNTIME_KINDS),
        default=default,
        show_default=True,
        help=help,
    )


def format_option(
    *formats: str, short: bool = True, help: str = "Output format."
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``-f/--format`` with the formats a command offers (names of ``slimline.report.FORMATS``)."""
    names = ("-f", "--format", "fmt") if short else ("--format", "fmt")
    return click.option(
        *names, type=click.Choice(formats), default=formats[0], show_default=True, help=help
    )


def emit_report(
    command: str, fmt: str, result: Any, output: str | None, options: RenderOptions | None = None
) -> None:
    """Render ``result`` of ``command`` in format ``fmt`` to stdout, or atomically to
    ``output``. A directory that does not exist is an error (exit 2), not created."""
    from slimline.report import RenderOptions, get_format

    with output_stream(output) as out:
        get_format(fmt).write(command, result, out, options or RenderOptions())


def write_html(command: str, result: Any, path: Path, options: RenderOptions | None = None) -> None:
    """Write the HTML report of ``result`` to ``path`` (``--html``), atomically."""
    from slimline.report import render

    write_output(path, render("html", command, result, options))
    click.echo(f"HTML report: {path}", err=True)
