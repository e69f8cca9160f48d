"""Correctness rules (SL4xx): what breaks builds or containers, most mapped to hadolint.

Each rule follows what hadolint's rule of the same code checks (read from its source
and checked against the 2.15 binary), then uses what slimline knows and hadolint does
not: variables expanded with BuildKit's scoping, stages and their parents, ONBUILD
triggers, heredocs, and the shell a RUN really runs in. Every place where the result
differs from hadolint's on purpose is said in the rule's page and in docs/hadolint.md.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

import tree_sitter_bash
from tree_sitter import Language, Parser

from slimline.dockerfile.expand import expand
from slimline.dockerfile.model import Dockerfile, Instruction, Stage
from slimline.dockerfile.parser import (
    AUTOMATIC_PLATFORM_ARGS,
    EXEC_FORM_KEYWORDS,
    KNOWN_KEYWORDS,
    arg_pairs,
)
from slimline.dockerfile.semantics import State, env_pairs
from slimline.dockerfile.shell import ShellCommand, ShellScript
from slimline.dockerfile.words import split_words
from slimline.knowledge.images import parse_image_ref
from slimline.knowledge.packages import classify
from slimline.lint.context import RuleContext
from slimline.lint.model import Category, Finding, Severity
from slimline.lint.registry import rule

# -- helpers ---------------------------------------------------------------------------------

_DRIVE_RE = re.compile(r"^[A-Za-z]:")
#: Placeholders of template engines (Jinja, Go templates, docker-library's %%NAME%%).
_TEMPLATE_RE = re.compile(r"\{\{|\}\}|\{%|%\}|%%[A-Za-z0-9_]+%%")


def is_template(text: str) -> bool:
    """Whether ``text`` holds a template placeholder rather than a real value."""
    return bool(_TEMPLATE_RE.search(text))


def is_absolute(path: str) -> bool:
    """Absolute on Linux (``/x``) or Windows (``C:\\x``, ``c:/x``, ``\\x``)."""
    return path.startswith(("/", "\\")) or bool(_DRIVE_RE.match(path))


class _Recorder(Mapping[str, str]):
    """A read-only view of an environment that remembers which names were looked up."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.seen.add(key)
        return self._env[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._env)

    def __len__(self) -> int:
        return len(self._env)


def referenced_names(word: str, escape: str = "\\") -> set[str]:
    """Variables a word reads when BuildKit expands it (quotes and escapes honoured)."""
    recorder = _Recorder({})
    expand(word, recorder, escape)
    return recorder.seen


def known_value(ctx: RuleContext, inst: Instruction, raw: str) -> str | None:
    """``raw`` expanded with the variables the instruction sees; None when one is unknown."""
    if is_template(raw):
        return None
    result = expand(raw, ctx.sem.before(inst).env, ctx.df.escape)
    return result.value if result.complete else None


def from_env(df: Dockerfile) -> dict[str, str]:
    """Global ARGs that have a default (and BuildKit's platform ARGs), for FROM lines.

    An ``ARG`` declared without a default is left out, so a FROM that uses it counts
    as unknown rather than as an empty string.
    """
    env = dict(AUTOMATIC_PLATFORM_ARGS)
    unknown: set[str] = set()
    for inst in df.global_args:
        for key, value in arg_pairs(inst, df.escape):
            if value is None:
                continue
            result = expand(value, env, df.escape)
            if result.complete and not (referenced_names(value, df.escape) & unknown):
                env[key] = result.value
                unknown.discard(key)
            else:
                env.pop(key, None)
                unknown.add(key)
    return env


def copy_operands(inst: Instruction, escape: str) -> tuple[list[str], str | None]:
    """Sources and destination of COPY/ADD, raw (quotes and variables kept)."""
    eff = inst.effective
    if eff.exec_form is not None:
        words = list(eff.exec_form)
    else:
        words = [w.raw for w in split_words(eff.args, escape)]
    if not words:
        return [], None
    return words[:-1], words[-1]


def _state_shell_pipefail(shell: tuple[str, ...]) -> bool:
    """Whether a SHELL such as ``["/bin/bash", "-o", "pipefail", "-c"]`` sets pipefail."""
    args = list(shell[1:])
    for i, arg in enumerate(args):
        if arg == "-opipefail":
            return True
        if (
            arg.startswith("-")
            and not arg.startswith("--")
            and "o" in arg[1:]
            and i + 1 < len(args)
            and args[i + 1] == "pipefail"
        ):
            return True
    return False


@lru_cache(maxsize=1)
def _bash_parser() -> Parser:
    return Parser(Language(tree_sitter_bash.language()))


