"""Checks of what RUN scripts and FROM lines say (SL422-SL425): shell syntax, download
tools, platforms. hadolint has three of them (DL3047, DL4001, DL3029)."""

from __future__ import annotations

from collections.abc import Iterator

from slimline.dockerfile.expand import expand
from slimline.lint.context import RuleContext
from slimline.lint.model import Category, Finding, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._util import run_instructions
from slimline.lint.rules._values import from_env, is_template, referenced_names

#: BuildKit's own platform arguments: a FROM that uses them follows the build's platforms.
_BUILDKIT_PLATFORM_ARGS = frozenset(
    {"BUILDPLATFORM", "TARGETPLATFORM", "BUILDOS", "BUILDARCH", "TARGETOS", "TARGETARCH"}
)


@rule("SL422", "run-syntax-error", Severity.ERROR, Category.CORRECTNESS)
def run_syntax_error(ctx: RuleContext) -> Iterator[Finding]:
    """A RUN's shell script has a syntax error: the build fails there.

    ## Why
    BuildKit hands a shell-form RUN to `/bin/sh -c`; a script that does not parse
    (`echo hi |` with nothing after the pipe, an unclosed quote or `if` without `fi`)
    fails the build after every step before it has run. Only RUNs run by a POSIX
    shell (sh, bash, dash, ash) are checked: a PowerShell or `cmd` SHELL, a heredoc
    body (it may be another interpreter's script) and templates are left alone.

    ## Bad
    ```dockerfile
    RUN echo hi |
    ```

    ## Good
    ```dockerfile
    RUN echo hi | tee /greeting
    ```
    """
    for _stage, inst in run_instructions(ctx):
        eff = inst.effective
        if eff.heredocs or is_template(inst.logical.text) or eff.args.lstrip().startswith("["):
            continue  # heredocs: maybe another interpreter; `[`: SL421's broken JSON form
        for run in ctx.sem.scripts(inst):
            if run.kind not in ("shell", "sh-c") or not run.script.has_error:
                continue
            if run.script.text.rstrip().endswith("\\"):
                continue  # a lone trailing backslash is a literal for sh, not an error
            yield ctx.report(
                inst,
                "shell syntax error in this RUN: `/bin/sh -c` rejects it and the build fails",
                hint="check the quotes, pipes, `&&` at line ends and `if`/`fi`, `do`/`done` pairs",
            )
            break


#: wget options that make it print no progress bar.
_WGET_QUIET = ("-q", "--quiet", "-nv", "--no-verbose", "--progress", "-o", "--output-file", "-a", "--append-output")


@rule("SL423", "wget-progress", Severity.INFO, Category.STYLE, hadolint=("DL3047",))
def wget_progress(ctx: RuleContext) -> Iterator[Finding]:
    """`wget` without `-q`/`--progress=dot:giga`: the build log fills with progress bars.

    ## Why
    In a non-interactive build wget prints a progress line for every few kilobytes,
    so a large download turns the build log into megabytes of dots. Use
    `--progress=dot:giga`, `-nv` or `-q`.

    ## Bad
    ```dockerfile
    RUN wget https://example.com/big.tar.gz
    ```

    ## Good
    ```dockerfile
    RUN wget --progress=dot:giga https://example.com/big.tar.gz
    ```
    """
    for _stage, inst in run_instructions(ctx):
        for cmd in ctx.sem.commands(inst):
            if cmd.program == "wget" and not cmd.has_flag(*_WGET_QUIET):
                yield ctx.report(
                    inst,
                    "`wget` without `-q`, `-nv` or `--progress=dot:giga` fills the build log",
                    hint="add `--progress=dot:giga` (or `-nv`)",
                )
                break


@rule("SL424", "wget-and-curl", Severity.INFO, Category.SIZE, hadolint=("DL4001",))
def wget_and_curl(ctx: RuleContext) -> Iterator[Finding]:
    """A stage uses both `wget` and `curl`: one download tool is enough.

    ## Why
    Each tool (and its libraries) is installed and kept for one download; two of them
    do the same job. Pick one (on Alpine busybox's `wget` is already there).

    ## Bad
    ```dockerfile
    RUN wget -q https://example.com/a.tar.gz
    RUN curl -fsSLO https://example.com/b.tar.gz
    ```

    ## Good
    ```dockerfile
    RUN curl -fsSLO https://example.com/a.tar.gz && curl -fsSLO https://example.com/b.tar.gz
    ```
    """
    for stage in ctx.stages:
        first: dict[str, int] = {}
        second = None
        for _stage, inst in run_instructions(ctx, [stage]):
            for cmd in ctx.sem.commands(inst):
                if cmd.program in ("wget", "curl") and cmd.program not in first:
                    first[cmd.program] = inst.line
                    if len(first) == 2 and second is None:
                        second = inst
        if second is not None:
            yield ctx.report(
                second,
                f"this stage uses both wget (line {first['wget']}) and curl "
                f"(line {first['curl']})",
                hint="use one download tool",
            )


@rule("SL425", "from-platform-flag", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3029",))
def from_platform_flag(ctx: RuleContext) -> Iterator[Finding]:
    """`FROM --platform=` names a fixed platform: the image cannot be built for others.

    ## Why
    `FROM --platform=linux/amd64` pins the stage to one architecture: on an arm64
    host it runs emulated (slowly) and a multi-platform build ships the wrong
    binaries. Leave the platform to `docker build --platform`, or use the build
    arguments BuildKit sets (`--platform=$BUILDPLATFORM` for a cross-compiling
    builder stage), which are not reported.

    ## Bad
    ```dockerfile
    FROM --platform=linux/amd64 debian:bookworm-slim
    ```

    ## Good
    ```dockerfile
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    ```
    """
    env = from_env(ctx.df)
    for stage in ctx.stages:
        flag = stage.from_instruction.flag("platform")
        if flag is None or flag.value is None or not flag.value.strip():
            continue
        if referenced_names(flag.value, ctx.df.escape) & _BUILDKIT_PLATFORM_ARGS:
            continue  # $BUILDPLATFORM, $TARGETPLATFORM...: follows the build's platforms
        value = expand(flag.value, env, ctx.df.escape)
        if not value.complete:
            continue  # an ARG with no default: set by the build
        origin = f" (`{flag.value}`)" if value.value != flag.value else ""
        yield ctx.report(
            stage.from_instruction,
            f"`--platform={value.value}`{origin} pins this stage to one platform",
            hint="drop it (use `docker build --platform`), or use `$BUILDPLATFORM`/`$TARGETPLATFORM`",
        )
