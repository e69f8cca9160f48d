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
from slimline.knowledge.cargo import dependency_build, read_crate
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
    copies_application,
    copy_destination,
    copy_sources,
    in_devcontainer,
    is_broad_copy,
    is_windows_stage,
    package_ops,
    privilege_drop,
    root_base,
    shipped_stages,
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
    reason = _base_swap_breaks(ctx, final, info.suggestions[0])
    if reason is not None:
        yield Fix(finding.code, f"use {info.suggestions[0]}", FixKind.UNSAFE, [], note=reason)
        return
    if _changes_platform(ctx, final.base_expanded, info.suggestions[0]):
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


#: Tag words that name what an image runs (php:8.3-apache, php:8.3-fpm): a swap keeps them.
_FLAVOURS = ("apache", "fpm", "cli", "zts")


def _changes_platform(ctx: RuleContext, base: str, suggestion: str) -> bool:
    """The suggested base is another platform for this file: Alpine for a file that runs
    apt-get or dpkg (musl, no apt), or another flavour (php:X-apache -> php:X-fpm-alpine)."""
    tag, new_tag = base.rpartition(":")[2], suggestion.rpartition(":")[2]
    if any(f in tag.split("-") and f not in new_tag.split("-") for f in _FLAVOURS):
        return True
    if "alpine" not in new_tag or "alpine" in tag:
        return False
    return any(
        cmd.program in ("apt-get", "apt", "dpkg", "apt-mark", "useradd", "groupadd")
        for stage in shipped_stages(ctx)
        for inst in stage.instructions
        for cmd in ctx.sem.commands(inst)
    )


_DEBIAN_TOOLS = frozenset({"apt-get", "apt", "dpkg", "useradd", "groupadd", "a2enmod"})


def _base_swap_breaks(ctx: RuleContext, stage: Stage, suggestion: str) -> str | None:
    """Why swapping the stage's base for ``suggestion`` would change what it does."""
    base = root_base(ctx, stage).lower()
    if "apache" in base and "apache" not in suggestion:
        return (
            f"not replacing `{root_base(ctx, stage)}`: the apache variant has no lean build and "
            f"`{suggestion}` serves PHP through FPM only (it needs a web server in front)"
        )
    if "alpine" in suggestion and "alpine" not in base:
        for inst in stage.instructions:
            if inst.effective.keyword != "RUN":
                continue
            used = {c.program for c in ctx.sem.commands(inst)} & _DEBIAN_TOOLS
            if used:
                return (
                    f"not replacing `{root_base(ctx, stage)}` with `{suggestion}`: line "
                    f"{inst.line} runs `{sorted(used)[0]}`, which Alpine does not have"
                )
    return None


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
    if (info is not None and info.variant == "alpine") or "alpine" in base or "busybox" in base:
        return APP_ADDUSER_BUSYBOX, str(APP_UID)
    if info is not None and info.shell:
        return APP_USERADD, str(APP_UID)
    # Unknown base: a numeric user needs no tools and no /etc/passwd entry.
    return None, f"{APP_UID}:{APP_UID}"


#: Programs that need root whatever the image does (they manage containers).
_ROOT_DAEMONS = re.compile(r"(?<![\w-])(dockerd|containerd|buildkitd)(?![\w-])")
#: Owners that say nothing of the image's own users: root, and the users slimline's
#: rewrites hand the application to (the USER this fix adds).
_OWN_OWNERS = f"0|root|{APP_UID}|{NONROOT_UID}"
#: Commands that create users or hand files to them.
_USER_MODEL = re.compile(
    r"(?<![\w-])(useradd|adduser|groupadd|addgroup|chown)(?![\w-])"
    rf"|--chown=(?!({_OWN_OWNERS})(:({_OWN_OWNERS}))?\s)"
)


#: Files an image copies in that are not its program: entrypoint scripts and configuration.
_NOT_THE_PROGRAM = re.compile(r"entrypoint|\.(sh|envsh|conf|cfg|ini|gitconfig)\Z", re.IGNORECASE)


def _copies_program(ctx: RuleContext, inst: Instruction) -> bool:
    """A COPY/ADD of the program from the build context (not only entrypoint scripts or
    configuration)."""
    flag = inst.effective.flag("from") if inst.effective.keyword == "COPY" else None
    source_stage = (flag.value or "").lower() if flag is not None else None
    built_here = source_stage is not None and any(
        (stage.name or "") == source_stage for stage in ctx.stages
    )  # `COPY --from=builder /app /app`: the program built in this Dockerfile
    if not built_here and not copies_application(inst, ctx.df.escape) and not (
        inst.effective.keyword in ("COPY", "ADD")
        and source_stage is None
        and copy_destination(inst, ctx.df.escape).startswith(("/usr/local/bin", "/usr/bin"))
    ):
        return False
    names = [posixpath.basename(s.rstrip("/")) for s in copy_sources(inst, ctx.df.escape)]
    return not all(_NOT_THE_PROGRAM.search(n) for n in names)


