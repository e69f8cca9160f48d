"""Build-cache rules (SL2xx): layer order and steps that defeat or misuse the cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from slimline.dockerfile.edit import prepend_shell, remove_instruction
from slimline.dockerfile.model import Instruction
from slimline.dockerfile.shell import ShellCommand
from slimline.knowledge.packages import APT_INSTALL_SCRIPTS, classify, mount_fields
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer, instruction_of
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._edits import (
    find_ops,
    is_simple_shell_run,
    next_instruction,
    only_whitespace_between,
)
from slimline.lint.rules._util import copy_destination, copy_sources, is_broad_copy, package_ops

#: Dependency installs whose inputs are a few manifest files (manager -> actions).
_DEPENDENCY_STEPS = {
    "pip": {"install"},
    "uv": {"install"},
    "poetry": {"install"},
    "pipenv": {"install"},
    "npm": {"install"},
    "yarn": {"install"},
    "pnpm": {"install"},
    "bundle": {"install"},
    "go": {"mod download"},
    "conda": {"install", "create", "env"},
    # cargo has no separate install: a build compiles the dependencies with the crate
    "cargo": {"build", "fetch", "vendor", "install", "chef"},
}
_MANIFESTS = {
    "pip": "requirements*.txt / pyproject.toml",
    "uv": "pyproject.toml uv.lock",
    "poetry": "pyproject.toml poetry.lock",
    "pipenv": "Pipfile Pipfile.lock",
    "npm": "package.json package-lock.json",
    "yarn": "package.json yarn.lock",
    "pnpm": "package.json pnpm-lock.yaml",
    "bundle": "Gemfile Gemfile.lock",
    "go": "go.mod go.sum",
    "conda": "environment.yml",
    "cargo": "Cargo.toml Cargo.lock",
}
#: Manifest files whose names have no dot (a COPY of them is not a source tree).
_DOTLESS_MANIFESTS = frozenset({"Gemfile", "Pipfile", "Makefile", "Dockerfile", "LICENSE"})


def _copies_source_tree(inst: Instruction, escape: str, context_dir: Path | None = None) -> bool:
    """``COPY . .``, or a COPY of a source directory (``COPY app-dir .``, ``COPY src/ ./``):
    it brings the project's sources, so any change to them invalidates what follows."""
    if is_broad_copy(inst, escape):
        return True
    eff = inst.effective
    if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None or eff.heredocs:
        return False
    if _BIN_DIR.match(copy_destination(inst, escape)):
        return False  # `COPY fix-permissions /usr/local/bin/`: a helper program, not sources
    for source in copy_sources(inst, escape):
        name = source.rstrip("/").rsplit("/", 1)[-1]
        if "://" in source or "$" in source or any(ch in name for ch in "*?["):
            continue
        if _MANIFEST_DIR.search(name):
            continue  # `COPY requirements/ requirements/`: the manifests themselves
        if _is_context_file(context_dir, source):
            continue  # `COPY initial-condarc ...`: a file of the context, not a directory
        if source.endswith("/") or ("." not in name and name not in _DOTLESS_MANIFESTS):
            return True
    return False


def _is_context_file(context_dir: Path | None, source: str) -> bool:
    """``source`` names a regular file of the build context (read only, never followed out)."""
    if context_dir is None or source.startswith("/") or ".." in source.split("/"):
        return False
    try:
        return (context_dir / source).is_file()
    except OSError:
        return False


#: Where helper programs go (`/usr/local/bin/`, `/usr/bin/x`, `/sbin`...).
_BIN_DIR = re.compile(r"/(usr/(local/)?)?s?bin(/|\Z)")
#: Directories that hold dependency manifests, not sources.
_MANIFEST_DIR = re.compile(r"requirement|lock|^deps$|^patches$|^\.yarn$|^\.cargo$", re.IGNORECASE)


def _dependency_install(ctx: RuleContext, inst: Instruction) -> str | None:
    """The package manager of a dependency-install step in a RUN, else None."""
    for op in package_ops(ctx, inst):
        if op.action not in _DEPENDENCY_STEPS.get(op.manager, set()):
            continue
        if op.manager == "pip" or op.manager == "uv":
            cmd = op.command
            # Installs from a requirements file. `pip install .` needs the whole source
            # and `pip install pipx` no manifest at all: neither can move before the COPY.
            if not cmd.has_flag("-r", "--requirement"):
                continue
        if op.manager in ("npm", "yarn", "pnpm") and op.packages:
            continue  # `npm install -g typescript` is not the project's dependencies
        if op.manager == "cargo" and op.action == "install" and op.packages:
            continue  # `cargo install ripgrep` is a tool, not the crate (`--path .` is)
        if op.manager == "cargo" and op.action == "chef":
            # cargo-chef: `cook` builds the dependencies from a recipe (before the sources);
            # `prepare` reads the whole source tree by design
            if op.positional[1:2] != ["cook"]:
                continue
        elif op.manager == "cargo" and _caches_target_dir(inst):
            continue  # compiled dependencies persist in a cache mount, whatever the layer
        if op.manager == "conda" and op.packages and not op.command.has_flag("-f", "--file"):
            continue  # `micromamba install python jupyter_core`: named packages, no manifest
        return op.manager
    return None


