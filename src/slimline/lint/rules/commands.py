"""Correctness rules about RUN commands (SL402, SL405, SL412, SL419): what the shell does."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slimline.dockerfile.edit import Edit
from slimline.dockerfile.model import Instruction
from slimline.dockerfile.semantics import State
from slimline.dockerfile.shell import ShellCommand, ShellScript
from slimline.knowledge.packages import classify
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer, instruction_of
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._edits import add_flag, editable_scripts
from slimline.lint.rules._util import base_info
from slimline.lint.rules._values import is_template


def _state_shell_pipefail(shell: tuple[str, ...]) -> bool:
    """Whether a SHELL such as ``["/bin/bash", "-o", "pipefail", "-c"]`` sets pipefail."""
    args = list(shell[1:])
    for i, arg in enumerate(args):
        if arg == "-opipefail":
            return True
        if (
            arg.startswith("-")
            and not arg.startswith("--")
            and "o" in arg[1:]
            and i + 1 < len(args)
            and args[i + 1] == "pipefail"
        ):
            return True
    return False


# -- cd -----------------------------------------------------------------------------------


@rule("SL402", "cd-in-run", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3003",))
def cd_in_run(ctx: RuleContext) -> Iterator[Finding]:
    """`cd` in a RUN where WORKDIR would say it.

    ## Why
    A `cd` lasts only until the end of its RUN, so the next instruction runs
    somewhere else; readers and later edits get this wrong. `WORKDIR` changes the
    directory for every following instruction and creates it if needed.

    A `cd` inside a subshell `( cd x && make )`, a command substitution, a loop, a
    condition or a function is left alone: it is scoped on purpose and `WORKDIR`
    cannot express it (hadolint's DL3003 reports those too).

    ## Bad
    ```dockerfile
    RUN cd /src && make install
    ```

    ## Good
    ```dockerfile
    WORKDIR /src
    RUN make install
    ```
    """
    for inst in ctx.instructions("RUN"):
        found = False
        for run in ctx.sem.scripts(inst):
            for cmd in run.script.commands:
                if cmd.unwrapped().program != "cd" or cmd.conditional:
                    continue
                if cmd.in_subshell:
                    continue
                found = True
                break
            if found:
                break
        if found:
            yield ctx.report(
                inst,
                "`cd` in RUN only lasts for this RUN",
                hint="use `WORKDIR <dir>` to change directory for the following instructions",
            )


# -- apt -----------------------------------------------------------------------------------

_APT_PROMPTING = frozenset(
    {
        "install",
        "reinstall",
        "upgrade",
        "dist-upgrade",
        "full-upgrade",
        "remove",
        "purge",
        "autoremove",
        "build-dep",
    }
)
_ASSUME_YES_RE = re.compile(r"^APT::Get::Assume-Yes\s*=\s*\"?(true|1|yes)\"?$", re.IGNORECASE)


def _quiet_level(cmd: ShellCommand) -> int:
    level = 0
    for w in cmd.words[1:]:
        t = w.text
        if t == "--":
            break
        if t in ("-q=2", "--quiet=2"):
            level += 2
        elif t == "--quiet":
            level += 1
        elif t.startswith("-") and not t.startswith("--"):
            level += t[1:].count("q")
    return level


def _assumes_yes(cmd: ShellCommand, previous: ShellCommand | None) -> bool:
    if cmd.has_flag("-y", "--yes", "--assume-yes"):
        return True
    if _quiet_level(cmd) >= 2:  # -qq implies -y
        return True
    words = [w.text for w in cmd.words]
    for i, w in enumerate(words[:-1]):
        if w in ("-o", "--option") and _ASSUME_YES_RE.match(words[i + 1]):
            return True
    for w in words:
        if w.startswith("--option=") and _ASSUME_YES_RE.match(w.removeprefix("--option=")):
            return True
    # `yes | apt-get install ...`
    return previous is not None and cmd.connector == "|" and previous.unwrapped().program == "yes"


@rule(
    "SL405",
    "apt-get-without-yes",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3014",),
)
def apt_get_without_yes(ctx: RuleContext) -> Iterator[Finding]:
    """`apt-get install` (or upgrade, remove...) without `-y`.

    ## Why
    apt asks "Do you want to continue? [Y/n]" and a build has no terminal to
    answer: the step aborts. `-y`, `--yes`, `--assume-yes` and `-qq` (which implies
    `-y`) answer it. `sudo`, `env` and full paths (`/usr/bin/apt-get`) are seen
    through, `apt` is checked like `apt-get`, and so are `upgrade`, `remove`,
    `purge` and `autoremove`, which prompt as well (hadolint's DL3014 checks only
    a bare `apt-get ... install`).

    ## Bad
    ```dockerfile
    RUN apt-get update && apt-get install --no-install-recommends curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    for inst in ctx.df.instructions:
        if inst.effective.keyword != "RUN":
            continue
        script = ctx.sem.script(inst)
        if script is None:
            continue
        previous: ShellCommand | None = None
        for raw in script.commands:
            cmd = raw.unwrapped()
            prev, previous = previous, raw
            if cmd.program not in ("apt-get", "apt", "xx-apt-get", "xx-apt"):
                continue
            op = classify(cmd)
            if op is None or not op.positional or op.positional[0] not in _APT_PROMPTING:
                continue
            if op.action == "simulate":
                continue  # apt-get install -s only prints what it would do
            if _assumes_yes(cmd, prev):
                continue
            yield ctx.report(
                inst,
                f"`{cmd.program} {op.positional[0]}` without `-y` waits for an answer and aborts the build",
                hint=f"use `{cmd.program} {op.positional[0]} -y ...`",
            )
            break


@fixer("SL405", FixKind.SAFE)
def fix_apt_yes(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from add_flag(
        ctx,
        finding,
        ("apt",),
        ("install",),
        ("-y", "--yes", "--assume-yes", "-q", "--quiet"),
        "-y",
        "add -y to apt-get install",
    )


@rule(
    "SL412",
    "apt-instead-of-apt-get",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3027",),
)
def apt_instead_of_apt_get(ctx: RuleContext) -> Iterator[Finding]:
    """`apt` in a RUN: it is meant for people at a terminal, not for scripts.

    ## Why
    `apt`'s command line and output are not stable between releases and it warns
    "apt does not have a stable CLI interface. Use with caution in scripts."
    `apt-get` and `apt-cache` are the script-safe tools with the same
    sub-commands. Also checked in `ONBUILD RUN` and behind `sudo`.

    ## Bad
    ```dockerfile
    RUN apt update && apt install -y curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    for inst in ctx.df.instructions:
        if inst.effective.keyword != "RUN":
            continue
        if any(c.program == "apt" for c in ctx.sem.commands(inst)):
            yield ctx.report(
                inst,
                "`apt` is an interactive tool without a stable CLI",
                hint="use `apt-get` (or `apt-cache` for search/show)",
            )


@fixer("SL412", FixKind.SAFE)
def fix_apt_to_apt_get(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None:
        return
    edits = []
    for rs in editable_scripts(ctx, inst):
        for cmd in rs.script.commands:
            u = cmd.unwrapped()
            if not cmd.nested and u.words and u.words[0].text == "apt":
                w = u.words[0]
                start = rs.source_offset(w.start)
                edits.append(Edit(start, rs.source_offset(w.end - 1) + 1, "apt-get"))
    if edits:
        yield Fix(finding.code, "apt -> apt-get", FixKind.SAFE, edits, line=inst.line)


# -- pipes -----------------------------------------------------------------------------------

#: Commands that cannot fail in a way that matters at the head of a pipe.
_SAFE_PRODUCERS = frozenset({"echo", "printf", "yes", "true", ":"})


def _pipelines(script: ShellScript) -> Iterator[list[ShellCommand]]:
    """The pipelines of a script, each as its simple commands in order.

    Commands run by a substitution inside a pipeline (``a | b "$(c)"``) do not
    interrupt it. A pipeline whose first part is a compound command (``{ a; b; } | c``)
    starts with a command whose connector is ``|``.
    """
    group: list[ShellCommand] = []
    for cmd in script.commands:
        if not cmd.in_pipeline:
            if cmd.conditional and group:
                continue
            if group:
                yield group
            group = []
            continue
        if cmd.connector == "|" and group:
            group.append(cmd)
            continue
        if group:
            yield group
        group = [cmd]
    if group:
        yield group


def _risky_pipe(script: ShellScript) -> bool:
    """Whether some pipeline has a part before the last ``|`` whose failure would be lost."""
    for pipeline in _pipelines(script):
        if pipeline[0].connector == "|":
            return True  # fed by a compound command: cannot tell, assume it can fail
        if any(is_template(w.raw) and w.raw[:1] not in "'\"" for c in pipeline for w in c.words):
            continue  # `{{ packages | join(" ") }}`: a template filter, not a shell pipe
        producers = pipeline[:-1] if len(pipeline) > 1 else pipeline
        if any(p.unwrapped().program not in _SAFE_PRODUCERS for p in producers):
            return True
    return False


@rule(
    "SL419",
    "pipe-without-pipefail",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL4006",),
)
def pipe_without_pipefail(ctx: RuleContext) -> Iterator[Finding]:
    """A RUN pipes commands without `pipefail`: a failure before the last `|` is ignored.

    ## Why
    A pipeline's exit status is the last command's. In `curl -fsSL $URL | tar -xz`
    a failed download still "succeeds" if tar exits 0, and the build goes on with
    a broken layer. Set `pipefail`, either for every RUN with
    `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` or in the RUN itself with
    `set -o pipefail && ...`.

    Unlike hadolint's DL4006: `set -o pipefail` at the start of the RUN counts; a
    `SHELL` with `-o pipefail` counts for any POSIX shell (one without pipefail
    fails the build loudly) and is inherited by child stages, as BuildKit does;
    pipes fed only by `echo`/`printf` are not reported (they cannot fail); exec
    form without a shell and non-POSIX shells (PowerShell, cmd) are skipped.

    ## Bad
    ```dockerfile
    RUN curl -fsSL https://example.com/install.sh | sh
    ```

    ## Good
    ```dockerfile
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/install.sh | bash
    ```
    """
    for inst in ctx.instructions("RUN"):
        state: State = ctx.sem.before(inst)
        if _state_shell_pipefail(state.shell):
            continue
        for run in ctx.sem.scripts(inst):
            if run.kind == "exec":
                continue
            if (
                run.kind == "sh-c"
                and inst.exec_form
                and _state_shell_pipefail(tuple(inst.exec_form[:-1]))
            ):
                continue
            script = run.script
            if script.pipefail or not script.has_pipeline:
                continue
            if _risky_pipe(script):
                yield ctx.report(
                    inst,
                    "a pipe without `pipefail`: a failure before the last `|` does not fail the build",
                    hint=_pipefail_hint(ctx, inst),
                )
                break


def _pipefail_hint(ctx: RuleContext, inst: Instruction) -> str:
    """Alpine has no bash: its busybox ash knows `set -o pipefail`."""
    info = base_info(ctx, ctx.stages[inst.stage_index]) if inst.stage_index is not None else None
    if info is not None and info.variant == "alpine":
        return (
            'start the RUN with `set -o pipefail &&` (or `SHELL ["/bin/ash", "-eo", "pipefail", '
            '"-c"]`): busybox ash has pipefail, alpine has no bash'
        )
    return (
        'add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it, '
        "or start the RUN with `set -o pipefail &&`"
    )