def _user_refusal(ctx: RuleContext) -> str | None:
    """Why a USER cannot be chosen for this image without knowing the program, or None.

    An arbitrary user fits an application the Dockerfile copies in; it breaks a server
    installed from packages (its files belong to the packages' users), an image that
    already has its own users, and container daemons. (Privileged ports are
    :func:`_needs_root`'s, which the fix asks first.)"""
    items = [i for stage in shipped_stages(ctx) for i in stage.instructions]
    for inst in items:
        if inst.keyword in ("ENTRYPOINT", "CMD") and _ROOT_DAEMONS.search(inst.args):
            return "its program manages containers and needs root"
    for inst in items:
        if inst.keyword in ("RUN", "COPY", "ADD") and _USER_MODEL.search(inst.logical.text):
            return "the image creates its own users and hands files to them"
    if not any(_copies_program(ctx, i) for i in items):
        return "the program comes from packages or a download whose files belong to their own users"
    return None


#: Web servers and proxies whose images serve on port 80/443 as root (workers drop).
_PORT_SERVERS = re.compile(
    r"(^|[/-])(nginx|httpd|apache2?|caddy|haproxy|traefik|varnish)([:@/-]|$)"
)
#: Start-up programs that run services as their own users, which needs root.
_SUPERVISORS = frozenset(
    {"supervisord", "my_init", "init", "s6-svscan", "runsvdir", "systemd", "cron", "crond", "sshd"}
)
#: Distribution packages of services that create their own system user and data dirs.
_SERVICE_PACKAGE = re.compile(
    r"^[a-z0-9.+-]+-server$|^(postgresql|mariadb-server|redis|nginx|apache2)$"
)
#: Programs that are Docker clients (the socket) or daemons that need root.
_DOCKER_PROGRAMS = frozenset(
    {"watchtower", "dive", "slim", "docker-slim", "mint", "docker", "dockerd", "buildkitd"}
)
#: Stage names of development targets (Docker Dev Environments' `dev-envs`).
_DEV_TARGETS = frozenset({"dev-envs", "dev", "development", "devcontainer"})
#: Signs that the program drives the Docker daemon (through its socket).
_DOCKER_CLIENT = re.compile(r"docker\.sock|docker-ce-cli|\bdocker-cli\b|apk add[^&|;]*\bdocker\b")


def _needs_root(ctx: RuleContext) -> str | None:
    """Why a USER line cannot be added without changing what the image does, when the
    file shows a reason: a privileged port, a process supervisor, the Docker socket, or a
    start-up inherited from a base image, or an image others build FROM (no start command)."""
    shipped = [i for s in shipped_stages(ctx) for i in s.instructions]
    for inst in shipped:
        if inst.keyword != "EXPOSE":
            continue
        for word in ctx.sem.expand(inst, inst.args).split():
            port = word.split("/", 1)[0].split("-", 1)[0]
            if port.isdigit() and int(port) < 1024:
                return (
                    f"not adding USER: the image serves on port {port} (line {inst.line}), which "
                    "only root (or CAP_NET_BIND_SERVICE) can bind; move it above 1024 first"
                )
    final = ctx.stages[-1]
    base = root_base(ctx, final)
    if _PORT_SERVERS.search(base.split("@", 1)[0].lower()):
        return (
            f"not adding USER: `{base}` starts a web server as root that binds port 80 and "
            "drops its workers itself; use an unprivileged variant of the image instead"
        )
    start = [i for i in shipped if i.keyword in ("ENTRYPOINT", "CMD")]
    for inst in start[-2:]:
        eff = inst.effective
        words = eff.exec_form or ctx.sem.expand(inst, eff.args).split()
        program = posixpath.basename(words[0]) if words else ""
        if program in _SUPERVISORS:
            return (
                f"not adding USER: `{program}` (line {inst.line}) starts services as their "
                "own users, which needs root"
            )
        if program in _DOCKER_PROGRAMS:
            return (
                f"not adding USER: `{program}` (line {inst.line}) works through the Docker "
                "daemon's socket (or is the daemon), which needs root or the docker group"
            )
    if (final.name or "").lower() in _DEV_TARGETS:
        return (
            f"not adding USER: `{final.name}` is a development target (a dev environment "
            "installs more as root); set its user in the dev environment's settings"
        )
    for inst in shipped:
        if inst.effective.keyword != "RUN":
            continue
        for op in package_ops(ctx, inst):
            names = [p.text for p in op.packages if _SERVICE_PACKAGE.search(p.text)]
            if op.action == "install" and names:
                return (
                    f"not adding USER: the package `{names[0]}` (line {inst.line}) runs under "
                    "the service user it creates, which owns its data directories; switch to "
                    "that user rather than a new one"
                )
    volumes = [i for i in shipped if i.keyword == "VOLUME"]
    if volumes:
        return (
            f"not adding USER: the program writes to the volume of line {volumes[0].line}, "
            "which is created owned by root; chown it to an unprivileged user, then add USER"
        )
    if classify_base(base) is None and "$" not in base and not start:
        pass  # reported below: no start command
    elif classify_base(base) is None and "$" not in base:
        return (
            f"not adding USER: slimline does not know the base `{base}`: whether it sets a "
            "user of its own or needs root is not visible here"
        )
    if any(_DOCKER_CLIENT.search(i.logical.text) for i in shipped):
        return (
            "not adding USER: the image drives the Docker daemon, whose socket needs root "
            "(or the docker group); add a user in that group yourself"
        )
    if not start:
        return (
            "not adding USER: the file has no ENTRYPOINT or CMD, so the image is a base for "
            "others (a USER would make their RUN steps unprivileged) or keeps the start-up of "
            f"`{base}`, which this file does not show; add USER where the program starts"
        )
    return None