@lru_cache(maxsize=1024)
def _subshell_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of ``( ... )`` subshells and ``$( ... )`` substitutions in a script."""
    data = text.encode("utf-8", "surrogateescape")
    tree = _bash_parser().parse(data)
    ascii_only = len(data) == len(text)

    def offset(byte: int) -> int:
        return byte if ascii_only else len(data[:byte].decode("utf-8", "surrogateescape"))

    out: list[tuple[int, int]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("subshell", "command_substitution", "process_substitution"):
            out.append((offset(node.start_byte), offset(node.end_byte)))
        stack.extend(node.children)
    return tuple(out)


def _in_subshell(script: ShellScript, cmd: ShellCommand) -> bool:
    if cmd.nested or "(" not in script.text:
        return False
    return any(lo <= cmd.start and cmd.end <= hi for lo, hi in _subshell_ranges(script.text))


# -- WORKDIR, cd ---------------------------------------------------------------------------


@rule("SL401", "relative-workdir", Severity.ERROR, Category.CORRECTNESS, hadolint=("DL3000",))
def relative_workdir(ctx: RuleContext) -> Iterator[Finding]:
    """A relative WORKDIR with no absolute WORKDIR before it.

    ## Why
    A relative `WORKDIR` is resolved against the working directory the stage
    inherited: whatever the base image happened to set. Change the base (or its
    version) and files land somewhere else. Give the first `WORKDIR` of a stage an
    absolute path; later relative ones are then well defined.

    Variables are expanded first (`ENV APP=app` then `WORKDIR $APP` is relative),
    a `WORKDIR` set in a parent stage counts, and `ONBUILD WORKDIR` is judged
    against this image's final working directory, where child builds start.
    hadolint's DL3000 flags every relative path, even after an absolute one, and
    trusts any path that starts with `$`.

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR app
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    WORKDIR static
    ```
    """
    for stage in ctx.stages:
        final_state = ctx.sem.final(stage)
        for inst in stage.instructions:
            eff = inst.effective
            if eff.keyword != "WORKDIR" or not eff.args:
                continue
            if inst.is_onbuild:
                if final_state.workdir_set or "$" in eff.args or is_template(eff.args):
                    continue
                value: str | None = expand(eff.args, {}, ctx.df.escape).value.strip()
            else:
                if ctx.sem.before(inst).workdir_set:
                    continue
                value = known_value(ctx, inst, eff.args)
                value = value.strip() if value is not None else None
            if not value or is_absolute(value):
                continue
            yield ctx.report(
                inst,
                f"relative WORKDIR `{value}` with no absolute WORKDIR before it: "
                "it depends on the base image's working directory",
                hint=f"use an absolute path, e.g. `WORKDIR /{value.lstrip('./')}`",
            )


@rule("SL402", "cd-in-run", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3003",))
def cd_in_run(ctx: RuleContext) -> Iterator[Finding]:
    """`cd` in a RUN where WORKDIR would say it.

    ## Why
    A `cd` lasts only until the end of its RUN, so the next instruction runs
    somewhere else; readers and later edits get this wrong. `WORKDIR` changes the
    directory for every following instruction and creates it if needed.

    A `cd` inside a subshell `( cd x && make )`, a command substitution, a loop, a
    condition or a function is left alone: it is scoped on purpose and `WORKDIR`
    cannot express it (hadolint's DL3003 reports those too).

    ## Bad
    ```dockerfile
    RUN cd /src && make install
    ```

    ## Good
    ```dockerfile
    WORKDIR /src
    RUN make install
    ```
    """
    for inst in ctx.instructions("RUN"):
        found = False
        for run in ctx.sem.scripts(inst):
            for cmd in run.script.commands:
                if cmd.unwrapped().program != "cd" or cmd.conditional:
                    continue
                if _in_subshell(run.script, cmd):
                    continue
                found = True
                break
            if found:
                break
        if found:
            yield ctx.report(
                inst,
                "`cd` in RUN only lasts for this RUN",
                hint="use `WORKDIR <dir>` to change directory for the following instructions",
            )


# -- FROM ----------------------------------------------------------------------------------


def _base_refs(ctx: RuleContext) -> Iterator[tuple[Stage, str, bool]]:
    """(stage, expanded base, came from a variable) for stages built FROM an image."""
    env = from_env(ctx.df)
    for stage in ctx.stages:
        if stage.parent is not None:
            continue
        result = expand(stage.base, env, ctx.df.escape)
        if not result.complete or not result.value:
            continue
        value = result.value
        if value.lower() == "scratch":
            continue
        if ctx.df.stage_by_ref(value, before=stage.index) is not None and not value.isdigit():
            continue
        yield stage, value, "$" in stage.base


@rule("SL403", "untagged-base-image", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3006",))
def untagged_base_image(ctx: RuleContext) -> Iterator[Finding]:
    """A FROM image has no tag (it means `:latest`).

    ## Why
    `FROM ubuntu` pulls whatever `ubuntu:latest` is on the day of the build: a new
    major version can arrive without any change to the Dockerfile. Name a version
    tag (and a digest for full reproducibility).

    Build ARGs are expanded with their defaults: `ARG BASE=ubuntu` then
    `FROM $BASE` is untagged too (hadolint's DL3006 skips any `FROM $...`), while
    `FROM python:${PY}` is fine. Stage names, `scratch` and digests are fine.

    ## Bad
    ```dockerfile
    FROM ubuntu
    ```

    ## Good
    ```dockerfile
    FROM ubuntu:24.04
    ```
    """
    for stage, value, from_var in _base_refs(ctx):
        ref = parse_image_ref(value)
        if ref is None or ref.digest is not None or ref.tag is not None:
            continue
        origin = " (from the ARG default)" if from_var else ""
        yield ctx.report(
            stage.from_instruction,
            f"`{value}`{origin} has no tag: it means `{value}:latest`, which changes over time",
            hint="pin a version tag, e.g. `debian:bookworm-slim` (or a digest)",
        )


@rule("SL404", "latest-tag", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3007",))
def latest_tag(ctx: RuleContext) -> Iterator[Finding]:
    """A FROM image uses the `:latest` tag.

    ## Why
    `latest` is just the tag that moved last: builds stop being reproducible and a
    new major version can break the image without any change to the Dockerfile.
    With a digest (`image:latest@sha256:...`) the image is pinned and the rule is
    quiet. ARG defaults are expanded: `ARG TAG=latest` then `FROM node:$TAG` is
    reported (hadolint's DL3007 only sees a literal `:latest`).

    ## Bad
    ```dockerfile
    FROM node:latest
    ```

    ## Good
    ```dockerfile
    FROM node:20-bookworm-slim
    ```
    """
    for stage, value, from_var in _base_refs(ctx):
        ref = parse_image_ref(value)
        if ref is None or ref.digest is not None or ref.tag != "latest":
            continue
        origin = " (from the ARG default)" if from_var else ""
        yield ctx.report(
            stage.from_instruction,
            f"`{value}`{origin} uses the moving `latest` tag",
            hint="pin a version tag (and ideally a digest)",
        )


# -- apt -----------------------------------------------------------------------------------

_APT_PROMPTING = frozenset(
    {"install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge",
     "autoremove", "build-dep"}
)
_ASSUME_YES_RE = re.compile(r"^APT::Get::Assume-Yes\s*=\s*\"?(true|1|yes)\"?$", re.IGNORECASE)


def _quiet_level(cmd: ShellCommand) -> int:
    level = 0
    for w in cmd.words[1:]:
        t = w.text
        if t == "--":
            break
        if t in ("-q=2", "--quiet=2"):
            level += 2
        elif t == "--quiet":
            level += 1
        elif t.startswith("-") and not t.startswith("--"):
            level += t[1:].count("q")
    return level


def _assumes_yes(cmd: ShellCommand, previous: ShellCommand | None) -> bool:
    if cmd.has_flag("-y", "--yes", "--assume-yes"):
        return True
    if _quiet_level(cmd) >= 2:  # -qq implies -y
        return True
    words = [w.text for w in cmd.words]
    for i, w in enumerate(words[:-1]):
        if w in ("-o", "--option") and _ASSUME_YES_RE.match(words[i + 1]):
            return True
    for w in words:
        if w.startswith("--option=") and _ASSUME_YES_RE.match(w.removeprefix("--option=")):
            return True
    # `yes | apt-get install ...`
    return (
        previous is not None
        and cmd.connector == "|"
        and previous.unwrapped().program == "yes"
    )


@rule(
    "SL405",
    "apt-get-without-yes",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3014",),
)
def apt_get_without_yes(ctx: RuleContext) -> Iterator[Finding]:
    """`apt-get install` (or upgrade, remove...) without `-y`.

    ## Why
    apt asks "Do you want to continue? [Y/n]" and a build has no terminal to
    answer: the step aborts. `-y`, `--yes`, `--assume-yes` and `-qq` (which implies
    `-y`) answer it. `sudo`, `env` and full paths (`/usr/bin/apt-get`) are seen
    through, `apt` is checked like `apt-get`, and so are `upgrade`, `remove`,
    `purge` and `autoremove`, which prompt as well (hadolint's DL3014 checks only
    a bare `apt-get ... install`).

    ## Bad
    ```dockerfile
    RUN apt-get update && apt-get install --no-install-recommends curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    for inst in ctx.df.instructions:
        if inst.effective.keyword != "RUN":
            continue
        script = ctx.sem.script(inst)
        if script is None:
            continue
        previous: ShellCommand | None = None
        for raw in script.commands:
            cmd = raw.unwrapped()
            prev, previous = previous, raw
            if cmd.program not in ("apt-get", "apt"):
                continue
            op = classify(cmd)
            if op is None or not op.positional or op.positional[0] not in _APT_PROMPTING:
                continue
            if _assumes_yes(cmd, prev):
                continue
            yield ctx.report(
                inst,
                f"`{cmd.program} {op.positional[0]}` without `-y` waits for an answer and aborts the build",
                hint=f"use `{cmd.program} {op.positional[0]} -y ...`",
            )
            break


