"""Build-cache rules (SL2xx): layer order and steps that defeat or misuse the cache."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slimline.dockerfile.edit import prepend_shell, remove_instruction
from slimline.dockerfile.model import Instruction
from slimline.knowledge.packages import classify
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
from slimline.lint.rules._util import copy_sources, is_broad_copy, package_ops

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
}
#: Manifest files whose names have no dot (a COPY of them is not a source tree).
_DOTLESS_MANIFESTS = frozenset({"Gemfile", "Pipfile", "Makefile", "Dockerfile", "LICENSE"})


def _copies_source_tree(inst: Instruction, escape: str) -> bool:
    """``COPY . .``, or a COPY of a source directory (``COPY app-dir .``, ``COPY src/ ./``):
    it brings the project's sources, so any change to them invalidates what follows."""
    if is_broad_copy(inst, escape):
        return True
    eff = inst.effective
    if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None or eff.heredocs:
        return False
    for source in copy_sources(inst, escape):
        name = source.rstrip("/").rsplit("/", 1)[-1]
        if "://" in source or "$" in source or any(ch in name for ch in "*?["):
            continue
        if _MANIFEST_DIR.search(name):
            continue  # `COPY requirements/ requirements/`: the manifests themselves
        if source.endswith("/") or ("." not in name and name not in _DOTLESS_MANIFESTS):
            return True
    return False


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
        if op.manager == "conda" and op.packages and not op.command.has_flag("-f", "--file"):
            continue  # `micromamba install python jupyter_core`: named packages, no manifest
        return op.manager
    return None


@rule("SL201", "install-after-copy-all", Severity.WARNING, Category.CACHE)
def install_after_copy_all(ctx: RuleContext) -> Iterator[Finding]:
    """Dependencies are installed after copying the whole build context.

    ## Why
    Docker reuses a cached layer only if everything before it is unchanged. After
    `COPY . .`, any edit to any source file invalidates the cache, so every build
    reinstalls all dependencies. Copy the dependency manifests first, install, then
    copy the rest.

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
    before the install and moves the broad COPY after it.
    """
    for stage in ctx.stages:
        broad: Instruction | None = None
        #: Managers whose dependencies were installed before any source was copied.
        installed_first: set[str] = set()
        for inst in stage.instructions:
            if inst.keyword in ("COPY", "ADD") and _copies_source_tree(inst, ctx.df.escape):
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
            if manager in installed_first and not is_broad_copy(broad, ctx.df.escape):
                continue  # dependencies came first; this installs the project itself
            if manager == "go" and not is_broad_copy(broad, ctx.df.escape):
                continue  # `COPY api/ api/` before `go mod download`: a `replace => ./api` module
            yield ctx.report(
                inst,
                f"dependencies are installed after `{broad.keyword} {broad.args}` (line {broad.line}): "
                "any source change re-runs this install",
                hint=f"copy only {_MANIFESTS.get(manager, 'the manifests')} before this RUN, and the rest after it",
                data={"copy_line": broad.line, "manager": manager},
                related=(broad,),
            )
            break


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
                ):
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
