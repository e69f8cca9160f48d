"""Dockerfile templates (Jinja/Go `{{ }}`, docker-library `%%VARIANT%%`, autoconf `@VAR@`):
one clear message instead of a finding for every placeholder."""

from __future__ import annotations

import re

from slimline.dockerfile.model import Dockerfile
from slimline.errors import ParseError

#: A placeholder of a template language.
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|%%[A-Za-z0-9_]+%%|@[A-Z][A-Z0-9_]*@")
#: Placeholders that are never shell or Docker syntax, wherever they are.
_ANYWHERE = re.compile(r"%%[A-Za-z0-9_]+%%|\{%.*?%\}")


def placeholder(df: Dockerfile) -> tuple[int, str] | None:
    """The first template placeholder that shows the file is a template: (line, text).

    A keyword that is a placeholder (`{% if %}`, `@INSTRUCTION@`), a placeholder in a FROM,
    or a `%%NAME%%`/`{% %}` anywhere. `{{ }}` elsewhere is left alone: `docker inspect
    --format '{{.Id}}'` in a RUN is Go template syntax that the build really runs."""
    for inst in df.instructions:
        text = inst.logical.text
        start = _PLACEHOLDER.match(text.lstrip())
        if start is not None:  # the keyword itself: `{% if x %}`, `@INSTRUCTIONS@`
            return inst.line, start.group(0)
        target = inst.inner if inst.keyword == "ONBUILD" and inst.inner is not None else inst
        found = _PLACEHOLDER.search(target.args) if target.keyword == "FROM" else None
        found = found or _ANYWHERE.search(text)
        if found:
            return inst.line, found.group(0)
    return None


def refuse_template(df: Dockerfile) -> None:
    """Raise a ParseError (exit 2 in the CLI) when ``df`` is a template."""
    hit = placeholder(df)
    if hit is not None:
        line, text = hit
        raise ParseError(
            f"looks like a template (`{text}`): render it first, then lint the result",
            path=df.display_path,
            line=line,
        )