def _caches_target_dir(inst: Instruction) -> bool:
    """A ``--mount=type=cache`` over a cargo ``target`` directory."""
    for mount in inst.effective.flag_values("mount"):
        fields = mount_fields(mount)
        target = fields.get("target") or fields.get("dst") or fields.get("destination") or ""
        if fields.get("type") == "cache" and target.rstrip("/").endswith("target"):
            return True
    return False


@rule("SL201", "install-after-copy-all", Severity.WARNING, Category.CACHE)
def install_after_copy_all(ctx: RuleContext) -> Iterator[Finding]:
    """Dependencies are installed after copying the whole build context.

    ## Why
    Docker reuses a cached layer only if everything before it is unchanged. After
    `COPY . .`, any edit to any source file invalidates the cache, so every build
    reinstalls all dependencies. Copy the dependency manifests first, install, then
    copy the rest. Cargo has no install step of its own: after copying `Cargo.toml`
    and `Cargo.lock`, build once against empty stand-in sources (the compiled
    dependencies stay in that cached layer), then copy the sources and build again.

    ## Bad
    ```dockerfile
    COPY . .
    RUN pip install -r requirements.txt
    ```

    ## Good
    ```dockerfile
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    ```

    ## Fix
    Unsafe: `slimline fix --unsafe` copies the manifests it finds in the context
    before the install and moves the broad COPY after it; for Cargo it adds the
    dependency build against stand-in sources before the broad COPY.
    """
    for stage in ctx.stages:
        broad: Instruction | None = None
        #: Managers whose dependencies were installed before any source was copied.
        installed_first: set[str] = set()
        for inst in stage.instructions:
            if inst.keyword in ("COPY", "ADD") and _copies_source_tree(
                inst, ctx.df.escape, ctx.context_dir
            ):
                broad = broad or inst
                continue
            if inst.keyword != "RUN":
                continue
            manager = _dependency_install(ctx, inst)
            if manager is None:
                continue
            if broad is None:
                installed_first.add(manager)
                continue
            if manager == "go" and not is_broad_copy(broad, ctx.df.escape):
                continue  # `COPY api/ api/` before `go mod download`: a `replace => ./api` module
            if manager in installed_first and (
                manager == "cargo" or not is_broad_copy(broad, ctx.df.escape)
            ):
                continue  # dependencies came first; this installs (builds) the project itself
            hint = f"copy only {_MANIFESTS.get(manager, 'the manifests')} before this RUN, and the rest after it"
            if manager == "cargo":
                hint = (
                    "copy only Cargo.toml Cargo.lock first and build the dependencies against empty "
                    "stand-in sources (`echo 'fn main() {}' > src/main.rs`), then copy the rest "
                    "and build again"
                )
            yield ctx.report(
                inst,
                f"dependencies are installed after `{broad.keyword} {broad.args}` (line {broad.line}): "
                "any source change re-runs this install",
                hint=hint,
                data={"copy_line": broad.line, "manager": manager},
                related=(broad,),
            )
            break


def _may_install(cmd: ShellCommand) -> bool:
    """An install wrapper (`install_packages`) or a script run after the update
    (`bash common-debian.sh`, `./setup.sh`): it may install with the fresh lists."""
    if cmd.program in APT_INSTALL_SCRIPTS or cmd.program.endswith(".sh"):
        return True
    return cmd.program in ("sh", "bash", "ash", "dash") and any(
        not w.startswith("-") for w in cmd.argv[1:2]
    )


@rule("SL202", "apt-update-alone", Severity.WARNING, Category.CACHE)
def apt_update_alone(ctx: RuleContext) -> Iterator[Finding]:
    """`apt-get update` (or `apk update`) runs in a RUN of its own.

    ## Why
    The cached `apt-get update` layer is reused by later builds while the install
    line changes, so the install may use stale indexes and fail ("404 Not Found")
    or install outdated packages. Update and install in one RUN.

    ## Bad
    ```dockerfile
    RUN apt-get update
    RUN apt-get install -y --no-install-recommends curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    for inst in ctx.instructions("RUN"):
        commands = ctx.sem.commands(inst)
        ops = [op for c in commands if (op := classify(c)) is not None]
        for op in ops:
            if op.manager in ("apt", "apk") and op.action == "update":
                if not any(
                    o.manager == op.manager and o.action in ("install", "upgrade") for o in ops
                ) and not any(_may_install(c) for c in commands):
                    yield ctx.report(
                        inst,
                        f"`{op.command.program} update` in a RUN without an install: its cached layer goes stale",
                        hint="run the update and the install in the same RUN",
                    )
                break


@fixer("SL202", FixKind.SAFE, priority=0)
def fix_update_alone(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None or not is_simple_shell_run(inst) or inst.flags:
        return
    nxt = next_instruction(ctx, inst)
    if (
        nxt is None
        or not is_simple_shell_run(nxt)
        or nxt.flags
        or not only_whitespace_between(ctx, inst, nxt)
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
