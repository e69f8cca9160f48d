"""Helpers shared by commands: error handling, consoles, atomic output."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from slimline.errors import SlimlineError

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 2) -> None:
    """Print ``slimline: message`` on stderr and exit with ``code``."""
    click.echo(f"slimline: {message}", err=True)
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
    """stdout, or a file written atomically when the block succeeds."""
    if path is None or path == "-":
        yield sys.stdout
        return
    import io

    buf = io.StringIO()
    yield buf
    try:
        write_atomic(Path(path), buf.getvalue())
    except OSError as exc:
        raise SlimlineError(f"cannot write output: {exc.strerror or exc}", path=path) from None


def report_console(out: Any) -> Any:
    """A rich Console for a report: the terminal as it is, or a file without colours
    (text wrapped at 120 columns so files read well)."""
    from rich.console import Console

    if out is sys.stdout:
        return Console(highlight=False, soft_wrap=True)
    return Console(file=out, highlight=False, soft_wrap=True, width=120)
