"""Correctness rules about paths and variables (SL401, SL413, SL414): WORKDIR, COPY destinations, ENV."""

from __future__ import annotations

from collections.abc import Iterator

from slimline.dockerfile.edit import Edit, newline_of
from slimline.dockerfile.expand import expand
from slimline.dockerfile.semantics import env_pairs
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer, instruction_of
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._util import base_info
from slimline.lint.rules._values import (
    copy_operands,
    is_absolute,
    is_template,
    known_value,
    referenced_names,
)

# -- WORKDIR -------------------------------------------------------------------------------


@rule("SL401", "relative-workdir", Severity.ERROR, Category.CORRECTNESS, hadolint=("DL3000",))
def relative_workdir(ctx: RuleContext) -> Iterator[Finding]:
    """A relative WORKDIR with no absolute WORKDIR before it.

    ## Why
    A relative `WORKDIR` is resolved against the working directory the stage
    inherited: whatever the base image happened to set. Change the base (or its
    version) and files land somewhere else. Give the first `WORKDIR` of a stage an
    absolute path; later relative ones are then well defined.

    Variables are expanded first (`ENV APP=app` then `WORKDIR $APP` is relative),
    a `WORKDIR` set in a parent stage counts, and `ONBUILD WORKDIR` is judged
    against this image's final working directory, where child builds start.
    hadolint's DL3000 flags every relative path, even after an absolute one, and
    trusts any path that starts with `$`.

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR app
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    WORKDIR static
    ```
    """
    for stage in ctx.stages:
        final_state = ctx.sem.final(stage)
        for inst in stage.instructions:
            eff = inst.effective
            if eff.keyword != "WORKDIR" or not eff.args:
                continue
            if inst.is_onbuild:
                if final_state.workdir_set or "$" in eff.args or is_template(eff.args):
                    continue
                value: str | None = expand(eff.args, {}, ctx.df.escape).value.strip()
            else:
                if ctx.sem.before(inst).workdir_set:
                    continue
                value = known_value(ctx, inst, eff.args)
                value = value.strip() if value is not None else None
            if not value or is_absolute(value):
                continue
            yield ctx.report(
                inst,
                f"relative WORKDIR `{value}` with no absolute WORKDIR before it: "
                "it depends on the base image's working directory",
                hint=f"use an absolute path, e.g. `WORKDIR /{value.lstrip('./')}`",
            )


# -- ENV -----------------------------------------------------------------------------------


@rule(
    "SL413",
    "env-same-statement-reference",
    Severity.ERROR,
    Category.CORRECTNESS,
    hadolint=("DL3044",),
)
def env_same_statement_reference(ctx: RuleContext) -> Iterator[Finding]:
    """An ENV value uses a variable that the same ENV instruction sets.

    ## Why
    BuildKit expands every value of an `ENV` with the variables as they were
    before the instruction. In `ENV DIR=/opt/app BIN=$DIR/bin`, `BIN` gets the old
    `DIR` (often empty), not `/opt/app`. Split the instruction in two.

    A reference is reported when the variable had no value before, or a different
    one (hadolint's DL3044 stays quiet whenever any earlier ENV or ARG in the file,
    in any stage, had that name). `$VAR` in single quotes or escaped is not a
    reference, and `PATH=/x:$PATH` refers to itself, which is fine.

    ## Bad
    ```dockerfile
    ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
    ```

    ## Good
    ```dockerfile
    ENV APP_HOME=/srv/app
    ENV APP_BIN=$APP_HOME/bin
    ```
    """
    escape = ctx.df.escape
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword != "ENV":
            continue
        pairs = env_pairs(eff, escape)
        if len(pairs) < 2:
            continue
        before: dict[str, str] | None = None if inst.is_onbuild else ctx.sem.before(inst).env
        new_values: dict[str, str] = {}
        for key, raw in pairs:
            new_values[key] = expand(raw, before or {}, escape).value
        hits: list[tuple[str, str]] = []
        for key, raw in pairs:
            for name in sorted(referenced_names(raw, escape)):
                if name == key or name not in new_values:
                    continue
                if before is not None and before.get(name) == new_values[name]:
                    continue  # same value before and after: nothing surprising
                hits.append((key, name))
        if hits:
            key, name = hits[0]
            yield ctx.report(
                inst,
                f"`{key}` uses `${name}`, which this same ENV sets: it reads the value from before this line",
                hint=f"set `{name}` in an ENV of its own before this one",
                data={"references": [list(h) for h in hits]},
            )


# -- COPY destination without WORKDIR ---------------------------------------------------------


@rule(
    "SL414",
    "copy-relative-without-workdir",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3045",),
)
def copy_relative_without_workdir(ctx: RuleContext) -> Iterator[Finding]:
    """COPY or ADD to a relative destination before any WORKDIR in the stage.

    ## Why
    A relative destination is resolved against the working directory, which,
    without a `WORKDIR` in this stage or a stage it is built from, is whatever the
    base image set (often `/`). Files end up in an unexpected place and move when
    the base changes. Set `WORKDIR` first or use an absolute path.

    Stage-aware: a WORKDIR in a parent stage (`FROM base`) counts, and variables
    are expanded first; ADD is checked like COPY (hadolint's DL3045 checks COPY
    only, and trusts any destination that starts with `$`).

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    COPY requirements.txt .
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    ```

    ## Fix
    Safe: for a base image slimline knows, `slimline fix` states the base's own
    working directory after FROM (`WORKDIR /` for python, `WORKDIR /go` for golang),
    so the files land where they did before.
    """
    for stage in ctx.stages:
        for inst in stage.instructions:
            if inst.keyword not in ("COPY", "ADD"):
                continue
            if ctx.sem.before(inst).workdir_set:
                continue
            _sources, dest = copy_operands(inst, ctx.df.escape)
            if dest is None:
                continue
            value = known_value(ctx, inst, dest)
            if value is None or not value or is_absolute(value):
                continue
            yield ctx.report(
                inst,
                f"{inst.keyword} to relative `{value}` with no WORKDIR set in this stage",
                hint="add `WORKDIR /app` (or similar) before it, or use an absolute destination",
            )


@fixer("SL414", FixKind.SAFE)
def fix_relative_copy_without_workdir(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    """Make the base image's working directory explicit: same paths, stated in the file."""
    inst = instruction_of(finding)
    if inst is None or inst.stage_index is None:
        return
    stage = ctx.df.stages[inst.stage_index]
    info = base_info(ctx, stage)
    if info is None or info.workdir is None:
        return  # an image slimline does not know: its WORKDIR could be anything
    at = stage.from_instruction.span.end
    nl = newline_of(ctx.df)
    sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
    yield Fix(
        finding.code,
        f"state the working directory ({info.workdir})",
        FixKind.SAFE,
        [Edit(at, at, f"{sep}WORKDIR {info.workdir}{nl}")],
        line=inst.line,
    )
