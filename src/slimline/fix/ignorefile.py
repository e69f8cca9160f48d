"""Fixes that write or complete the .dockerignore (SL203, SL204, SL205)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from slimline import fsio
from slimline.fix.model import Fix, FixOptions, fixer
from slimline.lint.context import RuleContext
from slimline.lint.model import Finding, FixKind


@fixer("SL203", FixKind.SAFE)
def fix_no_dockerignore(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    # The context scanner and the generator load only when a fix needs them.
    from slimline.context import find_ignore_file, scan_context
    from slimline.generate.dockerignore import propose_new

    directory = ctx.context_dir
    if directory is None or find_ignore_file(directory, ctx.df.path) is not None:
        return
    target = directory / ".dockerignore"
    scan = scan_context(directory, dockerfile_path=ctx.df.path, largest=1)
    content = propose_new(directory, ctx.df, {h.category for h in scan.categories})
    yield Fix(
        finding.code,
        "write a .dockerignore",
        FixKind.SAFE,
        [],
        files={target: content},
        line=finding.line,
    )


def _complete(ctx: RuleContext, finding: Finding) -> Iterator[Fix]:
    """Add the lines for every category the context sends (SL204 and SL205 propose the
    same complete file, so applying both gives one consistent result)."""
    # The context scanner and the generator load only when a fix needs them.
    from slimline.context import find_ignore_file, scan_context
    from slimline.generate.dockerignore import propose_additions

    directory = ctx.context_dir
    if directory is None:
        return
    existing_path = find_ignore_file(directory, ctx.df.path)
    target: Path = existing_path or directory / ".dockerignore"
    existing = fsio.read_if_exists(target, limit=fsio.MAX_IGNORE_BYTES, what="ignore file")
    scan = scan_context(directory, dockerfile_path=ctx.df.path, largest=1)
    names = sorted({h.category for h in scan.categories})
    if not names:
        return
    content = propose_additions(existing, names, directory, ctx.df)
    if content is not None:
        yield Fix(
            finding.code,
            f"exclude {', '.join(names)} in {target.name}",
            FixKind.SAFE,
            [],
            files={target: content},
            line=finding.line,
        )


@fixer("SL204", FixKind.SAFE)
def fix_context_junk(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _complete(ctx, finding)


@fixer("SL205", FixKind.SAFE)
def fix_context_secrets(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _complete(ctx, finding)
