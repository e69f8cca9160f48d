"""SL103: turn a single-stage build into a builder stage and a lean runtime stage.

The conversion is a set of text edits: the original FROM gets ``AS builder``,
the build steps stay where they are, and a runtime stage is inserted after the
last build step. Everything after that point (the application COPY, CMD,
EXPOSE...) stays as written and now belongs to the runtime stage.

- Python: dependencies go into a virtualenv at /opt/venv (the builder's
  ``pip`` resolves to the venv's through PATH); the runtime copies the venv.
  On ``slim`` the venv's interpreter path exists (same Python layout); on
  ``distroless`` the venv's site-packages are put on PYTHONPATH and the command
  runs with the image's own python (``python -m uvicorn`` for console scripts),
  because a venv's interpreter link does not survive the move and there is no
  shell.
- Go: the build becomes static (``CGO_ENABLED=0``, ``-ldflags="-s -w"``) and
  the binary is copied to ``scratch`` (with CA certificates and a passwd entry)
  or distroless/static; code that imports "C" is refused for those.
- Rust: a release build; the binary goes to distroless/cc or Debian slim
  (glibc: no scratch).
- Node: the builder prunes dev dependencies (``npm prune --omit=dev``) and the
  runtime copies the application directory onto ``node:<v>-slim``, or onto
  distroless Node.js, whose entrypoint is node: ``CMD ["node", "server.js"]``
  becomes ``CMD ["server.js"]``; npm scripts and shell commands are refused there.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator

from slimline import fsio
from slimline.dockerfile.edit import Edit, json_array, newline_of, remove_instruction
from slimline.dockerfile.model import Instruction, Stage
from slimline.fix.model import Fix, FixOptions, fixer
from slimline.fix.python_stages import (
    REPLICATED,
    is_app_copy,
    name_stage,
    nonroot_user,
    pip_installs,
    python_restructure,
    shipped_chain,
    source_of,
)
from slimline.fix.python_stages import note as _note
from slimline.fix.structural import go_uses_cgo
from slimline.knowledge.images import classify_base
from slimline.knowledge.runtimes import (
    CA_CERTIFICATES,
    NONROOT_PASSWD,
    NONROOT_UID,
    RuntimeUnavailable,
    cgo_refusal,
    runtime_for,
    shell_refusal,
)
from slimline.lint.context import RuleContext
from slimline.lint.model import Finding, FixKind
from slimline.lint.rules._edits import exact_exec_form, find_ops
from slimline.lint.rules._util import (
    copy_destination,
    copy_sources,
    root_base,
    toolchain_role,
)


def _runtime_header(
    ctx: RuleContext, stage: Stage, split: Instruction, base: str, builder: str
) -> tuple[list[str], list[Instruction]]:
    """The new FROM, and the builder's ARG/ENV/WORKDIR and app COPYs the runtime needs too."""
    nl = newline_of(ctx.df)
    lines = [nl + f"FROM {base}" + nl]
    items = stage.instructions
    head = items[1 : items.index(split) + 1]
    copies: list[Instruction] = []
    for inst in head:
        if inst.keyword in REPLICATED:
            lines.append(source_of(ctx, inst))
        elif is_app_copy(ctx, inst):
            copies.append(inst)
    return lines, copies


