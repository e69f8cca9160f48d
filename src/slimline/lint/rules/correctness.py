"""Correctness rules (SL4xx): what breaks builds or containers, most mapped to hadolint.

This module holds the rules about base images, stages and COPY/ADD sources (SL403,
SL404, SL406-SL410, SL415, SL416); the others are in ``commands`` (RUN), ``paths``
(WORKDIR, COPY destinations, ENV) and ``exec_form`` (CMD/ENTRYPOINT, JSON forms).

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
from collections.abc import Iterator

from slimline.dockerfile.edit import Edit, args_end
from slimline.dockerfile.expand import expand
from slimline.dockerfile.model import Dockerfile, Instruction, Stage
from slimline.knowledge.images import parse_image_ref
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer, instruction_of
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._edits import keyword_edit
from slimline.lint.rules._values import copy_operands, from_env, is_template, known_value

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
            hint=_tag_hint(ref.short_name),
        )


#: A pinned, lean tag of the same family, for the hint of an untagged FROM.
_TAG_EXAMPLES = {
    "alpine": "alpine:3.20",
    "debian": "debian:bookworm-slim",
    "ubuntu": "ubuntu:24.04",
    "python": "python:3.12-slim",
    "node": "node:20-bookworm-slim",
    "ruby": "ruby:3.3-slim",
    "php": "php:8.3-fpm",
    "nginx": "nginx:1.27-alpine",
    "eclipse-temurin": "eclipse-temurin:21-jre",
    "openjdk": "eclipse-temurin:21-jre",
    "rust": "rust:1.80-slim",
    "busybox": "busybox:1.36",
    "fedora": "fedora:40",
    "redhat/ubi9": "redhat/ubi9-minimal:9.4",
}


def _tag_hint(name: str) -> str:
    """Advice for the family the image belongs to: alpine stays alpine, golang builds and
    ships on a runtime stage, Windows images get no tag of ours (their tags follow the host)."""
    lowered = name.lower()
    if "windows" in lowered or lowered.startswith(("mcr.microsoft.com/powershell", "microsoft/")):
        return "pin the version tag that matches your Windows hosts (or a digest)"
    if lowered == "golang":
        return (
            "pin a version tag, e.g. `golang:1.22`, and ship the binary on a runtime stage "
            "(`gcr.io/distroless/static-debian12` or `scratch`)"
        )
    example = _TAG_EXAMPLES.get(lowered)
    if example is not None:
        return f"pin a version tag, e.g. `{example}` (or a digest)"
    return f"pin a version tag, `{name}:<version>` (or a digest)"


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


@fixer("SL406", FixKind.SAFE)
def fix_add_to_copy(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None or inst.keyword != "ADD":
        return
    unsupported = {"checksum", "keep-git-dir", "unpack"}
    if any(f.name in unsupported for f in inst.flags):
        return
    yield Fix(
        finding.code,
        "ADD -> COPY",
        FixKind.SAFE,
        [keyword_edit(ctx, inst, "COPY")],
        line=inst.line,
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


@fixer("SL416", FixKind.SAFE)
def fix_maintainer(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    inst = instruction_of(finding)
    if inst is None or inst.keyword != "MAINTAINER":
        return
    start = inst.logical.source_offset(inst.logical.text.find(inst.raw_keyword))
    value = json.dumps(inst.args, ensure_ascii=False)
    yield Fix(
        finding.code,
        "MAINTAINER -> LABEL",
        FixKind.SAFE,
        [Edit(start, args_end(inst), f"LABEL org.opencontainers.image.authors={value}")],
        line=inst.line,
    )
