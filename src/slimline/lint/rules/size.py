"""Size rules (SL1xx): what makes the final image bigger than it needs to be."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slimline.dockerfile.model import Instruction
from slimline.dockerfile.shell import ShellCommand
from slimline.knowledge.images import classify_base
from slimline.knowledge.packages import MANAGERS, classify, is_toolchain_package
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._edits import exec_form_fix, join_with_previous_run
from slimline.lint.rules._goship import go_build_ships
from slimline.lint.rules._util import (
    ROLE_HINT,
    base_info,
    copy_destination,
    copy_sources,
    env_value,
    left_installed,
    package_ops,
    rm_targets,
    root_base,
    run_instructions,
    shipped_indexes,
    shipped_stages,
    toolchain_role,
)

#: Commands that install or build dependencies (multi-stage candidates).
_BUILD_ACTIONS = {
    "pip": {"install"},
    "uv": {"install"},
    "poetry": {"install"},
    "pipenv": {"install"},
    "npm": {"install", "run"},
    "yarn": {"install", "build", "run"},
    "pnpm": {"install", "run"},
    "go": {"build", "install", "mod download", "get"},
    "cargo": {"build", "install"},
    "bundle": {"install"},
    "gem": {"install"},
    "conda": {"install", "create"},
}


def _fmt_mb(mb: int | None) -> str:
    if mb is None:
        return ""
    return f"about {mb / 1000:.1f} GB" if mb >= 1000 else f"about {mb} MB"


@rule("SL101", "fat-base-image", Severity.WARNING, Category.SIZE)
def fat_base_image(ctx: RuleContext) -> Iterator[Finding]:
    """The final stage runs on a full image where a slim, alpine or distroless variant exists.

    ## Why
    Official "full" images such as `python:3.11` or `node:20` carry a whole Debian
    userland: compilers, headers, git, curl and hundreds of packages the application
    never uses at runtime. `python:3.11` is about 1 GB; `python:3.11-slim` about
    130 MB; a distroless Python runtime about 50 MB. Toolchain images (`golang`,
    `rust`, `maven`, `gcc`) are meant for building, not for shipping.

    Only the final stage matters: a fat base in a builder stage is fine.

    Silent when the image's toolchain is its product (golang, CI and dev-container
    images): set `role = "toolchain"` in .slimline.toml, or per path under `[roles]`;
    Dockerfiles under `.devcontainer/` have that role unless configured, and so do images
    made to be built on: a start that is a shell or a language REPL (`CMD ["python3"]`),
    or no CMD/ENTRYPOINT and nothing copied from the build context but helper programs
    and configuration (buildpack-deps, golang, CI images). `role = "app"` reports them.

    ## Bad
    ```dockerfile
    FROM python:3.11
    COPY . /app
    CMD ["python", "/app/main.py"]
    ```

    ## Good
    ```dockerfile
    FROM python:3.11-slim
    COPY . /app
    CMD ["python", "/app/main.py"]
    ```

    ## Fix
    Unsafe: `slimline fix --unsafe` swaps the base for its slim variant (a package
    the app needs at runtime may be missing from it; `slimline optimize` proves it).
    """
    final = ctx.final_stage
    if final is None or toolchain_role(ctx):
        return
    info = base_info(ctx, final)
    if info is None or info.variant not in ("fat", "build") or not info.suggestions:
        return
    base = root_base(ctx, final)
    size = _fmt_mb(info.approx_mb)
    what = "a build toolchain image" if info.variant == "build" else "a full image"
    suggestion = " or ".join(f"`{s}`" for s in info.suggestions[:2])
    yield ctx.report(
        final.from_instruction,
        f"final stage runs on {what} `{base}`" + (f" ({size})" if size else ""),
        hint=f"ship on {suggestion} instead (build in an earlier stage if you need compilers); "
        + ROLE_HINT,
        data={"base": base, "suggestions": list(info.suggestions)},
    )


@rule("SL102", "toolchain-in-final-image", Severity.WARNING, Category.SIZE)
def toolchain_in_final_image(ctx: RuleContext) -> Iterator[Finding]:
    """Compilers, build tools or -dev headers are installed in a stage that ships.

    ## Why
    `build-essential`, `gcc`, `make` and `*-dev`/`*-devel` packages are needed to
    compile native extensions, not to run them. Installed in the final image they
    add hundreds of megabytes and a compiler for an attacker to use. Build in a
    first stage and copy only the result (a virtualenv, wheels, a binary) into a
    runtime stage. Removing them in the same RUN after use also works, but a
    multi-stage build is simpler to get right.

    Silent when the image's toolchain is its product (golang, CI and dev-container
    images): set `role = "toolchain"` in .slimline.toml, or per path under `[roles]`;
    Dockerfiles under `.devcontainer/` have that role unless configured, and so do images
    made to be built on: a start that is a shell or a language REPL (`CMD ["python3"]`),
    or no CMD/ENTRYPOINT and nothing copied from the build context but helper programs
    and configuration (buildpack-deps, golang, CI images). `role = "app"` reports them.

    ## Bad
    ```dockerfile
    FROM python:3.11-slim
    RUN apt-get update && apt-get install -y gcc libpq-dev && pip install psycopg2
    ```

    ## Good
    ```dockerfile
    FROM python:3.11-slim AS build
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir psycopg2

    FROM python:3.11-slim
    RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\
        && rm -rf /var/lib/apt/lists/*
    COPY --from=build /opt/venv /opt/venv
    ```
    """
    if toolchain_role(ctx):
        return
    shipped = shipped_indexes(ctx)
    for stage, inst in run_instructions(ctx):
        if stage.index not in shipped:
            continue
        commands = ctx.sem.commands(inst)
        for i, cmd in enumerate(commands):
            op = classify(cmd)
            if (
                op is None
                or op.action != "install"
                or op.manager not in ("apt", "apk", "dnf", "yum", "microdnf", "zypper")
            ):
                continue
            tools = [p.text for p in op.packages if is_toolchain_package(p.text)]
            if not tools:
                continue
            # Removed again later in the same RUN (apt-get purge gcc, apk del .build-deps,
            # the savedAptMark idiom)?
            tools = left_installed(commands, i, tools)
            if not tools:
                continue
            shown = ", ".join(tools[:4]) + (" …" if len(tools) > 4 else "")
            yield ctx.report(
                inst,
                f"build toolchain installed in a stage that ships: {shown}",
                hint="install it in a builder stage and copy only the built artifacts into the "
                "runtime stage; " + ROLE_HINT,
                data={"packages": tools},
            )
            break


@rule("SL103", "single-stage-build", Severity.WARNING, Category.SIZE)
def single_stage_build(ctx: RuleContext) -> Iterator[Finding]:
    """A single-stage build installs or compiles dependencies where it runs them.

    ## Why
    With one stage, everything needed to build (compilers, package managers, caches,
    sources) stays in the image you ship. A multi-stage build installs dependencies
    in a builder stage and copies only the result (a virtualenv, `--target`
    directory, `node_modules` without dev dependencies, a static binary) into a lean
    runtime stage: the seed's 1.2 GB Python image becomes about 150 MB on `-slim`
    and less on distroless; a Go service on `scratch` is 8-15 MB.

    Silent when the image's toolchain is its product (golang, CI and dev-container
    images): set `role = "toolchain"` in .slimline.toml, or per path under `[roles]`;
    Dockerfiles under `.devcontainer/` have that role unless configured, and so do images
    made to be built on: a start that is a shell or a language REPL (`CMD ["python3"]`),
    or no CMD/ENTRYPOINT and nothing copied from the build context but helper programs
    and configuration (buildpack-deps, golang, CI images). `role = "app"` reports them.

    ## Bad
    ```dockerfile
    FROM python:3.11
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    CMD ["python", "app.py"]
    ```

    ## Good
    ```dockerfile
    FROM python:3.11 AS builder
    RUN python -m venv /opt/venv
    ENV PATH="/opt/venv/bin:$PATH"
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt

    FROM python:3.11-slim
    COPY --from=builder /opt/venv /opt/venv
    ENV PATH="/opt/venv/bin:$PATH"
    COPY . /app
    CMD ["python", "/app/app.py"]
    ```

    ## Fix
    Unsafe: `slimline fix --unsafe --runtime slim|distroless|scratch` rewrites the
    file into a builder and a runtime stage.
    """
    if len(ctx.stages) != 1 or toolchain_role(ctx):
        return
    stage = ctx.stages[0]
    info = base_info(ctx, stage)
    builds: list[Instruction] = []
    toolchain_installed = False
    for inst in stage.instructions:
        if inst.keyword != "RUN":
            continue
        commands = ctx.sem.commands(inst)
        for i, cmd in enumerate(commands):
            op = classify(cmd)
            if op is None:
                continue
            if op.action in _BUILD_ACTIONS.get(op.manager, ()):
                builds.append(inst)
            tools = [p.text for p in op.packages if is_toolchain_package(p.text)]
            if op.action == "install" and left_installed(commands, i, tools):
                toolchain_installed = True
    if not builds:
        return
    heavy = info is not None and info.toolchain
    if not heavy and not toolchain_installed:
        return
    reason = (
        f"`{root_base(ctx, stage)}` carries a build toolchain"
        if heavy
        else "it installs a build toolchain"
    )
    yield ctx.report(
        stage.from_instruction,
        f"single-stage build: dependencies are installed where they run, and {reason}",
        hint="use a multi-stage build: install/compile in a builder stage, copy the result into "
        "a slim or distroless runtime stage; " + ROLE_HINT,
        data={"build_lines": [i.line for i in builds]},
    )


def _is_cleanup(cmd_program: str, op_action: str | None, targets: list[str]) -> bool:
    if op_action in ("clean", "remove"):
        return True
    return cmd_program == "rm" and bool(targets)


def _made_here(ctx: RuleContext, earlier: list[Instruction], cmd: ShellCommand) -> bool:
    """Whether what ``cmd`` removes was made by an earlier instruction of this Dockerfile
    (not a base image's file: removing that is a choice, not wasted space). A package
    manager's clean-up in a RUN of its own is always reported."""
    if classify(cmd) is not None:
        return True  # apt-get clean, apk del...: a later layer never frees those bytes
    for target in rm_targets(cmd):
        path = target.rstrip("/*").rstrip("/") or "/"
        if path in ("/", "."):
            continue
        for inst in earlier:
            if inst.effective.keyword == "RUN":
                if path in inst.logical.text or any(
                    path.startswith(d) or d.startswith(path + "/")
                    for o in package_ops(ctx, inst)
                    for d in MANAGERS[o.manager].cache_dirs
                    if o.manager in MANAGERS
                ):
                    return True
            elif inst.keyword in ("COPY", "ADD"):
                dest = ctx.sem.expand(inst, copy_destination(inst, ctx.df.escape)).rstrip("/")
                if dest and (path == dest or path.startswith(dest + "/") or dest.startswith(path + "/")):
                    return True
    return False


@rule("SL110", "cleanup-in-later-layer", Severity.WARNING, Category.SIZE)
def cleanup_in_later_layer(ctx: RuleContext) -> Iterator[Finding]:
    """A RUN only deletes files made by earlier layers: it frees nothing.

    ## Why
    Each RUN adds a layer on top of the previous ones; deleting a file in a later
    layer only hides it (a "whiteout"), the bytes stay in the earlier layer and in
    every pull. Clean up in the same RUN that created the mess.

    Only stages that ship are checked: in a builder stage, a later deletion does
    shrink what `COPY --from` takes. Only what this Dockerfile made is reported:
    removing a base image's file (a default config) in a later layer is a choice
    about the image's content, not wasted space from this build.

    ## Bad
    ```dockerfile
    RUN apt-get update
    RUN apt-get install -y curl
    RUN apt-get clean
    RUN rm -rf /var/lib/apt/lists/*
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && \\
        apt-get install -y --no-install-recommends curl && \\
        apt-get clean && \\
        rm -rf /var/lib/apt/lists/*
    ```
    """
    shipped = shipped_indexes(ctx)
    for stage in ctx.stages:
        if stage.index not in shipped:
            continue  # in a builder stage a deletion is real: COPY --from sees the result
        seen_layer = False
        earlier: list[Instruction] = [
            i for s in shipped_stages(ctx) if s.index < stage.index for i in s.instructions
        ]
        for inst in stage.instructions:
            if inst.keyword in ("RUN", "COPY", "ADD"):
                if inst.keyword == "RUN" and seen_layer:
                    commands = ctx.sem.commands(inst)
                    meaningful = [
                        c for c in commands if c.program not in ("set", "true", ":", "echo", "")
                    ]
                    if (
                        meaningful
                        and all(
                            _is_cleanup(
                                c.program,
                                (op.action if (op := classify(c)) else None),
                                c.positional(),
                            )
                            for c in meaningful
                        )
                        and any(_made_here(ctx, earlier, c) for c in meaningful)
                    ):
                        yield ctx.report(
                            inst,
                            "this RUN only removes files from earlier layers: the image does not get smaller",
                            hint="move this cleanup into the RUN that created the files",
                        )
                seen_layer = True
                earlier.append(inst)
            # A base image's files also count as "earlier layers".
            if inst.keyword == "FROM":
                seen_layer = True


@fixer("SL110", FixKind.SAFE, priority=0)
def fix_cleanup_in_later_layer(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    yield from join_with_previous_run(
        ctx, finding, "move the cleanup into the RUN that made the files"
    )


@rule("SL111", "consecutive-run", Severity.INFO, Category.SIZE, hadolint=("DL3059",))
def consecutive_run(ctx: RuleContext) -> Iterator[Finding]:
    """Consecutive package-manager or short RUN instructions that could be one.

    ## Why
    Every RUN is a layer. Separate RUNs cannot clean up after each other (see
    SL110) and each adds metadata and a layer to pull. Join related commands with
    `&&`. Keep RUNs apart on purpose when they have different `--mount` flags or
    when an expensive, rarely changing step should stay cached on its own.

    What is reported, and why: on real Dockerfiles a finding for every RUN that
    follows a RUN was the loudest rule and mostly noise, because long build steps
    are often kept apart on purpose (each is cached on its own). A demanding user
    wants to hear about the layers that cost something: package-manager steps
    (`apt-get update` in one RUN and `apt-get install` in the next, whose lists or
    caches the later RUN cannot remove) and short one-liners (`mkdir`, `chmod`,
    `ln -s`) that make a layer each. So a run of consecutive RUNs made only of such
    steps is reported **once** (at its second RUN, naming its lines), as info; a long
    custom step breaks the run, and so does a RUN that only creates a user (kept next
    to its `USER` line). RUNs with `--mount` or other flags, and stages whose
    shell is not a POSIX shell (PowerShell, `cmd`: `&&` does not chain there), are
    left alone.

    Only stages that ship are checked: a builder stage's layers never reach the
    final image (hadolint's DL3059 reports every stage).

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
    shipped = shipped_indexes(ctx)
    for stage in ctx.stages:
        if stage.index not in shipped:
            continue
        group: list[Instruction] = []
        for inst in [*stage.instructions, None]:
            if inst is not None and _joinable_step(ctx, inst):
                group.append(inst)
                continue
            if len(group) >= 2:
                lines = f"{group[0].line}-{group[-1].line}"
                yield ctx.report(
                    group[1],
                    f"{len(group)} consecutive RUNs (lines {lines}) each make a layer: "
                    "they could be one RUN",
                    hint="join them with `&&` (`slimline fix` does), or use one `RUN <<EOF` heredoc",
                )
            group = []


#: Commands that create the image's user: kept in a RUN of their own by design.
_USER_SETUP = frozenset({"useradd", "adduser", "groupadd", "addgroup"})

#: A RUN this short (its command text) makes a layer for very little.
_SHORT_RUN = 60


def _joinable_step(ctx: RuleContext, inst: Instruction) -> bool:
    """A RUN without flags, in a POSIX shell, that runs package-manager commands only
    or is short."""
    if inst.keyword != "RUN" or inst.flags or ctx.df.escape == "`":
        return False
    if not ctx.sem.before(inst).posix_shell or inst.effective.exec_form is not None:
        return False
    commands = [c for c in ctx.sem.commands(inst) if c.program not in ("set", "true", ":")]
    if commands and all(c.program in _USER_SETUP for c in commands):
        return False  # a user created next to its USER line (as the SL301 fix writes it)
    if commands and all(classify(c) is not None for c in commands):
        return True
    return len(" ".join(inst.logical.text.split())) <= _SHORT_RUN + len("RUN ")


@fixer("SL111", FixKind.SAFE, priority=0)
def fix_consecutive_run(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    yield from join_with_previous_run(ctx, finding, "join consecutive RUNs")


#: What a final stage copies when it exports a report or an archive, not a program.
_DATA_FILE = re.compile(
    r"\.(txt|json|xml|html?|md|csv|out|log|sarif|lcov|cov|tar|tgz|gz|zip|sbom|spdx)$", re.I
)


def _final_is_static_runtime(ctx: RuleContext) -> bool:
    """The final stage is scratch or distroless/static and ships a program: it has an
    ENTRYPOINT/CMD or copies something that is not a report (a `FROM scratch` stage that
    only exports `coverage.txt` with `--output` ships no Go binary)."""
    final = ctx.final_stage
    if final is None:
        return False
    info = base_info(ctx, final)
    if info is None:
        return False
    if not (
        info.variant == "scratch" or (info.variant == "distroless" and "static" in info.family)
    ):
        return False
    if any(i.keyword in ("ENTRYPOINT", "CMD") for i in final.instructions):
        return True
    sources = [
        s for i in final.instructions if i.keyword in ("COPY", "ADD") for s in copy_sources(i)
    ]
    return not sources or not all(_DATA_FILE.search(s.rstrip("/")) for s in sources)


def _is_compile_check(cmd: ShellCommand) -> bool:
    """``go build ./...`` without ``-o``: several packages are compiled and the results
    thrown away (a check that the code builds, not a binary that ships)."""
    if cmd.has_flag("-o"):
        return False
    return any(a.endswith("...") for a in cmd.positional()[1:])


def _go_builds(ctx: RuleContext) -> Iterator[tuple[Instruction, ShellCommand]]:
    """The first Go build or install of each RUN that makes a binary the image ships."""
    for stage, inst in run_instructions(ctx):
        for cmd in ctx.sem.commands(inst):
            op = classify(cmd)
            if op is None or op.manager != "go" or op.action not in ("build", "install"):
                continue
            if op.action == "build" and _is_compile_check(cmd):
                continue
            if go_build_ships(ctx, stage, inst, cmd):
                yield inst, cmd
            break


@rule("SL112", "go-not-static", Severity.ERROR, Category.SIZE)
def go_not_static(ctx: RuleContext) -> Iterator[Finding]:
    """A Go binary bound for `scratch` or distroless/static is built without `CGO_ENABLED=0`.

    ## Why
    With cgo enabled (the default when a C compiler is present, as in the `golang`
    images) a binary that uses `net` or `os/user` links against glibc dynamically
    and fails on `scratch` with "no such file or directory". `CGO_ENABLED=0`
    produces a static binary.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /server .
    FROM scratch
    COPY --from=build /server /server
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /server .
    FROM scratch
    COPY --from=build /server /server
    ```
    """
    if not _final_is_static_runtime(ctx):
        return
    for inst, cmd in _go_builds(ctx):
        if env_value(ctx, inst, cmd, "CGO_ENABLED") == "0":
            continue
        yield ctx.report(
            inst,
            "Go build without `CGO_ENABLED=0`: the binary may be dynamically linked and fail on a static runtime",
            hint="build with `CGO_ENABLED=0 go build ...`",
        )


@rule("SL113", "go-keeps-symbols", Severity.INFO, Category.SIZE)
def go_keeps_symbols(ctx: RuleContext) -> Iterator[Finding]:
    """A Go binary is built with its symbol table and DWARF debug data.

    ## Why
    `-ldflags="-s -w"` strips the symbol table and debug information, typically
    25-30 % of a Go binary. Keep them only if you debug inside the container.

    ## Bad
    ```dockerfile
    RUN CGO_ENABLED=0 go build -o /server .
    ```

    ## Good
    ```dockerfile
    RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /server .
    ```
    """
    for inst, cmd in _go_builds(ctx):
        flags = cmd.flag_value("-ldflags", "--ldflags") or ""
        env_flags = env_value(ctx, inst, cmd, "GOFLAGS") or ""
        combined = f"{flags} {env_flags}"
        if re.search(r"(^|\s|['\"])-s(\s|$|['\"])", combined) and re.search(
            r"(^|\s|['\"])-w(\s|$|['\"])", combined
        ):
            continue
        yield ctx.report(
            inst,
            "Go binary keeps its symbol table and debug info",
            hint='add `-ldflags="-s -w"` to `go build`',
        )


@rule("SL115", "shell-form-on-shell-less-base", Severity.ERROR, Category.CORRECTNESS)
def shell_form_on_shell_less_base(ctx: RuleContext) -> Iterator[Finding]:
    """Shell form on a distroless or scratch stage, which has no `/bin/sh`.

    ## Why
    Shell-form `RUN`, `CMD` and `ENTRYPOINT` run through `/bin/sh -c`. Distroless
    and `scratch` images have no shell: the build fails (`RUN`) or the container
    fails to start (`CMD`/`ENTRYPOINT`). Use the JSON (exec) form and do shell
    work in a builder stage.

    ## Bad
    ```dockerfile
    FROM gcr.io/distroless/python3-debian12
    CMD python app.py
    ```

    ## Good
    ```dockerfile
    FROM gcr.io/distroless/python3-debian12
    CMD ["app.py"]
    ```
    """
    for stage in ctx.stages:
        info = classify_base(root_base(ctx, stage))
        if info is None or info.shell or info.variant not in ("distroless", "scratch"):
            continue
        for inst in stage.instructions:
            eff = inst.effective
            if _copies_shell(ctx, inst):
                break  # `COPY --from=tools /bin /bin`: from here on the stage has a shell
            if eff.keyword in ("RUN", "CMD", "ENTRYPOINT") and eff.exec_form is None and eff.args:
                if (
                    eff.keyword == "RUN"
                    and inst.keyword != "ONBUILD"
                    and ctx.sem.before(inst).shell[0] != "/bin/sh"
                ):
                    continue
                yield ctx.report(
                    inst,
                    f"shell-form {eff.keyword} on `{stage.base_expanded}`, which has no /bin/sh",
                    hint=f'use the exec form: {eff.keyword} ["executable", "arg", ...]',
                )


def _copies_shell(ctx: RuleContext, inst: Instruction) -> bool:
    """A COPY/ADD that puts a shell at /bin/sh: a whole root filesystem, /bin, or sh."""
    if inst.effective.keyword not in ("COPY", "ADD"):
        return False
    dest = ctx.sem.expand(inst, copy_destination(inst, ctx.df.escape)).rstrip("/") or "/"
    sources = {s.rstrip("/") or "/" for s in copy_sources(inst, ctx.df.escape)}
    if dest == "/":
        return "/" in sources
    return dest in ("/bin", "/bin/sh") and bool(sources & {"/bin", "/bin/sh", "/bin/busybox"})


@fixer("SL115", FixKind.SAFE)
def fix_shell_form_on_shell_less(
    ctx: RuleContext, finding: Finding, options: FixOptions
) -> Iterator[Fix]:
    yield from exec_form_fix(
        ctx, finding, "use the exec form (no shell in this image)", FixKind.SAFE
    )