def _go(ctx: RuleContext, finding: Finding, stage: Stage, options: FixOptions) -> Iterator[Fix]:
    items = stage.instructions
    builds = [
        (i, rs, cmd, op)
        for i in items
        if i.keyword == "RUN"
        for rs, cmd, op in find_ops(ctx, i, ("go",), ("build",))
    ]
    if not builds:
        return
    inst, rs, cmd, _op = builds[-1]
    state = ctx.sem.before(inst)
    out = cmd.flag_value("-o")
    if out is None:
        module = _go_module_name(ctx)
        if module is None:
            yield _note(
                finding,
                f"cannot tell where `go build` on line {inst.line} writes the binary: add -o",
            )
            return
        out = module
    binary = posixpath.normpath(posixpath.join(state.workdir, out))
    runtime = options.runtime
    rt = runtime_for("go", runtime)
    if not rt.glibc and go_uses_cgo(ctx.context_dir):
        yield _note(finding, cgo_refusal())
        return
    nl = newline_of(ctx.df)
    builder, edits = name_stage(stage)
    # Make the build static and stripped.
    prefix = (
        ""
        if "CGO_ENABLED" in cmd.assignments or state.env.get("CGO_ENABLED") == "0"
        else "CGO_ENABLED=0 "
    )
    if prefix:
        start = rs.source_offset(cmd.words[0].start)
        edits.append(Edit(start, start, prefix))
    if cmd.flag_value("-ldflags") is None:
        build_word = next(w for w in cmd.words[1:] if w.text == "build")
        pos = rs.source_offset(build_word.end - 1) + 1
        edits.append(Edit(pos, pos, ' -ldflags="-s -w"'))
    lines, _copies = _runtime_header(ctx, stage, inst, rt.image, builder)
    lines = [lines[0]] + [line for line in lines[1:] if not line.lstrip().upper().startswith("ENV")]
    passwd = ""
    if runtime == "scratch":
        passwd = f"RUN echo '{NONROOT_PASSWD}' > /tmp/passwd.nonroot{nl}"
        lines.append(f"COPY --from={builder} {CA_CERTIFICATES} /etc/ssl/certs/{nl}")
        lines.append(f"COPY --from={builder} /tmp/passwd.nonroot /etc/passwd{nl}")
    lines.append(f"COPY --from={builder} {binary} {binary}{nl}")
    if runtime == "scratch":
        lines.append(f"USER {NONROOT_UID}:{NONROOT_UID}{nl}")
    at = inst.span.end
    sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
    edits.append(Edit(at, at, sep + passwd + "".join(lines)))
    tail = items[items.index(inst) + 1 :]
    workdir = ctx.sem.before

    def runs_binary(t: Instruction, program: str) -> bool:
        full = (
            posixpath.normpath(posixpath.join(workdir(t).workdir, program))
            if "/" in program
            else program
        )
        return full == binary or posixpath.basename(full) == posixpath.basename(binary)

    command_edits, note = _point_command_at(
        ctx, finding, items, tail, runtime, not rt.shell, runs_binary, binary
    )
    if note is not None:
        yield note
        return
    yield Fix(
        finding.code,
        f"multi-stage build with a {runtime} runtime",
        FixKind.UNSAFE,
        edits + command_edits,
        line=finding.line,
        exclusive=True,
    )


def _point_command_at(
    ctx: RuleContext,
    finding: Finding,
    items: list[Instruction],
    tail: list[Instruction],
    runtime: str,
    shell_less: bool,
    runs_binary: Callable[[Instruction, str], bool],
    target: str,
) -> tuple[list[Edit], Fix | None]:
    """Edits that make the runtime stage's CMD/ENTRYPOINT run ``target`` in exec form (or add
    an ENTRYPOINT when it has none); or a refusal when the runtime part cannot work there."""
    if shell_less and any(i.keyword == "RUN" for i in tail):
        return [], _note(finding, shell_refusal(runtime))
    edits: list[Edit] = []
    has_command = False
    for t in tail:
        if t.keyword not in ("CMD", "ENTRYPOINT"):
            continue
        has_command = True
        argv = t.exec_form if t.exec_form is not None else exact_exec_form(t.args)
        if argv is None:
            return [], _note(
                finding, f"cannot turn line {t.line} into an exec-form command for {runtime}"
            )
        if runs_binary(t, argv[0]):
            argv = [target, *argv[1:]]
        span = t.args_source_span()
        edits.append(Edit(span.start, span.end, json_array(argv)))
    if not has_command:
        nl = newline_of(ctx.df)
        at = items[-1].span.end
        sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
        edits.append(Edit(at, at, f"{sep}ENTRYPOINT {json_array([target])}{nl}"))
    return edits, None