@rule(
    "SL412",
    "apt-instead-of-apt-get",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3027",),
)
def apt_instead_of_apt_get(ctx: RuleContext) -> Iterator[Finding]:
    """`apt` in a RUN: it is meant for people at a terminal, not for scripts.

    ## Why
    `apt`'s command line and output are not stable between releases and it warns
    "apt does not have a stable CLI interface. Use with caution in scripts."
    `apt-get` and `apt-cache` are the script-safe tools with the same
    sub-commands. Also checked in `ONBUILD RUN` and behind `sudo`.

    ## Bad
    ```dockerfile
    RUN apt update && apt install -y curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    for inst in ctx.df.instructions:
        if inst.effective.keyword != "RUN":
            continue
        if any(c.program == "apt" for c in ctx.sem.commands(inst)):
            yield ctx.report(
                inst,
                "`apt` is an interactive tool without a stable CLI",
                hint="use `apt-get` (or `apt-cache` for search/show)",
            )


# -- ADD / COPY ----------------------------------------------------------------------------

#: Suffixes of files ADD unpacks (hadolint's list plus zstd).
ARCHIVE_SUFFIXES = (
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz",
    ".tlz", ".tpz", ".txz", ".xz", ".zst", ".tzst",
)
_REMOTE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^git@")


def is_remote_source(src: str) -> bool:
    """A URL or a git repository: something only ADD can fetch."""
    return bool(_REMOTE_RE.match(src))


def is_archive(src: str) -> bool:
    return src.endswith(ARCHIVE_SUFFIXES)


@rule(
    "SL406",
    "add-instead-of-copy",
    Severity.ERROR,
    Category.CORRECTNESS,
    hadolint=("DL3020",),
)
def add_instead_of_copy(ctx: RuleContext) -> Iterator[Finding]:
    """ADD copies local files or directories: COPY says what it does.

    ## Why
    `ADD` also downloads URLs, clones git repositories and unpacks local tar
    archives. Used for plain files it hides that magic: rename `app.tar.gz` into
    the context and it is silently extracted. Keep `ADD` for URLs, git sources and
    archives you want unpacked; use `COPY` for the rest.

    Sources are expanded with the stage's ARG/ENV values; git sources
    (`git@...`, `ssh://`, `git://`) count as remote (hadolint's DL3020 knows only
    `http(s)://`). `ADD <<EOF` heredocs and `ONBUILD ADD` are checked too.

    ## Bad
    ```dockerfile
    ADD requirements.txt /app/
    ```

    ## Good
    ```dockerfile
    COPY requirements.txt /app/
    ADD https://example.com/tool.tar.gz /opt/
    ADD app-bundle.tar.gz /opt/app/
    ```
    """
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword != "ADD":
            continue
        sources, _dest = copy_operands(inst, ctx.df.escape)
        local: list[str] = []
        unknown = False
        for raw in sources:
            if raw.startswith("<<") and eff.heredocs:
                local.append("heredoc " + raw.lstrip("<-").strip("'\""))
                continue
            value = (
                known_value(ctx, inst, raw)
                if not inst.is_onbuild
                else (None if "$" in raw or is_template(raw) else expand(raw, {}, ctx.df.escape).value)
            )
            if value is None:
                unknown = True
                break
            if is_remote_source(value) or is_archive(value):
                continue
            local.append(value)
        if unknown or not local:
            continue
        safe = len(local) == len(sources)
        shown = ", ".join(f"`{x}`" if not x.startswith("heredoc ") else x for x in local[:3])
        yield ctx.report(
            inst,
            f"ADD of local content ({shown}): use COPY",
            hint="ADD also unpacks archives and fetches URLs; COPY only copies",
            data={"sources": local, "replace_keyword": safe},
        )


@rule(
    "SL407",
    "copy-dest-not-directory",
    Severity.ERROR,
    Category.CORRECTNESS,
    hadolint=("DL3021",),
)
def copy_dest_not_directory(ctx: RuleContext) -> Iterator[Finding]:
    """COPY or ADD of several sources to a destination that does not end with `/`.

    ## Why
    With more than one source the destination must be a directory. The classic
    builder stops with "When using COPY with more than one source file, the
    destination must be a directory and end with a /"; BuildKit copies each source
    onto the same path, so only the last one survives. End the destination with
    `/`. BuildKit treats `.` as a directory, so `COPY a b .` is fine; ADD is checked
    like COPY (hadolint's DL3021 checks only COPY and reports `.`).

    ## Bad
    ```dockerfile
    COPY package.json package-lock.json /app
    ```

    ## Good
    ```dockerfile
    COPY package.json package-lock.json /app/
    ```
    """
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword not in ("COPY", "ADD"):
            continue
        sources, dest = copy_operands(inst, ctx.df.escape)
        if len(sources) < 2 or dest is None:
            continue
        value = (
            known_value(ctx, inst, dest)
            if not inst.is_onbuild
            else (None if "$" in dest or is_template(dest) else expand(dest, {}, ctx.df.escape).value)
        )
        if value is None or value.endswith(("/", "\\")) or value in (".", ""):
            continue
        yield ctx.report(
            inst,
            f"{eff.keyword} of {len(sources)} sources to `{value}`, which does not end with `/`",
            hint=f"write the destination as a directory: `{value}/`",
        )


def _from_target(ctx: RuleContext, inst: Instruction) -> tuple[str | None, Stage | None, bool]:
    """(expanded --from value, the stage it names, known) for a COPY --from."""
    flag = inst.flag("from")
    if flag is None or flag.value is None:
        return None, None, True
    value = known_value(ctx, inst, flag.value)
    if value is None:
        return None, None, False
    value = value.strip()
    return value, _stage_named(ctx.df, value), True


def _stage_named(df: Dockerfile, ref: str) -> Stage | None:
    """The stage ``ref`` names for COPY --from: any stage by name, or by index."""
    if ref.isdigit():
        idx = int(ref)
        return df.stages[idx] if idx < len(df.stages) else None
    low = ref.lower()
    for stage in df.stages:
        if stage.name == low:
            return stage
    return None


@rule(
    "SL408",
    "copy-from-unknown-stage",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3022",),
)
def copy_from_unknown_stage(ctx: RuleContext) -> Iterator[Finding]:
    """`COPY --from` names no stage of this Dockerfile and no tagged image.

    ## Why
    `--from` takes a stage name, a stage index or an image. A name that matches no
    stage is pulled as an image from Docker Hub: a typo (`--from=buidler`) turns
    into a confusing pull error, or worse into an unrelated image. Images are
    recognised by a registry, a path, a tag or a digest (`nginx:1.27`,
    `ghcr.io/org/tool`).

    Like BuildKit, stage names are matched without regard to case, a stage defined
    later in the file counts, and ARGs are expanded (hadolint's DL3022 compares case
    and only knows stages defined above the COPY). An index past the last stage or
    a `--from` without a value also fails the build and is reported.

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS builder
    FROM gcr.io/distroless/static-debian12
    COPY --from=buidler /out/app /app
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS builder
    FROM gcr.io/distroless/static-debian12
    COPY --from=builder /out/app /app
    ```
    """
    names = [s.name for s in ctx.stages if s.name is not None]
    for stage in ctx.stages:
        for inst in stage.instructions:
            if inst.keyword != "COPY":
                continue
            flag = inst.flag("from")
            if flag is None:
                continue
            if flag.value is None or not flag.value.strip():
                yield ctx.report(inst, "`--from` has no value", hint="name a stage or an image: `--from=builder`")
                continue
            value, target, known = _from_target(ctx, inst)
            if not known or value is None or target is not None:
                continue
            if value.isdigit():
                yield ctx.report(
                    inst,
                    f"`--from={value}`: this file has only {len(ctx.stages)} stage(s) (indexes start at 0)",
                )
                continue
            if any(ch in value for ch in "/:@"):
                continue  # an image reference (registry, path, tag or digest)
            close = difflib.get_close_matches(value.lower(), names, n=1)
            yield ctx.report(
                inst,
                f"`--from={value}` names no stage: it would be pulled as the image `{value}:latest`",
                hint=f"did you mean `--from={close[0]}`?" if close else "name a stage, or a tagged image",
            )


def _stage_deps(ctx: RuleContext) -> dict[int, set[int]]:
    """Stage index -> stages it needs (its parent, COPY --from and RUN --mount from=)."""
    deps: dict[int, set[int]] = {s.index: set() for s in ctx.stages}
    for stage in ctx.stages:
        if stage.parent is not None:
            deps[stage.index].add(stage.parent)
        for inst in stage.instructions:
            for target in _inst_sources(ctx, inst):
                deps[stage.index].add(target.index)
    return deps


def _inst_sources(ctx: RuleContext, inst: Instruction) -> list[Stage]:
    out: list[Stage] = []
    if inst.keyword == "COPY":
        _value, target, _known = _from_target(ctx, inst)
        if target is not None:
            out.append(target)
    elif inst.keyword == "RUN":
        for mount in inst.flag_values("mount"):
            for part in mount.split(","):
                key, _, raw = part.partition("=")
                if key.strip().lower() == "from" and raw:
                    value = known_value(ctx, inst, raw.strip())
                    target = _stage_named(ctx.df, value) if value else None
                    if target is not None:
                        out.append(target)
    return out


def _reaches(deps: dict[int, set[int]], start: int, goal: int) -> bool:
    seen: set[int] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node in seen:
            continue
        seen.add(node)
        todo.extend(deps.get(node, ()))
    return False


@rule("SL409", "copy-from-own-stage", Severity.ERROR, Category.CORRECTNESS, hadolint=("DL3023",))
def copy_from_own_stage(ctx: RuleContext) -> Iterator[Finding]:
    """`COPY --from` (or `RUN --mount=from=`) reads the stage it is in, or a stage that needs it.

    ## Why
    A stage cannot copy from itself, nor from a stage that is built from it: BuildKit
    stops with "circular dependency detected on stage". Copy from the stage that
    produced the files. Names, indexes (`--from=0` in the first stage) and cycles
    through other stages are all found (hadolint's DL3023 compares the name only).

    ## Bad
    ```dockerfile
    FROM alpine:3.20 AS app
    COPY --from=app /etc/hostname /copy
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20 AS base
    FROM alpine:3.20 AS app
    COPY --from=base /etc/hostname /copy
    ```
    """
    deps = _stage_deps(ctx)
    for stage in ctx.stages:
        for inst in stage.instructions:
            for target in _inst_sources(ctx, inst):
                if target.index == stage.index:
                    yield ctx.report(
                        inst,
                        f"{inst.keyword} reads from its own stage `{stage.label()}`",
                        hint="copy from the stage that produces the files",
                    )
                    break
                if _reaches(deps, target.index, stage.index):
                    yield ctx.report(
                        inst,
                        f"stage `{target.label()}` is built from `{stage.label()}`: "
                        "reading it here is a circular dependency",
                    )
                    break


@rule("SL410", "duplicate-stage-name", Severity.ERROR, Category.CORRECTNESS, hadolint=("DL3024",))
def duplicate_stage_name(ctx: RuleContext) -> Iterator[Finding]:
    """Two stages have the same name.

    ## Why
    `COPY --from=build` and `FROM build` cannot tell two stages called `build`
    apart: current BuildKit stops the build (its DuplicateStageName check), and
    older builders silently pick one of them. Stage names are compared without
    regard to case, as BuildKit lower-cases them (hadolint's DL3024 treats
    `build` and `Build` as different).

    ## Bad
    ```dockerfile
    FROM golang:1.22 AS build
    FROM node:20 AS build
    ```

    ## Good
    ```dockerfile
    FROM golang:1.22 AS build-go
    FROM node:20 AS build-web
    ```
    """
    seen: dict[str, Stage] = {}
    for stage in ctx.stages:
        if stage.name is None:
            continue
        first = seen.get(stage.name)
        if first is not None:
            yield ctx.report(
                stage.from_instruction,
                f"stage name `{stage.name}` is already used on line {first.line}",
                hint="give every stage its own name",
            )
        else:
            seen[stage.name] = stage


# -- CMD / ENTRYPOINT ------------------------------------------------------------------------

_EXEC_PREFIX_RE = re.compile(r"^exec\s")


@rule(
    "SL411",
    "shell-form-cmd",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3025",),
)
def shell_form_cmd(ctx: RuleContext) -> Iterator[Finding]:
    """CMD or ENTRYPOINT in shell form: the app may not get signals.

    ## Why
    Shell form runs `/bin/sh -c "..."`: the shell is PID 1, and `docker stop`'s
    SIGTERM may never reach the application, which is killed after the 10 second
    grace period without shutting down cleanly. A shell-form ENTRYPOINT also
    ignores CMD and `docker run` arguments, and shell form needs a shell that
    distroless and scratch images do not have. Use the JSON (exec) form.

    A command that starts with `exec` replaces the shell and is fine.
    `HEALTHCHECK CMD` is not checked: a probe is short-lived and receives no
    signals (hadolint's DL3025 reports it). Arguments that only look like JSON are
    reported by SL421 instead.

    ## Bad
    ```dockerfile
    CMD gunicorn app:app --bind 0.0.0.0:8000
    ```

    ## Good
    ```dockerfile
    CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
    ```

    ## Fix
    Unsafe: the fix writes the exec form; variables and shell syntax in the command
    no longer work without a shell.
    """
    for inst in ctx.instructions("CMD", "ENTRYPOINT"):
        if inst.exec_form is not None or not inst.args:
            continue
        if inst.args.lstrip().startswith("[") and looks_like_json_array(inst.args) is not None:
            continue  # SL421's finding
        if _EXEC_PREFIX_RE.match(inst.args):
            continue
        extra = " and ignores CMD and `docker run` arguments" if inst.keyword == "ENTRYPOINT" else ""
        yield ctx.report(
            inst,
            f"shell-form {inst.keyword} runs under `/bin/sh -c`: the app may not receive SIGTERM{extra}",
            hint=f'use the exec form: {inst.keyword} ["executable", "arg", ...]',
        )


def _repeated(ctx: RuleContext, keyword: str) -> Iterator[tuple[Instruction, Instruction]]:
    for stage in ctx.stages:
        first: Instruction | None = None
        for inst in stage.instructions:
            if inst.keyword != keyword:
                continue
            if first is None:
                first = inst
            else:
                yield inst, first


@rule(
    "SL417",
    "multiple-cmd",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL4003",),
)
def multiple_cmd(ctx: RuleContext) -> Iterator[Finding]:
    """More than one CMD in a stage: only the last one counts.

    ## Why
    CMD sets a default; each one replaces the one before. Earlier CMDs in the same
    stage do nothing and mislead readers. (A CMD in another stage, or in an ONBUILD
    trigger, is separate.)

    ## Bad
    ```dockerfile
    CMD ["nginx"]
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## Good
    ```dockerfile
    CMD ["nginx", "-g", "daemon off;"]
    ```
    """
    for inst, first in _repeated(ctx, "CMD"):
        yield ctx.report(inst, f"another CMD in this stage (first on line {first.line}): only the last one takes effect")


@rule(
    "SL418",
    "multiple-entrypoint",
    Severity.ERROR,
    Category.CORRECTNESS,
    hadolint=("DL4004",),
)
def multiple_entrypoint(ctx: RuleContext) -> Iterator[Finding]:
    """More than one ENTRYPOINT in a stage: only the last one counts.

    ## Why
    Each ENTRYPOINT replaces the one before (and resets CMD inherited from the base
    image). Earlier ones in the same stage do nothing.

    ## Bad
    ```dockerfile
    ENTRYPOINT ["/docker-entrypoint.sh"]
    ENTRYPOINT ["tini", "--"]
    ```

    ## Good
    ```dockerfile
    ENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]
    ```
    """
    for inst, first in _repeated(ctx, "ENTRYPOINT"):
        yield ctx.report(
            inst, f"another ENTRYPOINT in this stage (first on line {first.line}): only the last one takes effect"
        )


# -- ENV -----------------------------------------------------------------------------------


@rule(
    "SL413",
    "env-same-statement-reference",
    Severity.ERROR,
    Category.CORRECTNESS,
    hadolint=("DL3044",),
)
def env_same_statement_reference(ctx: RuleContext) -> Iterator[Finding]:
    """An ENV value uses a variable that the same ENV instruction sets.

    ## Why
    BuildKit expands every value of an `ENV` with the variables as they were
    before the instruction. In `ENV DIR=/opt/app BIN=$DIR/bin`, `BIN` gets the old
    `DIR` (often empty), not `/opt/app`. Split the instruction in two.

    A reference is reported when the variable had no value before, or a different
    one (hadolint's DL3044 stays quiet whenever any earlier ENV or ARG in the file,
    in any stage, had that name). `$VAR` in single quotes or escaped is not a
    reference, and `PATH=/x:$PATH` refers to itself, which is fine.

    ## Bad
    ```dockerfile
    ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
    ```

    ## Good
    ```dockerfile
    ENV APP_HOME=/srv/app
    ENV APP_BIN=$APP_HOME/bin
    ```
    """
    escape = ctx.df.escape
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword != "ENV":
            continue
        pairs = env_pairs(eff, escape)
        if len(pairs) < 2:
            continue
        before: dict[str, str] | None = None if inst.is_onbuild else ctx.sem.before(inst).env
        new_values: dict[str, str] = {}
        for key, raw in pairs:
            new_values[key] = expand(raw, before or {}, escape).value
        hits: list[tuple[str, str]] = []
        for key, raw in pairs:
            for name in sorted(referenced_names(raw, escape)):
                if name == key or name not in new_values:
                    continue
                if before is not None and before.get(name) == new_values[name]:
                    continue  # same value before and after: nothing surprising
                hits.append((key, name))
        if hits:
            key, name = hits[0]
            yield ctx.report(
                inst,
                f"`{key}` uses `${name}`, which this same ENV sets: it reads the value from before this line",
                hint=f"set `{name}` in an ENV of its own before this one",
                data={"references": [list(h) for h in hits]},
            )


# -- COPY destination without WORKDIR ---------------------------------------------------------


@rule(
    "SL414",
    "copy-relative-without-workdir",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3045",),
)
def copy_relative_without_workdir(ctx: RuleContext) -> Iterator[Finding]:
    """COPY or ADD to a relative destination before any WORKDIR in the stage.

    ## Why
    A relative destination is resolved against the working directory, which,
    without a `WORKDIR` in this stage or a stage it is built from, is whatever the
    base image set (often `/`). Files end up in an unexpected place and move when
    the base changes. Set `WORKDIR` first or use an absolute path.

    Stage-aware: a WORKDIR in a parent stage (`FROM base`) counts, and variables
    are expanded first; ADD is checked like COPY (hadolint's DL3045 checks COPY
    only, and trusts any destination that starts with `$`).

    ## Bad
    ```dockerfile
    FROM python:3.12-slim
    COPY requirements.txt .
    ```

    ## Good
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    ```

    ## Fix
    Safe: for a base image slimline knows, `slimline fix` states the base's own
    working directory after FROM (`WORKDIR /` for python, `WORKDIR /go` for golang),
    so the files land where they did before.
    """
    for stage in ctx.stages:
        for inst in stage.instructions:
            if inst.keyword not in ("COPY", "ADD"):
                continue
            if ctx.sem.before(inst).workdir_set:
                continue
            _sources, dest = copy_operands(inst, ctx.df.escape)
            if dest is None:
                continue
            value = known_value(ctx, inst, dest)
            if value is None or not value or is_absolute(value):
                continue
            yield ctx.report(
                inst,
                f"{inst.keyword} to relative `{value}` with no WORKDIR set in this stage",
                hint="add `WORKDIR /app` (or similar) before it, or use an absolute destination",
            )


# -- file structure --------------------------------------------------------------------------


@rule("SL415", "instruction-before-from", Severity.ERROR, Category.CORRECTNESS, hadolint=("DL3061",))
def instruction_before_from(ctx: RuleContext) -> Iterator[Finding]:
    """An instruction other than ARG comes before the first FROM.

    ## Why
    Only `ARG` (and parser directives and comments) may precede the first `FROM`;
    BuildKit rejects anything else. A file with no `FROM` at all is taken to be a
    fragment or template meant to be included elsewhere and is not reported
    (hadolint's DL3061 reports every line of it).

    ## Bad
    ```dockerfile
    ENV PYTHONUNBUFFERED=1
    FROM python:3.12-slim
    ```

    ## Good
    ```dockerfile
    ARG PY=3.12
    FROM python:${PY}-slim
    ENV PYTHONUNBUFFERED=1
    ```
    """
    if not ctx.stages:
        return
    for inst in ctx.df.instructions:
        if inst.keyword == "FROM":
            break
        if inst.keyword != "ARG":
            yield ctx.report(
                inst,
                f"{inst.keyword} before the first FROM: only ARG may come first",
                hint="move it after the FROM of the stage that needs it",
            )


# -- pipes -----------------------------------------------------------------------------------

#: Commands that cannot fail in a way that matters at the head of a pipe.
_SAFE_PRODUCERS = frozenset({"echo", "printf", "yes", "true", ":"})


def _pipelines(script: ShellScript) -> Iterator[list[ShellCommand]]:
    """The pipelines of a script, each as its simple commands in order.

    Commands run by a substitution inside a pipeline (``a | b "$(c)"``) do not
    interrupt it. A pipeline whose first part is a compound command (``{ a; b; } | c``)
    starts with a command whose connector is ``|``.
    """
    group: list[ShellCommand] = []
    for cmd in script.commands:
        if not cmd.in_pipeline:
            if cmd.conditional and group:
                continue
            if group:
                yield group
            group = []
            continue
        if cmd.connector == "|" and group:
            group.append(cmd)
            continue
        if group:
            yield group
        group = [cmd]
    if group:
        yield group


def _risky_pipe(script: ShellScript) -> bool:
    """Whether some pipeline has a part before the last ``|`` whose failure would be lost."""
    for pipeline in _pipelines(script):
        if pipeline[0].connector == "|":
            return True  # fed by a compound command: cannot tell, assume it can fail
        if any(is_template(w.raw) and w.raw[:1] not in "'\"" for c in pipeline for w in c.words):
            continue  # `{{ packages | join(" ") }}`: a template filter, not a shell pipe
        producers = pipeline[:-1] if len(pipeline) > 1 else pipeline
        if any(p.unwrapped().program not in _SAFE_PRODUCERS for p in producers):
            return True
    return False


@rule(
    "SL419",
    "pipe-without-pipefail",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL4006",),
)
def pipe_without_pipefail(ctx: RuleContext) -> Iterator[Finding]:
    """A RUN pipes commands without `pipefail`: a failure before the last `|` is ignored.

    ## Why
    A pipeline's exit status is the last command's. In `curl -fsSL $URL | tar -xz`
    a failed download still "succeeds" if tar exits 0, and the build goes on with
    a broken layer. Set `pipefail`, either for every RUN with
    `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` or in the RUN itself with
    `set -o pipefail && ...`.

    Unlike hadolint's DL4006: `set -o pipefail` at the start of the RUN counts; a
    `SHELL` with `-o pipefail` counts for any POSIX shell (one without pipefail
    fails the build loudly) and is inherited by child stages, as BuildKit does;
    pipes fed only by `echo`/`printf` are not reported (they cannot fail); exec
    form without a shell and non-POSIX shells (PowerShell, cmd) are skipped.

    ## Bad
    ```dockerfile
    RUN curl -fsSL https://example.com/install.sh | sh
    ```

    ## Good
    ```dockerfile
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/install.sh | bash
    ```
    """
    for inst in ctx.instructions("RUN"):
        state: State = ctx.sem.before(inst)
        if _state_shell_pipefail(state.shell):
            continue
        for run in ctx.sem.scripts(inst):
            if run.kind == "exec":
                continue
            if run.kind == "sh-c" and inst.exec_form and _state_shell_pipefail(tuple(inst.exec_form[:-1])):
                continue
            script = run.script
            if script.pipefail or not script.has_pipeline:
                continue
            if _risky_pipe(script):
                yield ctx.report(
                    inst,
                    "a pipe without `pipefail`: a failure before the last `|` does not fail the build",
                    hint='add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it, or start the RUN with `set -o pipefail &&`',
                )
                break


# -- syntax BuildKit rejects or misreads ----------------------------------------------------------


@rule("SL420", "unknown-instruction", Severity.ERROR, Category.CORRECTNESS)
def unknown_instruction(ctx: RuleContext) -> Iterator[Finding]:
    """An instruction keyword that Docker does not know.

    ## Why
    BuildKit stops with "unknown instruction" on a misspelled keyword (`RUNN`,
    `COPPY`), a stray line from a shell script, or a merge-conflict marker. The
    message suggests the closest real instruction.

    ## Bad
    ```dockerfile
    FROM alpine:3.20
    RUNN apk add --no-cache curl
    ```

    ## Good
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```
    """
    known = sorted(KNOWN_KEYWORDS)
    for inst in ctx.df.instructions:
        keyword = inst.keyword
        if keyword == "ONBUILD" and inst.inner is not None:
            keyword = inst.inner.keyword
        if keyword in KNOWN_KEYWORDS or not keyword:
            continue
        close = difflib.get_close_matches(keyword, known, n=1, cutoff=0.6)
        raw = inst.raw_keyword if keyword == inst.keyword else keyword
        shown = raw if raw.isprintable() else raw.encode("unicode_escape").decode("ascii")
        yield ctx.report(
            inst,
            f"unknown instruction `{shown}`",
            hint=f"did you mean `{close[0]}`?" if close else "BuildKit rejects the file",
        )


_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_CLOSING = {'"': '"', "'": "'", "\u201c": "\u201d", "\u201d": "\u201d", "\u2018": "\u2019", "\u2019": "\u2019"}
_TEST_START_RE = re.compile(r"^\[\[?\s+(!|-[a-zA-Z]+\s)")
_QUOTED_TOKENS_RE = re.compile(
    r"^(?:\s*(?:\"[^\"]*\"|'[^']*'|\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019)\s*){2,}$"
)


def _split_items(body: str) -> list[str] | None:
    """The comma-separated items inside ``[...]``; None when a quote is left open."""
    items: list[str] = []
    current: list[str] = []
    closing: str | None = None
    for ch in body:
        current.append(ch)
        if closing is not None:
            if ch == closing:
                closing = None
        elif ch in _CLOSING:
            closing = _CLOSING[ch]
        elif ch == ",":
            current.pop()
            items.append("".join(current).strip())
            current = []
    if closing is not None:
        return None
    items.append("".join(current).strip())
    return items


def _single_quoted_token(item: str) -> bool:
    """``item`` is exactly one quoted string (any quote style)."""
    if len(item) < 2 or item[0] not in _CLOSING:
        return False
    end = item.find(_CLOSING[item[0]], 1)
    return end == len(item) - 1


NOT_STRINGS = "a JSON array with items that are not strings"


def looks_like_json_array(args: str, *, command: bool = True) -> str | None:
    """Why ``args`` looks like a JSON (exec) form that is not one, else None.

    Shell tests such as ``[ -f x ] && ...``, ``[ "$a" = b ]`` and ``[[ ... ]]`` are
    not mistaken for it. With ``command`` (RUN, CMD...), a lone ``[abc]`` may be a
    shell glob; for paths (COPY, ADD, VOLUME) it is a JSON attempt.
    """
    s = args.strip()
    if not s.startswith("[") or _TEST_START_RE.match(s):
        return None
    try:
        value = json.loads(s)
    except (ValueError, RecursionError):
        pass
    else:
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            return NOT_STRINGS
        return None
    if not s.endswith("]"):
        if "]" in s:
            return None  # `[ ... ] && more`: a shell test
        inner = s[1:]
        has_json_marks = "," in inner or any(q in inner for q in _QUOTES)
        return "an unterminated JSON array" if has_json_marks else None
    items = _split_items(s[1:-1])
    if items is None or items == [""]:
        return None
    trailing = len(items) > 1 and items[-1] == ""
    if trailing:
        items = items[:-1]
    if len(items) == 1 and _QUOTED_TOKENS_RE.match(items[0]):
        return "JSON without commas between the items"
    for item in items:
        if not item or (not _single_quoted_token(item) and re.search(r"\s", item)):
            return None  # words with spaces: shell syntax, not a broken array
    if len(items) == 1 and not _single_quoted_token(items[0]) and command:
        return None  # `[abc]`: a shell glob
    if trailing:
        return "JSON with a trailing comma"
    if any(_single_quoted_token(i) and i[0] != '"' for i in items):
        return "JSON with single or typographic quotes (JSON needs straight double quotes)"
    if any(not _single_quoted_token(i) for i in items):
        return "JSON with unquoted items"
    return "not valid JSON (check backslashes: JSON needs `\\\\`)"


@rule("SL421", "invalid-json-form", Severity.ERROR, Category.CORRECTNESS)
def invalid_json_form(ctx: RuleContext) -> Iterator[Finding]:
    """Arguments look like a JSON (exec) form but are not valid JSON: they run as shell form.

    ## Why
    Docker uses the exec form only when the arguments parse as a JSON array of
    strings. `CMD ['python', 'app.py']` (single quotes), a trailing comma or a
    missing quote silently fall back to shell form: the container runs
    `/bin/sh -c "['python', 'app.py']"` and fails at start, or `COPY` looks for a
    file named `['a',`. Arrays with numbers or booleans are rejected outright, and
    `SHELL` accepts only the JSON form. Shell tests such as `RUN [ -f x ] && ...`
    are recognised and left alone.

    ## Bad
    ```dockerfile
    CMD ['python', 'app.py']
    ```

    ## Good
    ```dockerfile
    CMD ["python", "app.py"]
    ```
    """
    for inst in ctx.df.instructions:
        eff = inst.effective
        keyword = eff.keyword
        args = eff.args
        if keyword == "HEALTHCHECK":
            m = re.match(r"(?i)^cmd\s+", args)
            if m is None:
                continue
            args = args[m.end() :]
            exec_ok = args.lstrip().startswith("[") and _json_strings(args)
            if exec_ok:
                continue
        elif keyword not in EXEC_FORM_KEYWORDS or eff.exec_form is not None:
            continue
        if keyword == "SHELL" and not args.lstrip().startswith("["):
            yield ctx.report(inst, "SHELL needs the JSON form", hint='write SHELL ["/bin/bash", "-c"]')
            continue
        why = looks_like_json_array(args, command=keyword not in ("COPY", "ADD", "VOLUME"))
        if why is None:
            continue
        consequence = "BuildKit rejects it" if why == NOT_STRINGS else "Docker runs them as shell form"
        yield ctx.report(
            inst,
            f"{keyword} arguments are {why}: {consequence}",
            hint='write a JSON array of double-quoted strings: ["executable", "arg"]',
        )


def _json_strings(text: str) -> bool:
    try:
        value = json.loads(text.strip())
    except (ValueError, RecursionError):
        return False
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# -- existing ----------------------------------------------------------------------------------


@rule("SL416", "maintainer-deprecated", Severity.STYLE, Category.CORRECTNESS, hadolint=("DL4000",))
def maintainer_deprecated(ctx: RuleContext) -> Iterator[Finding]:
    """MAINTAINER is deprecated.

    ## Why
    `MAINTAINER` was deprecated in Docker 1.13. Use a label, which tools can read.

    ## Bad
    ```dockerfile
    MAINTAINER Jane Doe <jane@example.com>
    ```

    ## Good
    ```dockerfile
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    ```
    """
    for inst in ctx.df.instructions:
        if inst.keyword == "MAINTAINER":
            yield ctx.report(inst, "MAINTAINER is deprecated", hint='use `LABEL org.opencontainers.image.authors="..."`')
