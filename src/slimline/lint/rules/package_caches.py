"""Package-manager cache rules (SL104-SL109, SL114): caches and lists left in a layer.

Size rules like those in ``size``: they judge only the stages whose layers ship.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from slimline.dockerfile.edit import Edit
from slimline.dockerfile.model import Instruction
from slimline.knowledge.packages import MANAGERS, classify
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer, instruction_of
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._edits import add_flag, cleanup_fix
from slimline.lint.rules._util import (
    cleans_cache,
    declared_toolchain,
    env_value,
    has_cache_mount,
    purged_with_dependencies,
    run_instructions,
    shipped_indexes,
)


def _cache_rule(
    ctx: RuleContext,
    managers: tuple[str, ...],
    ok_flags: tuple[str, ...] = (),
    env_names: tuple[str, ...] = (),
    actions: tuple[str, ...] = ("install",),
) -> Iterator[tuple[Instruction, str, str]]:
    """RUNs in shipped stages where ``managers`` fill their cache and leave it behind:
    (instruction, manager, the program as written, e.g. ``tdnf`` for the dnf family)."""
    shipped = shipped_indexes(ctx)
    for stage, inst in run_instructions(ctx):
        if stage.index not in shipped:
            continue
        commands = ctx.sem.commands(inst)
        for i, cmd in enumerate(commands):
            op = classify(cmd)
            if op is None or op.manager not in managers or op.action not in actions:
                continue
            if ok_flags and cmd.has_flag(*ok_flags):
                continue
            if any(
                env_value(ctx, inst, cmd, name) not in (None, "", "0", "false")
                for name in env_names
            ):
                continue
            if has_cache_mount(inst, op.manager):
                continue
            if cleans_cache(commands, op.manager, i):
                continue
            yield inst, op.manager, cmd.program.removeprefix("xx-")
            break


@rule(
    "SL104",
    "apt-lists-not-removed",
    Severity.WARNING,
    Category.SIZE,
    hadolint=("DL3009",),
)
def apt_lists_not_removed(ctx: RuleContext) -> Iterator[Finding]:
    """`apt-get update` leaves the package lists in the layer.

    ## Why
    `apt-get update` downloads package indexes into `/var/lib/apt/lists` (tens of
    MB). Unless the same RUN deletes them, they stay in that layer forever: a later
    `RUN rm -rf /var/lib/apt/lists/*` hides them but frees nothing. (Official Debian
    and Ubuntu images already clean `/var/cache/apt/archives` automatically.)

    Only stages that ship are checked: lists left in a builder stage never reach
    the final image (hadolint's DL3009 also reports builder stages).

    ## Bad
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    or keep them out of the layer with
    `RUN --mount=type=cache,target=/var/lib/apt/lists ...`.
    """
    for inst, _, _ in _cache_rule(ctx, ("apt",), actions=("update",)):
        yield ctx.report(
            inst,
            "`apt-get update` leaves the package lists in this layer",
            hint="end the same RUN with `&& rm -rf /var/lib/apt/lists/*` (or use a cache mount)",
        )


@fixer("SL104", FixKind.SAFE)
def fix_apt_lists(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from cleanup_fix(ctx, finding, ("apt",), ("update",))


@rule(
    "SL105",
    "apk-cache-kept",
    Severity.WARNING,
    Category.SIZE,
    hadolint=("DL3019",),
)
def apk_cache_kept(ctx: RuleContext) -> Iterator[Finding]:
    """`apk add` without `--no-cache` keeps the package index in the layer.

    ## Why
    `apk add --no-cache` fetches the index to memory and installs without leaving
    `/var/cache/apk` behind. Without it the index stays in the layer. Only stages
    that ship are checked.

    ## Bad
    ```dockerfile
    RUN apk update && apk add curl
    ```

    ## Good
    ```dockerfile
    RUN apk add --no-cache curl
    ```
    """
    for inst, _, _ in _cache_rule(ctx, ("apk",), ok_flags=("--no-cache", "--no-network")):
        yield ctx.report(
            inst,
            "`apk add` without `--no-cache` keeps the apk cache in this layer",
            hint="use `apk add --no-cache`",
        )


@fixer("SL105", FixKind.SAFE)
def fix_apk_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from add_flag(
        ctx,
        finding,
        ("apk",),
        ("install",),
        ("--no-cache",),
        "--no-cache",
        "add --no-cache to apk add",
    )


@rule(
    "SL106",
    "rpm-cache-kept",
    Severity.WARNING,
    Category.SIZE,
    hadolint=("DL3032", "DL3040", "DL3036"),
)
def rpm_cache_kept(ctx: RuleContext) -> Iterator[Finding]:
    """`dnf`, `yum`, `microdnf` or `zypper` installs without cleaning its cache in the same RUN.

    ## Why
    These package managers keep metadata and downloaded RPMs under `/var/cache`.
    Clean them in the same RUN as the install, or the layer keeps them. Only stages
    that ship are checked.

    ## Bad
    ```dockerfile
    RUN dnf install -y httpd
    ```

    ## Good
    ```dockerfile
    RUN dnf install -y httpd && dnf clean all
    ```
    """
    for inst, manager, program in _cache_rule(ctx, ("dnf", "yum", "microdnf", "zypper")):
        yield ctx.report(
            inst,
            f"`{program}` cache is left in this layer",
            hint=MANAGERS[manager].advice.replace(f"`{manager} ", f"`{program} "),
        )


@fixer("SL106", FixKind.SAFE)
def fix_rpm_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from cleanup_fix(ctx, finding, ("dnf", "yum", "microdnf", "zypper"), ("install",))


@rule(
    "SL107",
    "pip-cache-kept",
    Severity.WARNING,
    Category.SIZE,
    hadolint=("DL3042",),
)
def pip_cache_kept(ctx: RuleContext) -> Iterator[Finding]:
    """`pip install` without `--no-cache-dir` keeps pip's download cache in the layer.

    ## Why
    pip stores every downloaded wheel under `/root/.cache/pip`; in an image that
    cache is never used again but ships in the layer (often tens of MB). Use
    `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or a BuildKit cache mount. Only
    stages that ship are checked.

    ## Bad
    ```dockerfile
    RUN pip install -r requirements.txt
    ```

    ## Good
    ```dockerfile
    RUN pip install --no-cache-dir -r requirements.txt
    ```
    or
    ```dockerfile
    RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    ```
    """
    for inst, manager, _ in _cache_rule(
        ctx, ("pip",), ok_flags=("--no-cache-dir", "--no-cache"), env_names=("PIP_NO_CACHE_DIR",)
    ):
        yield ctx.report(
            inst,
            f"`{manager} install` without `--no-cache-dir` keeps the pip cache in this layer",
            hint="add `--no-cache-dir` (or use `--mount=type=cache,target=/root/.cache/pip`)",
        )


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
    yield from add_flag(
        ctx,
        finding,
        ("pip",),
        ("install",),
        ("--no-cache-dir", "--no-cache"),
        "--no-cache-dir",
        "add --no-cache-dir to pip install",
    )


@rule(
    "SL108",
    "yarn-cache-kept",
    Severity.WARNING,
    Category.SIZE,
    hadolint=("DL3060",),
)
def yarn_cache_kept(ctx: RuleContext) -> Iterator[Finding]:
    """`yarn install` without `yarn cache clean` keeps yarn's cache in the layer.

    ## Why
    Yarn (v1) copies every package into its global cache as well as into
    `node_modules`, doubling the bytes in the layer. Only stages that ship are checked.

    ## Bad
    ```dockerfile
    RUN yarn install --frozen-lockfile
    ```

    ## Good
    ```dockerfile
    RUN yarn install --frozen-lockfile && yarn cache clean
    ```
    """
    for inst, _, _ in _cache_rule(ctx, ("yarn",)):
        yield ctx.report(
            inst,
            "yarn cache is left in this layer",
            hint="end the same RUN with `&& yarn cache clean`",
        )


@fixer("SL108", FixKind.SAFE)
def fix_yarn_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from cleanup_fix(ctx, finding, ("yarn",), ("install",))


@rule(
    "SL109",
    "apt-install-recommends",
    Severity.WARNING,
    Category.SIZE,
    hadolint=("DL3015",),
)
def apt_install_recommends(ctx: RuleContext) -> Iterator[Finding]:
    """`apt-get install` without `--no-install-recommends` pulls in recommended packages.

    ## Why
    By default apt installs every "Recommends" of the packages you ask for, which
    can double what lands in the image (documentation tools, X libraries...). Ask
    for exactly what you need. Only stages that ship are checked.

    ## Bad
    ```dockerfile
    RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    shipped = shipped_indexes(ctx)
    for stage, inst in run_instructions(ctx):
        if stage.index not in shipped:
            continue
        commands = ctx.sem.commands(inst)
        for index, cmd in enumerate(commands):
            op = classify(cmd)
            if op is None or op.manager != "apt" or op.action != "install":
                continue
            if cmd.program == "aptitude" or cmd.has_flag("--no-install-recommends"):
                continue
            if purged_with_dependencies(commands, index):
                continue  # build dependencies purged with what they pulled in
            words = " ".join(cmd.argv)
            if re.search(r"APT::Install-Recommends[= ]+(\"?)(false|0|no)\1", words, re.IGNORECASE):
                continue
            yield ctx.report(
                inst,
                "`apt-get install` without `--no-install-recommends` installs recommended packages too",
                hint="add `--no-install-recommends`",
            )
            break


@fixer("SL109", FixKind.SAFE)
def fix_install_recommends(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    if declared_toolchain(ctx):
        return  # a dev container or a configured toolchain: recommended tools are its product
    yield from add_flag(
        ctx,
        finding,
        ("apt",),
        ("install",),
        ("--no-install-recommends",),
        "--no-install-recommends",
        "add --no-install-recommends",
    )


@rule("SL114", "npm-cache-kept", Severity.INFO, Category.SIZE)
def npm_cache_kept(ctx: RuleContext) -> Iterator[Finding]:
    """`npm install`/`npm ci` leaves npm's cache (`/root/.npm`) in the layer.

    ## Why
    npm keeps a content-addressed copy of every tarball it downloads in `~/.npm`.
    In an image it is dead weight. Clean it in the same RUN or use a cache mount.
    Only stages that ship are checked.

    ## Bad
    ```dockerfile
    RUN npm ci --omit=dev
    ```

    ## Good
    ```dockerfile
    RUN npm ci --omit=dev && npm cache clean --force
    ```
    or `RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev`.
    """
    for inst, _, _ in _cache_rule(ctx, ("npm",)):
        yield ctx.report(
            inst,
            "npm cache (/root/.npm) is left in this layer",
            hint="end the same RUN with `&& npm cache clean --force` (or use a cache mount)",
        )


@fixer("SL114", FixKind.SAFE)
def fix_npm_cache(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from cleanup_fix(ctx, finding, ("npm",), ("install",))
