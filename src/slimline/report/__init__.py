"""Rendering: one module per output kind, one registry shared by every command.

Each output kind is a module (``text``, ``json``, ``sarif``, ``github``,
``markdown``, ``html``) that defines ``FORMAT``, a :class:`Format`: for each
command whose result it can render, a function ``(result, out, options)``. The
CLI turns ``--format NAME`` into :func:`get_format` and ``FORMAT.write``; a
command lists the formats it offers, and a test checks that each of them can
render it. Modules are imported only when used, so ``slimline --help`` stays fast.

Results: ``lint`` a :class:`~slimline.report.model.LintReport`, ``analyze`` an
:class:`~slimline.analysis.model.AnalysisResult`, ``compare`` a
:class:`~slimline.compare.CompareResult`, ``optimize`` an
:class:`~slimline.optimize.OptimizeResult`, ``sbom`` an
:class:`~slimline.inventory.model.Inventory` (also rendered as ``cyclonedx`` and ``spdx``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

#: --format NAME -> the module that defines its FORMAT.
FORMATS: dict[str, str] = {
    "text": "slimline.report.text",
    "json": "slimline.report.json",
    "sarif": "slimline.report.sarif",
    "github": "slimline.report.github",
    "markdown": "slimline.report.markdown",
    "html": "slimline.report.html",
    "cyclonedx": "slimline.report.sbom_cyclonedx",
    "spdx": "slimline.report.sbom_spdx",
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What the command line says about the rendering (each format uses what applies)."""

    #: rows of each list to show (None: a format's own default, or all in JSON)
    top: int | None = None
    #: text: show the source lines of findings
    show_source: bool = True
    #: text: the summary line only
    quiet: bool = False


class Format(Protocol):
    """An output kind: renders the results of the commands it knows."""

    def supports(self, command: str) -> bool: ...

    def write(self, command: str, result: Any, out: TextIO, options: RenderOptions) -> None: ...


Writer = Callable[[Any, TextIO, RenderOptions], None]
Renderer = Callable[[Any, RenderOptions], str]


class WriterFormat:
    """A format whose renderers write to the stream themselves (the terminal one)."""

    def __init__(self, writers: Mapping[str, Writer]) -> None:
        self._writers = dict(writers)

    def supports(self, command: str) -> bool:
        return command in self._writers

    def write(self, command: str, result: Any, out: TextIO, options: RenderOptions) -> None:
        self._writers[command](result, out, options)


class StringFormat:
    """A format that renders a whole document as a string (JSON, SARIF, Markdown...)."""

    def __init__(self, renderers: Mapping[str, Renderer]) -> None:
        self._renderers = dict(renderers)

    def supports(self, command: str) -> bool:
        return command in self._renderers

    def render(self, command: str, result: Any, options: RenderOptions | None = None) -> str:
        return self._renderers[command](result, options or RenderOptions())

    def write(self, command: str, result: Any, out: TextIO, options: RenderOptions) -> None:
        out.write(self.render(command, result, options))


def get_format(name: str) -> Format:
    """The format called ``name`` (a key of :data:`FORMATS`)."""
    fmt: Format = importlib.import_module(FORMATS[name]).FORMAT
    return fmt


def render(name: str, command: str, result: Any, options: RenderOptions | None = None) -> str:
    """``result`` of ``command`` as a string in format ``name`` (not for the terminal)."""
    import io

    buf = io.StringIO()
    get_format(name).write(command, result, buf, options or RenderOptions())
    return buf.getvalue()
