"""Safe fixes: the image behaves the same, only smaller, faster to build or clearer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from slimline.dockerfile.edit import (
    Edit,
    append_shell,
    args_end,
    continuation_indent,
    json_array,
    newline_of,
    prepend_shell,
    remove_instruction,
)
from slimline.dockerfile.model import Instruction
from slimline.dockerfile.semantics import RunScript
from slimline.dockerfile.shell import ShellCommand, ShellWord, parse_shell
from slimline.fix.model import Fix, FixOptions, fixer, instruction_of
from slimline.knowledge.packages import PackageOp, classify
from slimline.lint.context import RuleContext
from slimline.lint.model import Finding, FixKind
from slimline.lint.rules._util import base_info, cleans_cache, has_cache_mount

#: Commands whose effect a later command in a joined RUN would see (so joining changes behaviour).
_STATEFUL = frozenset(
    {
        "cd",
        "pushd",
        "popd",
        "export",
        "set",
        "source",
        ".",
        "umask",
        "shopt",
        "alias",
        "trap",
        "exec",
        "exit",
        "unset",
        "ulimit",
        "return",
    }
)
_CLEAN = {
    "apt": "rm -rf /var/lib/apt/lists/*",
    "dnf": "dnf clean all",
    "yum": "yum clean all",
    "microdnf": "microdnf clean all",
    "zypper": "zypper clean --all",
    "yarn": "yarn cache clean",
    "npm": "npm cache clean --force",
}


def _editable_scripts(ctx: RuleContext, inst: Instruction) -> list[RunScript]:
    return [rs for rs in ctx.sem.scripts(inst) if rs.kind in ("shell", "heredoc")]


def find_ops(
    ctx: RuleContext, inst: Instruction, managers: tuple[str, ...], actions: tuple[str, ...]
) -> Iterator[tuple[RunScript, ShellCommand, PackageOp]]:
    """Package operations in a RUN that can be edited in place (not inside ``sh -c "..."``)."""
    for rs in _editable_scripts(ctx, inst):
        for cmd in rs.script.commands:
            if cmd.nested:
                continue
            unwrapped = cmd.unwrapped()
            op = classify(unwrapped)
            if op is not None and op.manager in managers and op.action in actions:
                yield rs, unwrapped, op


def action_word(cmd: ShellCommand, op: PackageOp) -> ShellWord | None:
    """The sub-command word (``install``/``add``) of a package operation."""
    if not op.positional:
        return None
    target = op.positional[0]
    for w in cmd.words[1:]:
        if w.text == target:
            return w
    return None


def insert_after(rs: RunScript, word: ShellWord, text: str) -> Edit:
    pos = rs.source_offset(word.end - 1) + 1
    return Edit(pos, pos, text)


def _add_flag(
    ctx: RuleContext,
    finding: Finding,
    managers: tuple[str, ...],
    actions: tuple[str, ...],
    flags: tuple[str, ...],
    add: str,
    title: str,
) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None:
        return
    edits = []
    for rs, cmd, op in find_ops(ctx, inst, managers, actions):
        if cmd.has_flag(*flags):
            continue
        word = action_word(cmd, op)
        if word is not None:
            edits.append(insert_after(rs, word, f" {add}"))
    if edits:
        yield Fix(finding.code, title, FixKind.SAFE, edits, line=inst.line)


def _is_simple_shell_run(inst: Instruction) -> bool:
    eff = inst.effective
    return inst.keyword == "RUN" and eff.exec_form is None and not eff.heredocs


def _append_cleanup(ctx: RuleContext, inst: Instruction, command: str) -> Edit | None:
    eff = inst.effective
    if eff.exec_form is not None:
        return None
    if not eff.heredocs:
        return append_shell(ctx.df, inst, command)
    scripts = ctx.sem.scripts(inst)
    if len(eff.heredocs) == 1 and scripts and scripts[0].kind == "heredoc":
        # RUN <<EOF script: add a line at the end of the body.
        heredoc = eff.heredocs[0]
        indent = "\t" if heredoc.chomp and heredoc.content.startswith("\t") else ""
        pos = heredoc.terminator_span.start
        return Edit(pos, pos, f"{indent}{command}{newline_of(ctx.df)}")
    return None


@fixer("SL107", FixKind.SAFE)
def fix_pip_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    uses_mounts = any(
        "type=cache" in m for i in ctx.df.instructions for m in i.effective.flag_values("mount")
    )
    inst = instruction_of(finding)
    if inst is None:
        return
    if uses_mounts and inst.keyword == "RUN":
        start = inst.args_source_span().start
        yield Fix(
            finding.code,
            "add a pip cache mount",
            FixKind.SAFE,
            [Edit(start, start, "--mount=type=cache,target=/root/.cache/pip ")],
            line=inst.line,
        )
        return
    yield from _add_flag(
        ctx,
        finding,
        ("pip",),
        ("install",),
        ("--no-cache-dir", "--no-cache"),
        "--no-cache-dir",
        "add --no-cache-dir to pip install",
    )


@fixer("SL109", FixKind.SAFE)
def fix_install_recommends(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    yield from _add_flag(
        ctx,
        finding,
        ("apt",),
        ("install",),
        ("--no-install-recommends",),
        "--no-install-recommends",
        "add --no-install-recommends",
    )


@fixer("SL105", FixKind.SAFE)
def fix_apk_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _add_flag(
        ctx,
        finding,
        ("apk",),
        ("install",),
        ("--no-cache",),
        "--no-cache",
        "add --no-cache to apk add",
    )


@fixer("SL405", FixKind.SAFE)
def fix_apt_yes(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _add_flag(
        ctx,
        finding,
        ("apt",),
        ("install",),
        ("-y", "--yes", "--assume-yes", "-q", "--quiet"),
        "-y",
        "add -y to apt-get install",
    )


def _cleanup_fix(
    ctx: RuleContext, finding: Finding, managers: tuple[str, ...], actions: tuple[str, ...]
) -> Iterator[Fix]:
    """Append the clean-up command of every listed manager that leaves its cache in the RUN."""
    inst = instruction_of(finding)
    if inst is None:
        return
    commands = ctx.sem.commands(inst)
    needed: list[str] = []
    for i, cmd in enumerate(commands):
        op = classify(cmd)
        if (
            op is None
            or op.manager not in managers
            or op.action not in actions
            or op.manager in needed
        ):
            continue
        if has_cache_mount(inst, op.manager) or cleans_cache(commands, op.manager, i):
            continue
        if op.manager == "apt" and not any(
            (o := classify(c)) is not None
            and o.manager == "apt"
            and o.action in ("install", "upgrade")
            for c in commands[i + 1 :]
        ):
            # An update alone needs its lists in the next RUN (SL202 merges those).
            continue
        needed.append(op.manager)
    if not needed:
        return
    edit = _append_cleanup(ctx, inst, " && ".join(_CLEAN[m] for m in needed))
    if edit is not None:
        yield Fix(
            finding.code,
            f"clean the {', '.join(needed)} cache in the same RUN",
            FixKind.SAFE,
            [edit],
            line=inst.line,
        )


@fixer("SL104", FixKind.SAFE)
def fix_apt_lists(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _cleanup_fix(ctx, finding, ("apt",), ("update",))


@fixer("SL106", FixKind.SAFE)
def fix_rpm_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _cleanup_fix(ctx, finding, ("dnf", "yum", "microdnf", "zypper"), ("install",))


@fixer("SL108", FixKind.SAFE)
def fix_yarn_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _cleanup_fix(ctx, finding, ("yarn",), ("install",))


@fixer("SL114", FixKind.SAFE)
def fix_npm_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from _cleanup_fix(ctx, finding, ("npm",), ("install",))


def _previous_instruction(ctx: RuleContext, inst: Instruction) -> Instruction | None:
    if inst.stage_index is None:
        return None
    items = ctx.df.stages[inst.stage_index].instructions
    i = items.index(inst)
    return items[i - 1] if i > 0 else None


def _next_instruction(ctx: RuleContext, inst: Instruction) -> Instruction | None:
    if inst.stage_index is None:
        return None
    items = ctx.df.stages[inst.stage_index].instructions
    i = items.index(inst)
    return items[i + 1] if i + 1 < len(items) else None


def _changes_shell_state(ctx: RuleContext, inst: Instruction) -> bool:
    script = ctx.sem.script(inst)
    if script is None:
        return True
    for cmd in script.commands:
        if cmd.program in _STATEFUL or (not cmd.words and cmd.assignments):
            return True
    return bool(re.search(r"(^|[^&])&\s*$", inst.args))


def _only_whitespace_between(ctx: RuleContext, first: Instruction, second: Instruction) -> bool:
    return ctx.df.text[first.span.end : second.span.start].strip() == ""


def _join(
    ctx: RuleContext, first: Instruction, second: Instruction, code: str, title: str
) -> Fix | None:
    """Append ``second``'s script to ``first`` with ``&&`` and delete ``second``."""
    if not (_is_simple_shell_run(first) and _is_simple_shell_run(second)):
        return None
    if first.flags or second.flags or not _only_whitespace_between(ctx, first, second):
        return None
    if _changes_shell_state(ctx, first):
        return None
    df = ctx.df
    end = args_end(first)
    between_and_second = Edit(end, second.span.end, "")
    script = second.args
    if (
        first.end_line == first.line
        and second.end_line == second.line
        and len(first.args) + len(script) < 80
    ):
        joined = Edit(end, second.span.end, f" && {script}{newline_of(df)}")
        return Fix(code, title, FixKind.SAFE, [joined], line=second.line)
    indent = continuation_indent(df, first) if first.end_line > first.line else "    "
    nl = newline_of(df)
    # Re-use the second RUN's own text (its continuations included) after a new continuation.
    second_text = df.text[second.args_source_span().start : args_end(second)]
    tail = df.text[args_end(second) : second.span.end]
    joined = Edit(
        between_and_second.start,
        between_and_second.end,
        f" && {df.escape}{nl}{indent}{second_text}{tail}",
    )
    return Fix(code, title, FixKind.SAFE, [joined], line=second.line)