_TAIL_KEYWORDS = ("CMD", "ENTRYPOINT", "HEALTHCHECK", "EXPOSE", "STOPSIGNAL", "LABEL", "VOLUME")


@fixer("SL301", FixKind.UNSAFE, priority=3)
def fix_runs_as_root(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    final = ctx.final_stage
    if final is None:
        return
    inst = instruction_of(finding)
    nl = newline_of(ctx.df)
    if inst is not None and inst.keyword == "USER":
        earlier = [
            i
            for st in shipped_stages(ctx)
            for i in st.instructions
            if i.keyword == "USER" and i is not inst and i.line < inst.line
        ]
        if not earlier:
            yield Fix(
                finding.code,
                "do not switch back to root",
                FixKind.UNSAFE,
                [],
                note=f"not removing `USER {inst.args.strip()}` (line {inst.line}): no other user "
                "is set before it, so root is chosen on purpose (e.g. for cron or a socket)",
            )
            return
        # USER root last, after an unprivileged USER: drop the switch back.
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
    reason = _needs_root(ctx)
    if reason is not None:
        yield Fix(
            finding.code, "run as an unprivileged user", FixKind.UNSAFE, [], line=finding.line,
            note=reason,
        )
        return
    refusal = _user_refusal(ctx)
    if refusal is not None:
        yield Fix(
            finding.code,
            "run as an unprivileged user",
            FixKind.UNSAFE,
            [],
            line=finding.line,
            note=f"no USER added: {refusal}; choose the user by hand",
        )
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
    if manager == "cargo":
        yield from _cargo_dependencies_first(ctx, finding, inst, broad, dest, dest_dir)
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


#: Files cargo finds by itself when the manifest does not name them.
_CARGO_DISCOVERED = ("src/main.rs", "src/lib.rs", "build.rs")


def _cargo_dependencies_first(
    ctx: RuleContext, finding: Finding, inst: Instruction, broad: Instruction, dest: str, dest_dir: str
) -> Iterator[Fix]:
    """Before ``COPY . .``: copy Cargo.toml (and Cargo.lock), build the dependencies
    against stand-in sources; the crate's own build stays where it is."""
    context = ctx.context_dir
    if context is None or ctx.sem.before(inst).workdir != dest_dir:
        return
    builds = [cmd for _rs, cmd, _op in find_ops(ctx, inst, ("cargo",), ("build",))]
    if len(builds) != 1 or builds[0].flag_value("--manifest-path") is not None:
        return
    crate = read_crate(
        fsio.read_hint(context / "Cargo.toml") or "",
        frozenset(p for p in _CARGO_DISCOVERED if (context / p).is_file()),
    )
    if crate is None:
        return
    cmd = builds[0]
    command = " ".join(w.raw for w in cmd.words)
    run = dependency_build(crate, command, cmd.flag_value("--target-dir") or "target")
    files = [n for n in ("Cargo.toml", "Cargo.lock") if (context / n).is_file()]
    nl = newline_of(ctx.df)
    target = dest if dest.endswith("/") else dest + "/"
    yield Fix(
        finding.code,
        "copy Cargo.toml and Cargo.lock and build the dependencies before copying the source",
        FixKind.UNSAFE,
        [Edit(broad.span.start, broad.span.start, f"COPY {' '.join(files)} {target}{nl}RUN {run}{nl}")],
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
