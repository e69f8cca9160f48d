"""Correctness rules (SL4xx): what breaks builds or containers, most mapped to hadolint."""

from __future__ import annotations

from collections.abc import Iterator

from slimline.lint.context import RuleContext
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule


@rule(
    "SL416",
    "maintainer-deprecated",
    Severity.STYLE,
    Category.CORRECTNESS,
    hadolint=("DL4000",),
    fix=FixKind.SAFE,
)
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
            yield ctx.report(
                inst,
                "MAINTAINER is deprecated",
                hint='use `LABEL org.opencontainers.image.authors="..."`',
            )
