"""User-facing errors.

Every error a user can cause (bad input, unreachable registry, unreadable file)
is a :class:`SlimlineError`. The CLI prints it as one line, ``slimline: <message>``,
and exits with code 2; it never shows a traceback for these.
"""

from __future__ import annotations

from pathlib import Path


class SlimlineError(Exception):
    """An error caused by the user's input or environment, shown as one line."""

    exit_code = 2

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class ParseError(SlimlineError):
    """A Dockerfile (or another input file) that cannot be parsed."""


class ImageError(SlimlineError):
    """An image that cannot be read: bad archive, bad digest, unsupported media type."""


class RegistryError(ImageError):
    """A registry that refused or failed a request."""


class EngineError(SlimlineError):
    """The Docker engine is missing, unreachable, or a build/run failed."""
