"""Correctness rules about how BuildKit reads instructions (SL411, SL417, SL418, SL420, SL421):
CMD and ENTRYPOINT forms, JSON arrays, unknown keywords."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator

from slimline.dockerfile.model import Instruction
from slimline.dockerfile.parser import EXEC_FORM_KEYWORDS, KNOWN_KEYWORDS
from slimline.lint.context import RuleContext
from slimline.lint.fixes import Fix, FixOptions, fixer
from slimline.lint.model import Category, Finding, FixKind, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._edits import exec_form_fix

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
        extra = (
            " and ignores CMD and `docker run` arguments" if inst.keyword == "ENTRYPOINT" else ""
        )
        yield ctx.report(
            inst,
            f"shell-form {inst.keyword} runs under `/bin/sh -c`: the app may not receive SIGTERM{extra}",
            hint=f'use the exec form: {inst.keyword} ["executable", "arg", ...]',
        )


@fixer("SL411", FixKind.UNSAFE)
def fix_shell_form_cmd(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    """Unsafe: without the shell the program is PID 1 itself (signal handling changes),
    a shell-form ENTRYPOINT starts receiving CMD and `docker run` arguments, and a
    SHELL instruction no longer applies."""
    yield from exec_form_fix(ctx, finding, "use the exec form", FixKind.UNSAFE)


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
        yield ctx.report(
            inst,
            f"another CMD in this stage (first on line {first.line}): only the last one takes effect",
        )


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
            inst,
            f"another ENTRYPOINT in this stage (first on line {first.line}): only the last one takes effect",
        )


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
        if keyword.lower() in _SHELL_WORDS:
            # `else`, `export`, `fi`...: a shell script line whose `\` continuation is missing.
            hint = "this looks like shell: end the line before it with `\\` to continue the RUN"
        else:
            hint = f"did you mean `{close[0]}`?" if close else "BuildKit rejects the file"
        yield ctx.report(inst, f"unknown instruction `{shown}`", hint=hint)


#: Shell keywords and builtins that start a line of a RUN script, not an instruction.
_SHELL_WORDS = frozenset(
    ["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "export", "set", "echo", "cd", "source", "unset", "exit", "return", "local", "test"]
)


_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_CLOSING = {
    '"': '"',
    "'": "'",
    "\u201c": "\u201d",
    "\u201d": "\u201d",
    "\u2018": "\u2019",
    "\u2019": "\u2019",
}
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
            yield ctx.report(
                inst, "SHELL needs the JSON form", hint='write SHELL ["/bin/bash", "-c"]'
            )
            continue
        why = looks_like_json_array(args, command=keyword not in ("COPY", "ADD", "VOLUME"))
        if why is None:
            continue
        consequence = (
            "BuildKit rejects it" if why == NOT_STRINGS else "Docker runs them as shell form"
        )
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
