"""What rules know of an instruction's values: variables expanded with the ones in
scope, template placeholders, absolute paths, COPY/ADD operands."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from slimline.dockerfile.expand import expand
from slimline.dockerfile.model import Dockerfile, Instruction
from slimline.dockerfile.parser import AUTOMATIC_PLATFORM_ARGS, arg_pairs
from slimline.dockerfile.words import split_words
from slimline.lint.context import RuleContext

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
