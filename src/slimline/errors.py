"""User-facing errors.

Every error a user can cause (bad input, unreachable registry, unreadable file)
is a :class:`SlimlineError`. The CLI prints it as one line, ``slimline: <message>``,
and exits with code 2; it never shows a traceback for these.
"""

from __future__ import annotations

import re
from pathlib import Path

#: C0 and C1 control characters, DEL, and the line and paragraph separators: none of them
#: may reach the terminal raw from a message that quotes the user's input.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: The same, but keeping new lines and tabs (for messages that add a build log on purpose).
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\r``), so a
    message quoting a file can neither drive the terminal nor (unless ``keep_lines``)
    span lines; undecodable bytes (surrogate escapes) are shown as ``\\xff`` too."""

    def escape(m: re.Match[str]) -> str:
        return repr(m.group())[1:-1]

    text = (_CONTROL_BUT_LINES if keep_lines else _CONTROL).sub(escape, text)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = "".join(
            f"\\x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else ch for ch in text
        )
    return text


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
        # Nothing quoted from the input may drive the terminal. Messages are one line,
        # but a few add a build log's last lines on purpose, so new lines stay.
        return printable(f"{where}{self.message}", keep_lines=True)


class ParseError(SlimlineError):
    """A Dockerfile (or another input file) that cannot be parsed."""


class ImageError(SlimlineError):
    """An image that cannot be read: bad archive, bad digest, unsupported media type."""


class RegistryError(ImageError):
    """A registry that refused or failed a request."""


class EngineError(SlimlineError):
    """The Docker engine is missing, unreachable, or a build/run failed."""