def _go_module_name(ctx: RuleContext) -> str | None:
    if ctx.context_dir is None:
        return None
    gomod = ctx.context_dir / "go.mod"
    text = fsio.read_hint(gomod)
    if text is None:
        return None
    m = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
    return m.group(1).rstrip("/").rsplit("/", 1)[-1] if m else None


#: The message of the finding :func:`restructure_finding` makes for a slim Node.js base.
_NODE_LEAN_BASE = "the image installs Node.js dependencies where it runs, on a slim base"


def _node(ctx: RuleContext, finding: Finding, stage: Stage, options: FixOptions) -> Iterator[Fix]:
    items = stage.instructions
    steps = [
        i
        for i in items
        if i.keyword == "RUN"
        and list(find_ops(ctx, i, ("npm", "yarn", "pnpm"), ("install", "run")))
    ]
    if not steps:
        return
    last = steps[-1]
    base = root_base(ctx, stage)
    info = classify_base(base)
    # SL103 itself reports a slim base that installs a toolchain (a slim runtime drops it);
    # the finding made for the rewrite alone is one that does not.
    lean_base = finding.message == _NODE_LEAN_BASE
    if lean_base and options.runtime == "slim":
        yield _note(
            finding,
            f"the base {base} is already slim: a slim runtime from a slim base gains nothing; "
            "use --runtime distroless",
        )
        return
    if info is not None and info.variant == "alpine" and options.runtime == "distroless":
        yield _note(
            finding,
            "the build runs on Alpine (musl): its node_modules may hold native addons that "
            "cannot run on distroless (glibc); use --runtime slim",
        )
        return
    try:
        rt = runtime_for("node", options.runtime, _node_version(base))
    except RuntimeUnavailable as exc:
        yield _note(finding, str(exc))
        return
    if options.runtime == "slim":
        runtime_base = (
            info.suggestions[0]
            if info is not None and info.variant == "fat" and info.suggestions
            else base
        )
    else:
        runtime_base = rt.image
    state = ctx.sem.before(last)
    if not state.workdir_set:
        yield _note(
            finding, "set a WORKDIR before the install so the application directory can be copied"
        )
        return
    nl = newline_of(ctx.df)
    builder, edits = name_stage(stage)
    manager = next(
        op.manager
        for _rs, _c, op in find_ops(ctx, last, ("npm", "yarn", "pnpm"), ("install", "run"))
    )
    prune = {
        "npm": "npm prune --omit=dev",
        "pnpm": "pnpm prune --prod",
        "yarn": "yarn install --production --ignore-scripts --prefer-offline",
    }[manager]
    lines, _copies = _runtime_header(ctx, stage, last, runtime_base, builder)
    lines = [line for line in lines if not line.lstrip().upper().startswith("COPY")]
    lines.append(f"COPY --from={builder} {state.workdir} {state.workdir}{nl}")
    at = last.span.end
    sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
    edits.append(Edit(at, at, f"{sep}RUN {prune}{nl}" + "".join(lines)))
    notes: list[str] = []
    if rt.interpreter is not None:
        instead = (
            "--runtime slim gains nothing here (the base is already slim): change that to go "
            "distroless"
            if lean_base
            else "use --runtime slim"
        )
        refusal = _node_on_distroless(
            ctx, items[items.index(last) + 1 :], rt.interpreter, edits, notes, instead
        )
        if refusal is not None:
            yield _note(finding, refusal)
            return
    yield Fix(
        finding.code,
        f"multi-stage build with a {options.runtime} runtime",
        FixKind.UNSAFE,
        edits,
        line=finding.line,
        exclusive=True,
        note="; ".join(notes) or None,
    )


def _node_version(base: str) -> str:
    """The tag of a ``node`` base (``18``, ``18.20-bookworm``, a digest dropped); "" for others."""
    name, _, tag = base.split("@", 1)[0].rpartition(":")
    return tag if name.rsplit("/", 1)[-1] == "node" and "/" not in tag else ""


