"""Input text made safe for each output: terminal, JSON, HTML, Markdown.

Everything a report shows may come from hostile input: file names in an image,
image history, Dockerfile lines, package names. Two things can go wrong:

* control characters (``ESC``, ``BEL``, C1 codes) would reach the terminal raw
  and move the cursor, recolour it or rewrite its title. :func:`visible` shows
  them as ``\\x1b``;
* names that are not UTF-8 arrive as surrogate escapes (Python's
  ``surrogateescape``: byte 0xNN becomes U+DCNN). They cannot be encoded as
  UTF-8, so writing them crashed. :func:`visible` shows each as U+FFFD (the
  replacement character) in text, Markdown and HTML; :func:`json_dumps` keeps
  them as ``\\udcNN`` JSON escapes, so JSON stays valid UTF-8 and a consumer that
  decodes with ``surrogateescape`` gets the original bytes back.

`[` in text is never read as rich markup: report consoles are made with
:func:`report_console` (markup and emoji codes off) and renderers build
``rich.text.Text`` from input, never f-strings into markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

#: C0 controls but tab and newline, DEL, and the C1 controls (0x9b is CSI on some terminals).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

REPLACEMENT = "\ufffd"


def _show(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or f"\\x{ord(ch):02x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with undecodable bytes as U+FFFD and control characters as ``\\xNN``.

    Tabs and newlines are kept, unless ``one_line`` (a path, a table cell): then they
    are shown as ``\\t`` and ``\\n`` too.
    """
    text = _SURROGATE.sub(REPLACEMENT, text)
    return (_CONTROL_ONE_LINE if one_line else _CONTROL).sub(_show, text)


def one_line(text: str) -> str:
    """:func:`visible` for a value that must stay on one line (a path, a name)."""
    return visible(text, one_line=True)


def joined(values: Iterable[str], sep: str = ", ") -> str:
    """Values made visible (one line each) and joined."""
    return sep.join(one_line(v) for v in values)


def json_dumps(doc: Any, *, ensure_ascii: bool) -> str:
    """The JSON document, indented, with a trailing newline, always valid UTF-8.

    Lone surrogates (undecodable bytes of file names) are written as ``\\udcNN``
    escapes whatever ``ensure_ascii`` says.
    """
    text = json.dumps(doc, indent=2, ensure_ascii=ensure_ascii) + "\n"
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_console(
    out: TextIO, *, soft_wrap: bool = True, pipe_width: int | None = None, highlight: bool = False
) -> Any:
    """A rich Console for a report on ``out``.

    On a terminal it is the terminal as it is; written to a file it has no colours
    and 120 columns; piped to stdout it has ``pipe_width`` columns (rich's 80 when
    None). Markup and emoji codes are off, so that ``[x]`` and ``:x:`` in input are
    shown as they are, and a control character or an undecodable byte that still
    reaches the console when a line is printed is made visible.
    """
    import sys

    from rich.console import Console
    from rich.segment import Segment

    class _SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control is None and (_CONTROL.search(text) or _SURROGATE.search(text)):
                    yield Segment(visible(text), segment.style, segment.control)
                else:
                    yield segment

    if out is sys.stdout:
        tty = out.isatty()
        return _SafeConsole(
            width=None if tty else pipe_width,
            force_terminal=None if tty or pipe_width is None else False,
            highlight=highlight,
            soft_wrap=soft_wrap,
            markup=False,
            emoji=False,
        )
    return _SafeConsole(
        file=out, width=120, highlight=highlight, soft_wrap=soft_wrap, markup=False, emoji=False
    )
