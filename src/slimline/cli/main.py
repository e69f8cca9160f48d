"""The ``slimline`` command group.

Sub-commands import their heavy modules lazily so that ``slimline --help`` and
``slimline --version`` stay fast.
"""

from __future__ import annotations

import sys

import click

from slimline import __version__

#: Exit codes shared by every command (documented in docs/commands/README.md).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class SlimlineGroup(click.Group):
    """A group that lists commands in definition order."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=SlimlineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="slimline")
def cli() -> None:
    """slimline: lint Dockerfiles, analyze images, and make them lean, with proof."""


def main() -> None:
    """Console-script entry point."""
    from slimline.cli import commands  # noqa: F401  (registers the sub-commands)

    try:
        cli.main(prog_name="slimline", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("slimline: interrupted", err=True)
        sys.exit(130)