def _node_on_distroless(
    ctx: RuleContext,
    tail: list[Instruction],
    interpreter: str,
    edits: list[Edit],
    notes: list[str],
    instead: str,
) -> str | None:
    """Edits that run the runtime part on distroless Node.js (node is the entrypoint there,
    so CMD keeps only the script and its arguments); a refusal (ending with ``instead``,
    what would work) when it cannot run there."""
    if any(i.keyword == "RUN" for i in tail):
        return shell_refusal("distroless", instead)
    commands = [i for i in tail if i.keyword in ("CMD", "ENTRYPOINT")]
    script, npm_refusal = _npm_start_script(ctx, commands)
    if npm_refusal is not None:
        return f"{npm_refusal}: {instead}"
    if script is not None:
        # `npm start` runs `node SCRIPT`: only the last CMD is left, naming the script.
        *others, final = commands
        edits.extend(remove_instruction(i) for i in others)
        start = final.args_source_span().start if final.keyword == "CMD" else final.span.start
        prefix = "" if final.keyword == "CMD" else "CMD "
        edits.append(Edit(start, final.args_source_span().end, prefix + json_array([script])))
        notes.append(
            f"`npm start` on line {final.line} runs `node {script}` (package.json's "
            "scripts.start): distroless Node.js runs the script itself"
        )
        commands = []
    elif not any(i.keyword == "CMD" for i in commands):
        return f"no CMD that runs node after the install: distroless Node.js needs one; {instead}"
    for inst in commands:
        argv = inst.exec_form if inst.exec_form is not None else exact_exec_form(inst.args)
        if not argv or posixpath.basename(argv[0]) not in ("node", "nodejs") or len(argv) < 2:
            shown = " ".join(argv) if argv else inst.args.strip()
            return (
                f"line {inst.line} runs `{shown}`, which distroless Node.js cannot (no shell, "
                f"no npm; only `node SCRIPT`): {instead}"
            )
        mapped = argv[1:] if inst.keyword == "CMD" else [interpreter, *argv[1:]]
        span = inst.args_source_span()
        edits.append(Edit(span.start, span.end, json_array(mapped)))
    for inst in tail:
        if inst.keyword == "HEALTHCHECK" and inst.args.strip().upper() != "NONE":
            edits.append(remove_instruction(inst))
            notes.append(
                f"HEALTHCHECK on line {inst.line} dropped: distroless has no shell and no curl "
                "to run it; probe the service from outside, or keep it with --runtime slim"
            )
        elif inst.keyword == "USER":
            nonroot_user(inst, edits, notes)
    return None


#: The ways to write `npm start` as a command (ENTRYPOINT and CMD joined).
_NPM_START = (["npm", "start"], ["npm", "run", "start"], ["npm", "run-script", "start"])
#: A script name that is one word with no shell syntax: `node app.js`, `node ./bin/www`.
_SCRIPT_RE = re.compile(r"node\s+([\w@./][\w@./-]*)")


def _npm_start_script(
    ctx: RuleContext, commands: list[Instruction]
) -> tuple[str | None, str | None]:
    """``(SCRIPT, None)`` when the runtime command is exactly `npm start` (exec form) and
    the package.json the build copies into the working directory has ``scripts.start``
    exactly `node SCRIPT` (and no prestart/poststart); ``(None, refusal)`` when it is
    `npm start` but cannot be resolved so; ``(None, None)`` when it is not `npm start`."""
    argv: list[str] = []
    for keyword in ("ENTRYPOINT", "CMD"):  # the last of each takes effect
        inst = next((i for i in reversed(commands) if i.keyword == keyword), None)
        if inst is not None and inst.exec_form is None:
            return None, None
        argv += inst.exec_form or [] if inst is not None else []
    if not argv or [posixpath.basename(argv[0]), *argv[1:]] not in _NPM_START:
        return None, None
    cannot = (
        f"`{' '.join(argv)}` on line {commands[-1].line} needs npm, which distroless Node.js lacks"
    )
    scripts = _package_scripts(ctx, commands[-1])
    if scripts is None:
        return None, (
            f"{cannot}, and no package.json (copied from the context into the working "
            "directory) says which script it runs"
        )
    start = scripts.get("start")
    match = _SCRIPT_RE.fullmatch(start.strip()) if isinstance(start, str) else None
    if match is None:
        return None, f"{cannot}, and package.json's scripts.start is not `node SCRIPT` ({start!r})"
    hooks = sorted(k for k in ("prestart", "poststart") if k in scripts)
    if hooks:
        return None, f"{cannot}: package.json also has {' and '.join(hooks)}"
    return match.group(1), None


