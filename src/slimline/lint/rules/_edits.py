"""Text edits that the fixes next to the rules share: package operations that can be
edited in place, flags added after a sub-command, clean-ups appended to a RUN, RUNs
joined with ``&&``, exec forms written from shell forms."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from slimline.dockerfile.edit import (
    Edit,
    append_shell,
    args_end,
    continuation_indent,
    json_array,
    newline_of,
)
from slimline.dockerfile.model import Instruction
from slimline.dockerfile.semantics import RunScript
from slimline.dockerfile.shell import ShellCommand, ShellWord, parse_shell
from slimline.knowledge.packages import PackageOp, classify
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, instruction_of
from slimline.lint.model import Finding, FixKind
from slimline.lint.rules._util import cleans_cache, copy_destination, has_cache_mount

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


def editable_scripts(ctx: RuleContext, inst: Instruction) -> list[RunScript]:
    return [rs for rs in ctx.sem.scripts(inst) if rs.kind in ("shell", "heredoc")]


def find_ops(
    ctx: RuleContext, inst: Instruction, managers: tuple[str, ...], actions: tuple[str, ...]
) -> Iterator[tuple[RunScript, ShellCommand, PackageOp]]:
    """Package operations in a RUN that can be edited in place (not inside ``sh -c "..."``)."""
    for rs in editable_scripts(ctx, inst):
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


#: A word that is only a variable (`$opts`, `${OPTS}`): it may hold any flag.
_BARE_VARIABLE = re.compile(r"\$(\w+|\{\w+\})\Z")


def add_flag(
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
        if cmd.has_flag(*flags) or any(_BARE_VARIABLE.match(w.text) for w in cmd.words[1:]):
            continue  # (`apt-get install $noInstallRecommends ...`: the flag may be in it)
        word = action_word(cmd, op)
        if word is not None:
            edits.append(insert_after(rs, word, f" {add}"))
    if edits:
        yield Fix(finding.code, title, FixKind.SAFE, edits, line=inst.line)


def is_simple_shell_run(inst: Instruction) -> bool:
    eff = inst.effective
    return inst.keyword == "RUN" and eff.exec_form is None and not eff.heredocs


def append_cleanup(ctx: RuleContext, inst: Instruction, command: str) -> Edit | None:
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


def cleanup_fix(
    ctx: RuleContext, finding: Finding, managers: tuple[str, ...], actions: tuple[str, ...]
) -> Iterator[Fix]:
    """Append the clean-up command of every listed manager that leaves its cache in the RUN."""
    inst = instruction_of(finding)
    if inst is None:
        return
    commands = ctx.sem.commands(inst)
    script = ctx.sem.script(inst)
    raw = script.commands if script is not None else []
    needed: list[str] = []
    #: The program as written (``tdnf`` cleans with ``tdnf clean all``, not ``dnf``).
    programs: dict[str, str] = {}
    #: Managers run through sudo: their cache is root's, so is the clean-up.
    sudo: set[str] = set()
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
        programs[op.manager] = cmd.program.removeprefix("xx-")
        if i < len(raw) and raw[i].program == "sudo":
            sudo.add(op.manager)
    if not needed:
        return
    cleanups = [
        ("sudo " if m in sudo else "")
        + (_CLEAN[m].replace(f"{m} ", f"{programs[m]} ", 1) if m != "apt" else _CLEAN[m])
        for m in needed
    ]
    edit = append_cleanup(ctx, inst, " && ".join(cleanups))
    if edit is not None:
        yield Fix(
            finding.code,
            f"clean the {', '.join(needed)} cache in the same RUN",
            FixKind.SAFE,
            [edit],
            line=inst.line,
        )


def previous_instruction(ctx: RuleContext, inst: Instruction) -> Instruction | None:
    if inst.stage_index is None:
        return None
    items = ctx.df.stages[inst.stage_index].instructions
    i = items.index(inst)
    return items[i - 1] if i > 0 else None


def next_instruction(ctx: RuleContext, inst: Instruction) -> Instruction | None:
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


def only_whitespace_between(ctx: RuleContext, first: Instruction, second: Instruction) -> bool:
    return ctx.df.text[first.span.end : second.span.start].strip() == ""


def join_runs(
    ctx: RuleContext, first: Instruction, second: Instruction, code: str, title: str
) -> Fix | None:
    """Append ``second``'s script to ``first`` with ``&&`` and delete ``second``."""
    if not (is_simple_shell_run(first) and is_simple_shell_run(second)):
        return None
    if first.flags or second.flags or not only_whitespace_between(ctx, first, second):
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


def join_with_previous_run(ctx: RuleContext, finding: Finding, title: str) -> Iterator[Fix]:
    """Join the finding's RUN to the RUN right before it, when that keeps behaviour."""
    inst = instruction_of(finding)
    if inst is None:
        return
    previous = previous_instruction(ctx, inst)
    if previous is None or previous.keyword != "RUN":
        return
    fix = join_runs(ctx, previous, inst, finding.code, title)
    if fix is not None:
        yield fix


def keyword_edit(ctx: RuleContext, inst: Instruction, new: str) -> Edit:
    start = inst.logical.source_offset(inst.logical.text.find(inst.raw_keyword))
    replacement = new.lower() if inst.raw_keyword.islower() else new
    return Edit(start, start + len(inst.raw_keyword), replacement)


def copy_target(ctx: RuleContext, inst: Instruction) -> str:
    """Where a COPY/ADD puts its files, as an absolute path."""
    dest = ctx.sem.expand(inst, copy_destination(inst, ctx.df.escape))
    return posixpath.normpath(posixpath.join(ctx.sem.before(inst).workdir, dest))


def is_under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def app_dir_copies(ctx: RuleContext, instructions: list[Instruction]) -> list[Instruction]:
    """The COPY/ADD instructions that copy from the build context into the application's
    directory (the WORKDIR this Dockerfile sets, not ``/``) with their files owned by
    root (no ``--from``, no ``--chown``): a non-root user cannot write to them."""
    found = []
    for inst in instructions:
        if inst.keyword not in ("COPY", "ADD") or inst.flag("from") or inst.flag("chown"):
            continue
        state = ctx.sem.before(inst)
        workdir = state.workdir if state.workdir_set else "/"
        if workdir != "/" and is_under(copy_target(ctx, inst), workdir):
            found.append(inst)
    return found


def chown_edit(inst: Instruction, owner: str) -> Edit:
    """An edit that gives a COPY/ADD ``--chown=owner``, right after its keyword.

    When a rewrite makes the application run as an unprivileged user, the files it
    copied into its directory stay writable to it, as they were to root: an application
    that writes its SQLite database or a data file next to its code keeps working."""
    end = inst.logical.source_offset(inst.logical.text.find(inst.raw_keyword)) + len(
        inst.raw_keyword
    )
    return Edit(end, end, f" --chown={owner}")


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


def exec_form_fix(ctx: RuleContext, finding: Finding, title: str, safety: FixKind) -> Iterator[Fix]:
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