@fixer("SL111", FixKind.SAFE, priority=0)
def fix_consecutive_run(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None:
        return
    previous = _previous_instruction(ctx, inst)
    if previous is None or previous.keyword != "RUN":
        return
    fix = _join(ctx, previous, inst, finding.code, "join consecutive RUNs")
    if fix is not None:
        yield fix


@fixer("SL110", FixKind.SAFE, priority=0)
def fix_cleanup_in_later_layer(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None:
        return
    previous = _previous_instruction(ctx, inst)
    if previous is None or previous.keyword != "RUN":
        return
    fix = _join(
        ctx, previous, inst, finding.code, "move the cleanup into the RUN that made the files"
    )
    if fix is not None:
        yield fix


@fixer("SL202", FixKind.SAFE, priority=0)
def fix_update_alone(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None or not _is_simple_shell_run(inst) or inst.flags:
        return
    nxt = _next_instruction(ctx, inst)
    if (
        nxt is None
        or not _is_simple_shell_run(nxt)
        or nxt.flags
        or not _only_whitespace_between(ctx, inst, nxt)
    ):
        return
    updates = list(find_ops(ctx, inst, ("apt", "apk"), ("update",)))
    if not updates:
        return
    manager = updates[0][2].manager
    if not list(find_ops(ctx, nxt, (manager,), ("install", "upgrade"))):
        return
    script = ctx.sem.script(inst)
    if script is None or len(script.commands) != 1:
        return
    yield Fix(
        finding.code,
        "run the update in the same RUN as the install",
        FixKind.SAFE,
        [remove_instruction(inst), prepend_shell(nxt, inst.args)],
        line=inst.line,
    )


def _keyword_edit(ctx: RuleContext, inst: Instruction, new: str) -> Edit:
    start = inst.logical.source_offset(inst.logical.text.find(inst.raw_keyword))
    replacement = new.lower() if inst.raw_keyword.islower() else new
    return Edit(start, start + len(inst.raw_keyword), replacement)


@fixer("SL416", FixKind.SAFE)
def fix_maintainer(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None or inst.keyword != "MAINTAINER":
        return
    start = inst.logical.source_offset(inst.logical.text.find(inst.raw_keyword))
    value = json.dumps(inst.args, ensure_ascii=False)
    yield Fix(
        finding.code,
        "MAINTAINER -> LABEL",
        FixKind.SAFE,
        [Edit(start, args_end(inst), f"LABEL org.opencontainers.image.authors={value}")],
        line=inst.line,
    )


@fixer("SL406", FixKind.SAFE)
def fix_add_to_copy(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None or inst.keyword != "ADD":
        return
    unsupported = {"checksum", "keep-git-dir", "unpack"}
    if any(f.name in unsupported for f in inst.flags):
        return
    yield Fix(
        finding.code,
        "ADD -> COPY",
        FixKind.SAFE,
        [_keyword_edit(ctx, inst, "COPY")],
        line=inst.line,
    )


@fixer("SL412", FixKind.SAFE)
def fix_apt_to_apt_get(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None:
        return
    edits = []
    for rs in _editable_scripts(ctx, inst):
        for cmd in rs.script.commands:
            u = cmd.unwrapped()
            if not cmd.nested and u.words and u.words[0].text == "apt":
                w = u.words[0]
                start = rs.source_offset(w.start)
                edits.append(Edit(start, rs.source_offset(w.end - 1) + 1, "apt-get"))
    if edits:
        yield Fix(finding.code, "apt -> apt-get", FixKind.SAFE, edits, line=inst.line)


_SHELL_SPECIAL = re.compile(r"[;&|<>()$`\\*?\[\]{}~#\n]")


def exact_exec_form(text: str) -> list[str] | None:
    """The exec form of a shell-form command when the split is exact, else None."""
    if not text.strip() or text.lstrip().startswith("["):
        return None
    script = parse_shell(text)
    if script.has_error or len(script.commands) != 1:
        return None
    cmd = script.commands[0]
    if cmd.assignments or cmd.redirects or cmd.in_pipeline or cmd.nested or not cmd.words:
        return None
    values: list[str] = []
    for w in cmd.words:
        if w.value is None:
            return None
        unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", w.raw)
        if _SHELL_SPECIAL.search(unquoted) or "$" in w.raw or "`" in w.raw or "\\" in w.raw:
            return None
        values.append(w.value)
    return values


def _exec_form_fix(
    ctx: RuleContext, finding: Finding, title: str, safety: FixKind
) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None:
        return
    eff = inst.effective
    if (
        eff.keyword not in ("CMD", "ENTRYPOINT")
        or eff.exec_form is not None
        or inst.keyword == "ONBUILD"
    ):
        return
    argv = exact_exec_form(eff.args)
    if argv is None:
        return
    span = inst.args_source_span()
    yield Fix(
        finding.code,
        title,
        safety,
        [Edit(span.start, span.end, json_array(argv))],
        line=inst.line,
    )


@fixer("SL411", FixKind.UNSAFE)
def fix_shell_form_cmd(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    """Unsafe: without the shell the program is PID 1 itself (signal handling changes),
    a shell-form ENTRYPOINT starts receiving CMD and `docker run` arguments, and a
    SHELL instruction no longer applies."""
    yield from _exec_form_fix(ctx, finding, "use the exec form", FixKind.UNSAFE)


@fixer("SL115", FixKind.SAFE)
def fix_shell_form_on_shell_less(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    yield from _exec_form_fix(
        ctx, finding, "use the exec form (no shell in this image)", FixKind.SAFE
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