def _package_scripts(ctx: RuleContext, at: Instruction) -> dict[str, object] | None:
    """package.json's ``scripts`` when a COPY/ADD of the context root (or of package.json)
    puts it in the working directory of ``at``; None when not, or unreadable."""
    if ctx.context_dir is None:
        return None
    workdir = posixpath.normpath(ctx.sem.before(at).workdir)
    if not any(_copies_package_json(ctx, i, workdir) for i in ctx.df.instructions):
        return None
    try:
        data = json.loads(fsio.read_hint(ctx.context_dir / "package.json") or "")
    except json.JSONDecodeError:
        return None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    return scripts if isinstance(scripts, dict) else None


def _copies_package_json(ctx: RuleContext, inst: Instruction, workdir: str) -> bool:
    """Whether ``inst`` copies the context's package.json into ``workdir``."""
    if inst.keyword not in ("COPY", "ADD") or inst.flag("from") is not None:
        return False
    dest = copy_destination(inst, ctx.df.escape)
    target = posixpath.normpath(posixpath.join(ctx.sem.before(inst).workdir, dest))
    into_dir = target == workdir and (dest.endswith("/") or posixpath.normpath(dest) == ".")
    return any(
        (source == "." and target == workdir)
        or (
            source in ("package.json", "package*.json")
            and (into_dir or target == posixpath.join(workdir, "package.json"))
        )
        for source in map(posixpath.normpath, copy_sources(inst, ctx.df.escape))
    )


def _rust(ctx: RuleContext, finding: Finding, stage: Stage, options: FixOptions) -> Iterator[Fix]:
    items = stage.instructions
    builds = [
        (i, rs, cmd)
        for i in items
        if i.keyword == "RUN"
        for rs, cmd, _op in find_ops(ctx, i, ("cargo",), ("build",))
    ]
    if not builds:
        return
    inst, rs, cmd = builds[-1]
    runtime = options.runtime
    try:
        rt = runtime_for("rust", runtime)
    except RuntimeUnavailable as exc:
        yield _note(finding, str(exc))
        return
    name = _cargo_binary(ctx)
    if name is None:
        yield _note(
            finding, "cannot find the binary's name in Cargo.toml ([package] name or [[bin]])"
        )
        return
    state = ctx.sem.before(inst)
    target_dir = cmd.flag_value("--target-dir") or "target"
    release = cmd.has_flag("--release", "-r")
    binary = posixpath.normpath(
        posixpath.join(state.workdir, target_dir, "release" if release else "debug", name)
    )
    nl = newline_of(ctx.df)
    builder, edits = name_stage(stage)
    if not release:
        build_word = next(w for w in cmd.words[1:] if w.text == "build")
        pos = rs.source_offset(build_word.end - 1) + 1
        edits.append(Edit(pos, pos, " --release"))
        binary = posixpath.normpath(posixpath.join(state.workdir, target_dir, "release", name))
    lines, _copies = _runtime_header(ctx, stage, inst, rt.image, builder)
    lines = [lines[0]] + [line for line in lines[1:] if not line.lstrip().upper().startswith("ENV")]
    lines.append(f"COPY --from={builder} {binary} /usr/local/bin/{name}{nl}")
    at = inst.span.end
    sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
    edits.append(Edit(at, at, sep + "".join(lines)))
    tail = items[items.index(inst) + 1 :]
    command_edits, note = _point_command_at(
        ctx,
        finding,
        items,
        tail,
        runtime,
        not rt.shell,
        lambda _t, program: posixpath.basename(program) == name,
        f"/usr/local/bin/{name}",
    )
    if note is not None:
        yield note
        return
    yield Fix(
        finding.code,
        f"multi-stage build with a {runtime} runtime",
        FixKind.UNSAFE,
        edits + command_edits,
        line=finding.line,
        exclusive=True,
    )


