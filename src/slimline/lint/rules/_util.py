"""Helpers shared by rules: stages that ship, package operations, cleanups, mounts."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from slimline.dockerfile.model import Instruction, Stage
from slimline.dockerfile.shell import ShellCommand
from slimline.dockerfile.words import split_words
from slimline.knowledge.images import BaseImage, classify_base
from slimline.knowledge.packages import (
    APT_INSTALL_SCRIPTS,
    MANAGERS,
    PackageOp,
    classify,
    is_cache_mount,
)
from slimline.lint.context import RuleContext

#: Flags of ``rm`` that make it recursive.
_RM_RECURSIVE = re.compile(r"^-[a-zA-Z]*[rR]")


def shipped_stages(ctx: RuleContext) -> list[Stage]:
    """The final stage and the stages it is built FROM: their layers end up in the image."""
    final = ctx.final_stage
    if final is None:
        return []
    chain = [final]
    seen = {final.index}
    stage = final
    while stage.parent is not None and stage.parent not in seen:
        stage = ctx.stages[stage.parent]
        seen.add(stage.index)
        chain.append(stage)
    return chain


def shipped_indexes(ctx: RuleContext) -> set[int]:
    return {s.index for s in shipped_stages(ctx)}


def root_base(ctx: RuleContext, stage: Stage) -> str:
    """The external image a stage ultimately starts from (following FROM <stage>)."""
    seen: set[int] = set()
    while stage.parent is not None and stage.parent not in seen:
        seen.add(stage.index)
        stage = ctx.stages[stage.parent]
    return stage.base_expanded


def base_info(ctx: RuleContext, stage: Stage) -> BaseImage | None:
    return classify_base(root_base(ctx, stage))


def package_ops(ctx: RuleContext, inst: Instruction) -> list[PackageOp]:
    ops = []
    for cmd in ctx.sem.commands(inst):
        op = classify(cmd)
        if op is not None:
            ops.append(op)
    return ops


def has_cache_mount(inst: Instruction, manager: str) -> bool:
    return any(is_cache_mount(m, manager) for m in inst.effective.flag_values("mount"))


def rm_targets(cmd: ShellCommand) -> list[str]:
    """Paths removed by ``rm -r``/``rm -f`` (normalised; globs kept)."""
    if cmd.program != "rm":
        return []
    return [posixpath.normpath(a) for a in cmd.positional()]


def removes_under(cmd: ShellCommand, directory: str) -> bool:
    """Whether ``cmd`` deletes ``directory`` or its contents (``rm -rf /dir/*``)."""
    directory = directory.rstrip("/")
    for target in rm_targets(cmd):
        t = target.rstrip("/")
        if t in (directory, directory + "/*") or t.startswith(directory + "/"):
            return True
        # rm -rf /root/.cache removes /root/.cache/pip too.
        if directory.startswith(t + "/"):
            return True
    return False


def cleans_cache(commands: list[ShellCommand], manager: str, after: int) -> bool:
    """Whether a command after index ``after`` removes ``manager``'s cache."""
    spec = MANAGERS[manager]
    for cmd in commands[after + 1 :]:
        if any(removes_under(cmd, d) for d in spec.cache_dirs):
            return True
        if manager == "apt" and cmd.program in APT_INSTALL_SCRIPTS:
            return True  # install_packages/install-packages remove the lists themselves
        op = classify(cmd)
        if op is None:
            continue
        if manager == "apt" and op.manager == "apt":
            if op.action == "clean" and op.positional[:1] in (["dist-clean"], ["distclean"]):
                return True  # apt-get dist-clean (apt 2.7+) removes the lists too
            continue  # apt-get clean does not remove the lists
        if op.manager == manager and op.action == "clean":
            return True
        if (
            manager in ("pip", "uv")
            and op.manager in ("pip", "uv")
            and op.action == "clean"
            and "purge" in op.positional
        ):
            return True
    return False


def _auto_purge(cmd: ShellCommand, op: PackageOp | None) -> bool:
    """``apt-get purge -y --auto-remove`` / ``apt-get autoremove``: removes every package
    marked automatic."""
    if op is None or op.manager != "apt" or op.action != "remove":
        return False
    return op.positional[:1] == ["autoremove"] or cmd.has_flag("--auto-remove", "--autoremove")


def purged_with_dependencies(commands: list[ShellCommand], index: int) -> bool:
    """The packages ``commands[index]`` installs are removed later in the RUN together with
    what they pulled in (``apt-get purge --auto-remove`` of them, or the savedAptMark idiom):
    their recommends cost nothing in the image."""
    op = classify(commands[index])
    if op is None:
        return False
    later = commands[index + 1 :]
    return any(_auto_purge(c, classify(c)) for c in later) and not left_installed(
        commands, index, [p.text for p in op.packages] or ["*"]
    )


def left_installed(commands: list[ShellCommand], index: int, packages: list[str]) -> list[str]:
    """Which of ``packages``, installed by ``commands[index]``, the same RUN does not remove.

    Recognised removals: the packages named again by ``apt-get purge``/``apk del``/``dnf
    remove``...; the virtual package of ``apk add --virtual .build-deps`` removed with
    ``apk del .build-deps``; and the official images' idiom ``savedAptMark="$(apt-mark
    showmanual)"; ...; apt-mark auto '.*'; apt-mark manual $savedAptMark; apt-get purge -y
    --auto-remove``, which removes everything installed since the mark; and a removal of
    a list computed by a command substitution (``apt-get remove --purge $(diff
    /tmp/dpkg.clean /tmp/dpkg.dirty | ...)``, the packages the RUN added).
    """
    install = commands[index]
    virtual = install.flag_value("-t", "--virtual")
    left = list(packages)
    marked_auto = False
    for later in commands[index + 1 :]:
        if later.program == "apt-mark" and later.positional()[:1] == ["auto"]:
            marked_auto = True
            continue
        op = classify(later)
        if op is None or op.action != "remove":
            continue
        if marked_auto and _auto_purge(later, op):
            return []
        names = {p.text for p in op.packages}
        if virtual and virtual in names:
            return []
        if any(n.startswith(("$(", "`")) for n in names):
            return []  # `apt-get purge $(diff dpkg.before dpkg.after ...)`: what was added
        left = [p for p in left if p not in names]
    return left


def env_value(ctx: RuleContext, inst: Instruction, cmd: ShellCommand, name: str) -> str | None:
    """A variable as the command sees it: its own assignment, else the stage's ARG/ENV."""
    if name in cmd.assignments:
        return cmd.assignments[name] or ""
    return ctx.sem.before(inst).env.get(name)


def run_instructions(
    ctx: RuleContext, stages: list[Stage] | None = None
) -> list[tuple[Stage, Instruction]]:
    """RUN instructions with their stage, ``ONBUILD RUN`` included: it runs in every image
    built FROM this one, where its layer ships."""
    out = []
    for stage in stages if stages is not None else ctx.stages:
        for inst in stage.instructions:
            if inst.effective.keyword == "RUN":
                out.append((stage, inst))
    return out


def shows(inst: Instruction, limit: int = 60) -> str:
    """A short one-line rendering of an instruction for messages."""
    text = f"{inst.keyword} {inst.args}".replace("\n", " ")
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_broad_copy(inst: Instruction, escape: str = "\\") -> bool:
    """``COPY . .``, ``COPY ./ /app``, ``ADD . /src``: the whole build context."""
    eff = inst.effective
    if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None or eff.heredocs:
        return False
    return any(s.rstrip("/") in (".", "", "*") or s == "./" for s in copy_sources(inst, escape))


def _copy_words(inst: Instruction, escape: str) -> list[str]:
    eff = inst.effective
    if eff.exec_form is not None:
        return list(eff.exec_form)
    return [w.value for w in split_words(eff.args, escape)]


def copy_sources(inst: Instruction, escape: str = "\\") -> list[str]:
    """Sources of a COPY/ADD (exec or shell form), without the destination."""
    return _copy_words(inst, escape)[:-1]


def copy_destination(inst: Instruction, escape: str = "\\") -> str:
    """The destination of a COPY/ADD ("" when there is none)."""
    words = _copy_words(inst, escape)
    return words[-1] if len(words) > 1 else ""


#: Programs an entrypoint uses to start the service as another user after root's setup.
_PRIVILEGE_DROP = re.compile(
    r"(?<![\w-])(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst|chroot\s+--userspec)(?![\w-])"
)


def privilege_drop(ctx: RuleContext, stage: Stage) -> str | None:
    """The tool the stage's entrypoint drops root with (``gosu``, ``su-exec``...), on
    explicit evidence in the Dockerfile only: the ENTRYPOINT/CMD runs it, or the shipped
    stages install, download or copy it in and an ENTRYPOINT is set (the official
    images' ``docker-entrypoint.sh`` then ``exec gosu``). None when there is no such
    evidence (a script name alone is not)."""
    starts = [i for i in stage.instructions if i.keyword in ("ENTRYPOINT", "CMD")]
    for inst in starts:
        found = _PRIVILEGE_DROP.search(inst.logical.text)
        if found:
            return found.group(1).split()[0]
    if not any(i.keyword == "ENTRYPOINT" for i in stage.instructions):
        return None
    for shipped in shipped_stages(ctx):
        for inst in shipped.instructions:
            if inst.keyword in ("RUN", "COPY", "ADD"):
                found = _PRIVILEGE_DROP.search(inst.logical.text)
                if found:
                    return found.group(1).split()[0]
    return None


def is_windows_stage(ctx: RuleContext, stage: Stage) -> bool:
    """A Windows image: a Windows base (servercore, nanoserver...) or a Windows PowerShell
    or cmd SHELL (`pwsh` runs on Linux too: the powershell:*-ubuntu images run as root)."""
    base = root_base(ctx, stage).lower()
    if any(w in base for w in ("windows", "nanoserver", "servercore")):
        return True
    shell = ctx.sem.final(stage).shell
    name = posixpath.basename(shell[0].replace("\\", "/")).lower() if shell else ""
    return name.startswith(("powershell", "cmd"))


def in_devcontainer(ctx: RuleContext) -> bool:
    """The Dockerfile is a dev container's (under a `.devcontainer/` directory)."""
    path = ctx.df.path
    return path is not None and ".devcontainer" in Path(path).parts


#: How to say that a toolchain is the image's purpose, for the size rules' hints.
ROLE_HINT = 'if the toolchain is what this image is for, set `role = "toolchain"` in .slimline.toml'


def declared_toolchain(ctx: RuleContext) -> bool:
    """The toolchain role is configured, or the file is a dev container's (not inferred)."""
    path = ctx.df.path
    configured = ctx.config.configured_role(Path(path) if path is not None else None)
    return configured == "toolchain" if configured is not None else in_devcontainer(ctx)


def toolchain_role(ctx: RuleContext) -> bool:
    """The image's toolchain is its product: the configured role; else a `.devcontainer/`
    or an image built to be built on (:func:`built_on`)."""
    path = ctx.df.path
    configured = ctx.config.configured_role(Path(path) if path is not None else None)
    if configured is not None:
        return configured == "toolchain"
    return in_devcontainer(ctx) or built_on(ctx)


#: Programs that make a container an environment to work in, not a service: shells and
#: language REPLs (started with options only: `bash -l`, `php -a`, `python3`).
_INTERACTIVE = re.compile(
    r"(sh|bash|ash|dash|zsh|fish|ksh|pwsh|pwsh-preview|powershell|cmd|irb|node|julia|R|ghci"
    r"|jshell|iex|erl|php|lua|perl|ipython|python[\d.]*)(\.exe)?\Z"
)
#: Where an image's own helper programs and configuration go (`/usr/local/bin/`,
#: `/etc/gitconfig`, a dotfile): copying them does not make the image an application.
_SETUP_FILE = re.compile(r"(/usr(/local)?)?/s?bin(/|\Z)|/etc/|/usr(/local)?/share/|.*/\.[^/]+\Z")
#: Entrypoints that only wrap the CMD: an init or the official images' entrypoint scripts.
_WRAPPER = re.compile(r"(tini|dumb-init|[\w.-]*entrypoint[\w.-]*)\Z")


def copies_application(inst: Instruction, escape: str = "\\") -> bool:
    """A COPY/ADD of files from the build context that are not the image's own helper
    programs or configuration (`COPY install-packages /usr/bin/`, a dotfile): the
    program the image is for."""
    eff = inst.effective
    if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None:
        return False
    sources = copy_sources(inst, escape)
    if sources and all(s.startswith(("http://", "https://", "git@")) for s in sources):
        return False
    return not _SETUP_FILE.match(copy_destination(inst, escape))


def _start_words(ctx: RuleContext, inst: Instruction) -> list[str]:
    eff = inst.effective
    if eff.exec_form is not None:
        return list(eff.exec_form)
    return [w.value for w in split_words(eff.args, ctx.df.escape)]


def _curated(ctx: RuleContext) -> bool:
    """Written with care for what its layers keep, as published base and toolchain images
    are (buildpack-deps, golang, CI images): no shipped RUN leaves apt lists, an apk index
    or an rpm cache behind. A file without a start command that leaves them is more likely
    an application image with its CMD still missing than an image made to be built on, so
    the size and user rules stay on for it."""
    from slimline.lint.rules.package_caches import _cache_rule

    left = (
        _cache_rule(ctx, ("apt",), actions=("update",)),
        _cache_rule(ctx, ("apk",), ok_flags=("--no-cache", "--no-network")),
        _cache_rule(ctx, ("dnf", "yum", "microdnf", "zypper")),
    )
    return not any(next(found, None) is not None for found in left)


def built_on(ctx: RuleContext) -> bool:
    """The final image is made to be built on or worked in, not to run a program: it
    copies no program from the build context (helper programs and configuration into
    system paths do not count) and it starts a shell or a language REPL (`CMD
    ["python3"]`, `CMD ["irb"]`, an entrypoint script then `node`) or sets no
    CMD/ENTRYPOINT and keeps no package caches (buildpack-deps, golang, CI images:
    :func:`_curated`)."""
    if ctx.final_stage is None:
        return False  # a fragment without FROM: no image to judge
    starts: list[Instruction] = []
    context_copies = False
    for stage in reversed(shipped_stages(ctx)):
        for inst in stage.instructions:
            eff = inst.effective
            if eff.keyword in ("CMD", "ENTRYPOINT") and inst.keyword != "ONBUILD":
                starts.append(inst)
            elif eff.keyword in ("COPY", "ADD") and eff.flag("from") is None:
                if is_broad_copy(inst, ctx.df.escape):
                    return False
                if copies_application(inst, ctx.df.escape):
                    context_copies = True
    if context_copies:
        return False  # it copies its program in: an application whatever its start
    if not starts:
        return _curated(ctx)
    entrypoint = next((i for i in reversed(starts) if i.keyword == "ENTRYPOINT"), None)
    cmd = next((i for i in reversed(starts) if i.keyword == "CMD"), None)
    words = _start_words(ctx, entrypoint) if entrypoint is not None else []
    if entrypoint is not None and entrypoint.effective.exec_form is not None and cmd is not None:
        # Docker runs the exec-form ENTRYPOINT with the CMD as its arguments:
        # `ENTRYPOINT ["python"]` + `CMD ["app.py"]` starts app.py, not a REPL
        words += _start_words(ctx, cmd)
    while words and _WRAPPER.match(posixpath.basename(words[0].replace("\\", "/"))):
        words = words[1:]
        while words and words[0].startswith("-"):  # tini -g --
            words = words[1:]
    if not words and cmd is not None:
        words = _start_words(ctx, cmd)
    if not words:
        return False
    program = posixpath.basename(words[0].replace("\\", "/"))
    return bool(_INTERACTIVE.match(program)) and all(w.startswith("-") for w in words[1:])
