"""Unsafe (structural) fixes: they change what the image contains.

Each one is a set of text edits like the safe fixes, so the rest of the file
stays as written; `slimline optimize` builds and probes the result to prove it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from slimline import fsio
from slimline.dockerfile.edit import Edit, newline_of, remove_instruction
from slimline.dockerfile.model import Instruction, Stage
from slimline.dockerfile.words import split_words
from slimline.fix.model import Fix, FixOptions, fixer, instruction_of
from slimline.knowledge.images import classify_base
from slimline.knowledge.runtimes import (
    APP_ADDUSER_BUSYBOX,
    APP_UID,
    APP_USERADD,
    NODE_UID,
    NONROOT_UID,
)
from slimline.lint.context import RuleContext
from slimline.lint.model import Finding, FixKind
from slimline.lint.rules._edits import app_dir_copies, chown_edit, find_ops
from slimline.lint.rules._util import (
    base_info,
    copy_sources,
    in_devcontainer,
    is_broad_copy,
    is_windows_stage,
    privilege_drop,
    root_base,
)


@fixer("SL101", FixKind.UNSAFE, priority=3)
def fix_fat_base(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    final = ctx.final_stage
    if final is None or final.parent is not None or "$" in final.base:
        return
    info = base_info(ctx, final)
    if info is None or not info.suggestions or info.variant != "fat":
        return
    # A single stage that builds on this base becomes multi-stage instead (SL103).
    if len(ctx.stages) == 1 and info.toolchain:
        return
    inst = final.from_instruction
    words = split_words(inst.args, ctx.df.escape)
    if not words:
        return
    word = words[0]
    start = inst.logical.source_offset(inst.args_start + word.start)
    end = inst.logical.source_offset(inst.args_start + word.end - 1) + 1
    yield Fix(
        finding.code,
        f"use {info.suggestions[0]}",
        FixKind.UNSAFE,
        [Edit(start, end, info.suggestions[0])],
        line=inst.line,
    )


def _user_setup(ctx: RuleContext, stage: Stage) -> tuple[str | None, str]:
    """The shell command that creates an unprivileged user (None when none is needed), and
    the USER value to switch to. USER values are numeric: Kubernetes' runAsNonRoot can
    only verify a numeric UID (hadolint DL3066 says the same)."""
    base = root_base(ctx, stage)
    info = classify_base(base)
    if info is not None and info.variant in ("distroless", "scratch"):
        return None, f"{NONROOT_UID}:{NONROOT_UID}"
    if info is not None and info.family == "node":
        return None, str(NODE_UID)  # the official node images' `node` user
    if (info is not None and info.variant == "alpine") or "alpine" in base:
        return APP_ADDUSER_BUSYBOX, str(APP_UID)
    if info is not None and info.shell:
        return APP_USERADD, str(APP_UID)
    # Unknown base: a numeric user needs no tools and no /etc/passwd entry.
    return None, f"{APP_UID}:{APP_UID}"


_TAIL_KEYWORDS = ("CMD", "ENTRYPOINT", "HEALTHCHECK", "EXPOSE", "STOPSIGNAL", "LABEL", "VOLUME")


@fixer("SL301", FixKind.UNSAFE, priority=3)
def fix_runs_as_root(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    final = ctx.final_stage
    if final is None:
        return
    inst = instruction_of(finding)
    nl = newline_of(ctx.df)
    if inst is not None and inst.keyword == "USER":
        # USER root last: drop it (earlier USER or a new user follows below).
        yield Fix(
            finding.code,
            "do not switch back to root",
            FixKind.UNSAFE,
            [remove_instruction(inst)],
            line=inst.line,
        )
        return
    # A dev container's user is set by devcontainer.json (remoteUser), and its tools
    # expect root to install more: leave it alone. (The rule itself is silent where the
    # entrypoint drops privileges itself and on Windows images.)
    if in_devcontainer(ctx) or is_windows_stage(ctx, final) or privilege_drop(ctx, final):
        return
    items = final.instructions
    create, user = _user_setup(ctx, final)
    # Create the user in a RUN of its own right before the USER line, never inside
    # someone else's script (a `set -eux` block), and switch before the trailing
    # CMD/ENTRYPOINT block (or at the end).
    pos = len(items)
    while pos > 1 and items[pos - 1].keyword in _TAIL_KEYWORDS:
        pos -= 1
    lines = ([f"RUN {create}"] if create is not None else []) + [f"USER {user}"]
    block = "".join(f"{line}{nl}" for line in lines)
    # What the stage copies into the application's directory stays writable to it, as it
    # was when it ran as root.
    edits = [chown_edit(i, user) for i in app_dir_copies(ctx, items[:pos])]
    if pos < len(items):
        at = items[pos].span.start
        edits.append(Edit(at, at, block))
    else:
        at = items[-1].span.end
        sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
        edits.append(Edit(at, at, f"{sep}{block}"))
    yield Fix(finding.code, "run as an unprivileged user", FixKind.UNSAFE, edits, line=finding.line)


#: Manifest files per package manager, in the order they are copied.
MANIFESTS: dict[str, tuple[str, ...]] = {
    "npm": ("package.json", "package-lock.json", "npm-shrinkwrap.json"),
    "yarn": ("package.json", "yarn.lock"),
    "pnpm": ("package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"),
    "go": ("go.mod", "go.sum"),
    "bundle": ("Gemfile", "Gemfile.lock"),
    "pipenv": ("Pipfile", "Pipfile.lock"),
    "conda": ("environment.yml", "environment.yaml"),
}


def _manifests_for(
    ctx: RuleContext, inst: Instruction, manager: str, dest_dir: str
) -> list[str] | None:
    """Context files the install needs, or None when it needs the whole source."""
    context = ctx.context_dir
    if context is None:
        return None
    if manager in ("pip", "uv"):
        files: list[str] = []
        state = ctx.sem.before(inst)
        for _rs, cmd, op in find_ops(ctx, inst, ("pip", "uv"), ("install",)):
            words = [w.text for w in cmd.words]
            for i, w in enumerate(words):
                value = None
                if w in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(words):
                    value = words[i + 1]
                elif w.startswith(("--requirement=", "--constraint=")):
                    value = w.split("=", 1)[1]
                elif w.startswith("-r") and len(w) > 2:
                    value = w[2:]
                if value is None:
                    continue
                container = posixpath.normpath(posixpath.join(state.workdir, value))
                rel = posixpath.relpath(container, dest_dir)
                if rel.startswith("..") or "$" in rel:
                    return None
                files.append(rel)
            if any(p.text in (".", "./") or p.text.startswith(("./", "-e")) for p in op.packages):
                return None  # installs the project itself: needs its source
        if not files:
            return None
        # A requirements file may include others (-r base.txt): copy its siblings too.
        if all("/" not in f for f in files):
            files += [
                p.name for p in sorted(context.glob("requirements*.txt")) if p.name not in files
            ]
        return files if all((context / f).is_file() for f in files) else None
    names = MANIFESTS.get(manager)
    if names is None:
        return None
    present = [n for n in names if (context / n).is_file()]
    if manager in ("npm", "yarn", "pnpm", "bundle", "pipenv", "go") and not present:
        return None
    if manager in ("yarn",) and (context / ".yarnrc.yml").exists():
        present.append(".yarnrc.yml")
    return present or None


@fixer("SL201", FixKind.UNSAFE, priority=0)
def fix_install_after_copy_all(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    inst = instruction_of(finding)
    manager = finding.data.get("manager")
    if inst is None or inst.stage_index is None or not isinstance(manager, str):
        return
    stage = ctx.stages[inst.stage_index]
    broad = next(iter(finding.related), None)
    if not isinstance(broad, Instruction) or not is_broad_copy(broad, ctx.df.escape) or broad.flags:
        return
    items = stage.instructions
    between = items[items.index(broad) + 1 : items.index(inst)]
    if any(i.keyword not in ("COPY", "ADD", "LABEL", "EXPOSE") for i in between):
        return  # the install may depend on what runs in between
    sources = copy_sources(broad, ctx.df.escape)
    words = split_words(broad.args, ctx.df.escape)
    dest = broad.exec_form[-1] if broad.exec_form else (words[-1].value if words else ".")
    state = ctx.sem.before(broad)
    dest_dir = posixpath.normpath(posixpath.join(state.workdir, dest))
    if sources != ["."] and sources != ["./"]:
        return
    files = _manifests_for(ctx, inst, manager, dest_dir)
    if not files:
        return
    nl = newline_of(ctx.df)
    target = dest if dest.endswith("/") else dest + "/"
    copy_text = f"COPY {' '.join(files)} {target}"
    run_text = ctx.df.text[inst.span.start : inst.span.end]
    if not run_text.endswith(("\n", "\r")):
        run_text += nl
    yield Fix(
        finding.code,
        "copy the dependency manifests and install before copying the source",
        FixKind.UNSAFE,
        [
            Edit(broad.span.start, broad.span.start, f"{copy_text}{nl}{run_text}"),
            remove_instruction(inst),
        ],
        line=inst.line,
    )


def go_uses_cgo(context: Path | None) -> bool:
    """Whether any Go file in the context imports "C" (then no static binary on scratch)."""
    if context is None:
        return False
    pattern = re.compile(r'^\s*import\s+(\(\s*)?"C"', re.MULTILINE)
    for path in context.rglob("*.go"):
        if "vendor" in path.parts or "testdata" in path.parts:
            continue
        if pattern.search(fsio.read_hint(path) or ""):
            return True
    return False