def _cargo_binary(ctx: RuleContext) -> str | None:
    if ctx.context_dir is None:
        return None
    import tomllib  # only for a Cargo project

    try:
        data = tomllib.loads(fsio.read_hint(ctx.context_dir / "Cargo.toml") or "")
    except tomllib.TOMLDecodeError:
        return None
    bins = data.get("bin")
    if (
        isinstance(bins, list)
        and bins
        and isinstance(bins[0], dict)
        and isinstance(bins[0].get("name"), str)
    ):
        return str(bins[0]["name"])
    package = data.get("package")
    if isinstance(package, dict) and isinstance(package.get("name"), str):
        return str(package["name"])
    return None


@fixer("SL103", FixKind.UNSAFE, priority=2)
def fix_single_stage(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    if pip_installs(ctx, shipped_chain(ctx)):
        yield from python_restructure(ctx, finding, options)
        return
    if len(ctx.stages) != 1:
        return
    stage = ctx.stages[0]
    for inst in stage.instructions:
        if inst.keyword == "RUN" and list(find_ops(ctx, inst, ("go",), ("build",))):
            yield from _go(ctx, finding, stage, options)
            return
    for inst in stage.instructions:
        if inst.keyword == "RUN" and list(find_ops(ctx, inst, ("cargo",), ("build",))):
            yield from _rust(ctx, finding, stage, options)
            return
    for inst in stage.instructions:
        if inst.keyword == "RUN" and list(
            find_ops(ctx, inst, ("npm", "yarn", "pnpm"), ("install",))
        ):
            yield from _node(ctx, finding, stage, options)
            return
    yield _note(finding, "no Python, Go, Rust or Node.js build step found to split into stages")


def restructure_finding(ctx: RuleContext, findings: list[Finding]) -> Finding | None:
    """An SL103 finding for a build whose shipped stages install Python dependencies where
    they run, or for a single-stage Node.js build on a slim ``node`` base, when the rule
    did not report it (its base is already slim, or it has named stages): with
    ``--unsafe`` the rewrite applies whatever the base (for Node.js, onto distroless; a
    slim runtime is declined there). None otherwise."""
    if any(f.code == "SL103" for f in findings) or toolchain_role(ctx):
        return None  # (a dev container, CI or base image keeps its tools: SL103 is silent)
    chain = shipped_chain(ctx)
    if not pip_installs(ctx, chain):
        return _node_finding(ctx)
    info = classify_base(chain[0].base_expanded)
    if info is None or info.family != "python" or info.variant not in ("fat", "slim"):
        return None  # only the python images are known to have `python -m venv`
    return ctx.report(
        chain[0].from_instruction,
        "the shipped stages install Python dependencies where they run",
        hint="a builder stage installs them into a virtualenv; the runtime stage copies it",
    )


def _node_finding(ctx: RuleContext) -> Finding | None:
    """The finding for a single-stage build on a slim ``node`` base that installs its
    dependencies with npm, yarn or pnpm (SL103 reports only full bases)."""
    if len(ctx.stages) != 1:
        return None
    stage = ctx.stages[0]
    info = classify_base(root_base(ctx, stage))
    if info is None or info.family != "node" or info.variant != "slim":
        return None
    if not any(
        i.keyword == "RUN" and list(find_ops(ctx, i, ("npm", "yarn", "pnpm"), ("install",)))
        for i in stage.instructions
    ):
        return None
    return ctx.report(
        stage.from_instruction,
        _NODE_LEAN_BASE,
        hint="a builder stage installs them; the runtime stage copies the application onto "
        "distroless Node.js",
    )
