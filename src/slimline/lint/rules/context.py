"""Build-context rules (SL2xx/SL3xx/SL4xx): what `COPY . .` sends, with Docker's .dockerignore rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from slimline.context.categories import category_by_name
from slimline.dockerfile.model import Instruction
from slimline.lint.context import RuleContext
from slimline.lint.model import Category, Finding, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._util import copy_sources, is_broad_copy
from slimline.units import human_size

if TYPE_CHECKING:
    from slimline.context.scan import ContextScan

#: A context above either limit is reported by SL206.
LARGE_CONTEXT_BYTES = 100 * 1024 * 1024
LARGE_CONTEXT_FILES = 10_000


def _scan(ctx: RuleContext) -> ContextScan | None:
    directory = ctx.context_dir
    if directory is None:
        return None
    path = ctx.df.path

    def compute() -> ContextScan:
        from slimline.context.scan import scan_context

        return scan_context(directory, dockerfile_path=path, largest=5)

    result: ContextScan = ctx.data.cached("context-scan", compute)
    return result


def _first_broad_copy(ctx: RuleContext) -> Instruction | None:
    for inst in ctx.df.instructions:
        if inst.keyword != "ONBUILD" and is_broad_copy(inst, ctx.df.escape):
            return inst
    return None


def _category_summary(
    scan: ContextScan, names: set[str] | None, sensitive: bool | None
) -> list[str]:
    parts: list[str] = []
    for hit in scan.categories:
        cat = category_by_name(hit.category)
        if names is not None and hit.category not in names:
            continue
        if sensitive is not None and cat.sensitive != sensitive:
            continue
        what = f"{hit.path}/" if hit.kind == "dir" else hit.path
        parts.append(f"{what} ({human_size(hit.bytes)})" if hit.kind == "dir" else what)
    return parts


def _sent(scan: ContextScan) -> str:
    return f"{scan.file_count} file{'s' if scan.file_count != 1 else ''}, {human_size(scan.total_bytes)}"


@rule(
    "SL203",
    "no-dockerignore",
    Severity.WARNING,
    Category.SIZE,
    needs_context=True,
)
def no_dockerignore(ctx: RuleContext) -> Iterator[Finding]:
    """The build copies the whole context and there is no .dockerignore.

    ## Why
    `COPY . .` copies everything in the build context: `.git`, virtualenvs,
    `node_modules`, caches, test data, `.env` files. They bloat the image, leak
    secrets and invalidate the layer cache on every unrelated change. A
    `.dockerignore` (Docker's own pattern rules, not `.gitignore`'s) keeps them out.

    ## Bad
    ```dockerfile
    # no .dockerignore next to this Dockerfile
    FROM python:3.11-slim
    COPY . /app
    ```

    ## Good
    ```dockerfile
    # .dockerignore: .git  __pycache__  *.pyc  .venv  .env  .env.*  Dockerfile*
    FROM python:3.11-slim
    COPY . /app
    ```

    ## Fix
    Safe: `slimline fix` writes a `.dockerignore` for the project's language that
    never excludes a path a COPY of this Dockerfile needs.
    """
    from slimline.context.dockerignore import find_ignore_file

    directory = ctx.context_dir
    if directory is None:
        return
    broad = _first_broad_copy(ctx)
    if broad is None or find_ignore_file(directory, ctx.df.path) is not None:
        return
    scan = _scan(ctx)
    if scan is None:
        return
    notable = _category_summary(scan, None, None)
    message = (
        f"no .dockerignore: `{broad.keyword} {broad.args}` sends the whole context ({_sent(scan)})"
    )
    if notable:
        message += ", including " + ", ".join(notable[:4]) + (" …" if len(notable) > 4 else "")
    yield ctx.report(
        broad,
        message,
        hint="add a .dockerignore (`slimline fix` writes one)",
        data={"files": scan.file_count, "bytes": scan.total_bytes},
    )


@rule(
    "SL204",
    "context-sends-junk",
    Severity.WARNING,
    Category.SIZE,
    needs_context=True,
)
def context_sends_junk(ctx: RuleContext) -> Iterator[Finding]:
    """The .dockerignore lets VCS data, virtualenvs, node_modules, caches or build output through.

    ## Why
    Whatever a broad `COPY` copies lands in the image. `.git` alone is often
    larger than the application; a local virtualenv or `node_modules` was built
    for the host, not the image, and can break it. Exclude them in
    `.dockerignore`.

    ## Bad
    ```dockerfile
    # .dockerignore only has: *.log
    FROM node:20-slim
    COPY . /app
    ```

    ## Good
    ```dockerfile
    # .dockerignore: .git  node_modules  dist  .env  .env.*  *.log
    FROM node:20-slim
    COPY . /app
    ```
    """
    from slimline.context.dockerignore import find_ignore_file

    directory = ctx.context_dir
    if directory is None:
        return
    broad = _first_broad_copy(ctx)
    if broad is None or find_ignore_file(directory, ctx.df.path) is None:
        return
    scan = _scan(ctx)
    if scan is None:
        return
    junk = _category_summary(scan, None, False)
    if not junk:
        return
    names = sorted(
        {h.category for h in scan.categories if not category_by_name(h.category).sensitive}
    )
    lines = [line for n in names for line in category_by_name(n).dockerignore[:1]]
    yield ctx.report(
        broad,
        f"`{broad.keyword} {broad.args}` copies "
        + ", ".join(junk[:5])
        + (" …" if len(junk) > 5 else ""),
        hint="add to .dockerignore: " + "  ".join(lines),
        data={"categories": names},
    )


@rule(
    "SL205",
    "context-sends-secrets",
    Severity.ERROR,
    Category.SECURITY,
    needs_context=True,
)
def context_sends_secrets(ctx: RuleContext) -> Iterator[Finding]:
    """A broad COPY sends credentials (.env, keys, cloud and SSH config) into the image.

    ## Why
    Files copied into a layer can be read by anyone who pulls the image, even if a
    later RUN deletes them. Keep `.env` files, private keys and credential
    directories out with `.dockerignore`; pass secrets at build time with
    `RUN --mount=type=secret`.

    ## Bad
    ```dockerfile
    # the context holds .env and deploy.pem; .dockerignore does not exclude them
    COPY . /app
    ```

    ## Good
    ```dockerfile
    # .dockerignore: .env  .env.*  *.pem  *.key
    COPY . /app
    ```
    """
    if ctx.context_dir is None:
        return
    broad = _first_broad_copy(ctx)
    if broad is None:
        return
    scan = _scan(ctx)
    if scan is None:
        return
    secrets = _category_summary(scan, None, True)
    if secrets:
        yield ctx.report(
            broad,
            f"`{broad.keyword} {broad.args}` copies secrets into the image: "
            + ", ".join(secrets[:5]),
            hint="exclude them in .dockerignore and use build secrets instead",
        )


@rule("SL206", "large-build-context", Severity.INFO, Category.SIZE, needs_context=True)
def large_build_context(ctx: RuleContext) -> Iterator[Finding]:
    """A broad COPY sends a large build context (over 100 MB or 10,000 files).

    ## Why
    Everything sent by `COPY . .` is transferred to the builder and stored in a
    layer. A large context is usually data, artifacts or dependencies that do not
    belong in the image. The finding lists the largest files.

    ## Bad
    ```dockerfile
    # the context holds data/ (2 GB of training data)
    COPY . /app
    ```

    ## Good
    ```dockerfile
    COPY src/ /app/src/
    COPY pyproject.toml /app/
    ```
    """
    if ctx.context_dir is None:
        return
    broad = _first_broad_copy(ctx)
    if broad is None:
        return
    scan = _scan(ctx)
    if scan is None or (
        scan.total_bytes <= LARGE_CONTEXT_BYTES and scan.file_count <= LARGE_CONTEXT_FILES
    ):
        return
    largest = ", ".join(f"{e.path} ({human_size(e.size)})" for e in scan.largest[:3])
    yield ctx.report(
        broad,
        f"`{broad.keyword} {broad.args}` sends a large context ({_sent(scan)}); largest: {largest}",
        hint="exclude data and artifacts in .dockerignore, or copy only what the image needs",
        data={
            "files": scan.file_count,
            "bytes": scan.total_bytes,
            "largest": [{"path": e.path, "bytes": e.size} for e in scan.largest],
        },
    )


@rule("SL207", "copy-source-ignored", Severity.ERROR, Category.CORRECTNESS, needs_context=True)
def copy_source_ignored(ctx: RuleContext) -> Iterator[Finding]:
    """A COPY or ADD source is excluded by .dockerignore, so the build cannot see it.

    ## Why
    Docker applies `.dockerignore` before the build: an excluded source makes
    `COPY` fail with "not found" (or copy nothing, for a wildcard). Remove the
    pattern or add an exception (`!path`).

    ## Bad
    ```dockerfile
    # .dockerignore: *.txt
    COPY requirements.txt .
    ```

    ## Good
    ```dockerfile
    # .dockerignore: *.txt  !requirements.txt
    COPY requirements.txt .
    ```
    """
    from slimline.context.copycheck import check_copy_sources
    from slimline.context.dockerignore import DockerIgnore, find_ignore_file

    directory = ctx.context_dir
    if directory is None or find_ignore_file(directory, ctx.df.path) is None:
        return
    ignore = ctx.data.cached("dockerignore", lambda: DockerIgnore.load(directory, ctx.df.path))
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None or eff.heredocs:
            continue
        sources = [ctx.sem.expand(inst, s) for s in copy_sources(inst, ctx.df.escape)]
        for check in check_copy_sources(ignore, sources, directory):
            if check.blocked and check.patterns:
                pattern = check.patterns[-1]
                yield ctx.report(
                    inst,
                    f"`{check.source}` is excluded by .dockerignore line {pattern.line} (`{pattern.source}`)",
                    hint=f"remove that pattern or add `!{check.path}`",
                )
