"""Image history: which instruction made each layer, and where the base image ends.

The config's ``history`` has one entry per build step; steps that changed no files
are marked ``empty_layer`` and own no layer. Aligning the two lists (skipping the
empty entries, as dive does) names the instruction behind every layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slimline.image.model import HistoryEntry

_NOP_RE = re.compile(r"^(?:/bin/(?:ba)?sh|/busybox/sh) -c #\(nop\)\s*")
_SHELL_RE = re.compile(r"^(?:\|\d+(?: \S+=\S*)* )?(/bin/(?:ba|da|z)?sh|/busybox/sh|sh|bash) -c ")
_BUILDKIT_SUFFIX = " # buildkit"
_KEYWORDS = frozenset(
    (
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    )
)


def instruction_of(created_by: str) -> str:
    """A Dockerfile-like rendering of a history entry's ``created_by``.

    ``/bin/sh -c #(nop)  CMD ["python3"]`` becomes ``CMD ["python3"]``,
    ``/bin/sh -c apt-get update`` and BuildKit's ``RUN /bin/sh -c apt-get update #
    buildkit`` become ``RUN apt-get update``; build-argument prefixes (``|2 A=1
    B=2``) are dropped.
    """
    text = created_by.strip()
    if not text:
        return ""
    if text.endswith(_BUILDKIT_SUFFIX):
        text = text[: -len(_BUILDKIT_SUFFIX)].rstrip()
    match = _NOP_RE.match(text)
    if match:
        return text[match.end():].strip()
    if text.startswith("RUN "):
        rest = text[4:].lstrip()
        shell = _SHELL_RE.match(rest)
        if shell:
            return "RUN " + rest[shell.end():].strip()
        if rest.startswith("|"):
            parts = rest.split(" ")
            try:
                count = int(parts[0][1:])
            except ValueError:
                return text
            return "RUN " + " ".join(parts[count + 1:]).strip()
        return text
    shell = _SHELL_RE.match(text)
    if shell:
        return "RUN " + text[shell.end():].strip()
    return text


def keyword_of(instruction: str) -> str:
    """The Dockerfile keyword an instruction starts with, or ``""``."""
    word = instruction.split(None, 1)[0].upper() if instruction.strip() else ""
    return word if word in _KEYWORDS else ""


@dataclass(frozen=True)
class LayerOrigin:
    """The history entry that made a layer (``history_index`` is -1 when unknown)."""

    history_index: int
    created_by: str
    instruction: str
    created: str | None
    comment: str


def align_history(history: tuple[HistoryEntry, ...], layer_count: int) -> list[LayerOrigin]:
    """Pair each layer with its history entry, skipping ``empty_layer`` entries.

    Layers beyond the history (history is optional metadata) get an unknown origin,
    shown as ``(missing)`` like dive does.
    """
    origins: list[LayerOrigin] = []
    position = 0
    for _ in range(layer_count):
        while position < len(history) and history[position].empty_layer:
            position += 1
        if position < len(history):
            entry = history[position]
            rendered = instruction_of(entry.created_by)
            if not rendered and entry.comment:
                rendered = f"({entry.comment.strip()})"
            origins.append(
                LayerOrigin(
                    position,
                    entry.created_by,
                    rendered,
                    entry.created,
                    entry.comment,
                )
            )
            position += 1
        else:
            origins.append(LayerOrigin(-1, "", "(missing)", None, ""))
    return origins


@dataclass(frozen=True)
class BaseBoundary:
    """How many layers (and history entries) come from the base image, and why we think so."""

    layers: int
    history_entries: int
    method: str  # "base-image", "history", "first-layer" or "none"
    name: str | None = None


def base_from_diff_ids(
    diff_ids: tuple[str, ...],
    history: tuple[HistoryEntry, ...],
    base_diff_ids: tuple[str, ...],
    base_history_length: int | None,
    name: str | None,
) -> BaseBoundary | None:
    """The base boundary when the base image's layers are a prefix of ours."""
    count = len(base_diff_ids)
    if count == 0 or tuple(diff_ids[:count]) != tuple(base_diff_ids):
        return None
    if base_history_length is None:
        # the entries up to the base's last layer, plus the metadata entries after it
        seen = 0
        entries = 0
        for i, entry in enumerate(history):
            if not entry.empty_layer:
                seen += 1
            if seen == count:
                entries = i + 1
                break
        base_history_length = entries
    return BaseBoundary(count, base_history_length, "base-image", name)


def base_from_history(history: tuple[HistoryEntry, ...], layer_count: int) -> BaseBoundary:
    """Guess the base image's end from the history alone.

    A base image ends with its default command: the last ``CMD``/``ENTRYPOINT`` entry
    that still has layer-making entries after it marks the boundary. Without one,
    fall back to dive's rule: the first layer is the base.
    """
    boundary = -1
    for i, entry in enumerate(history):
        if keyword_of(instruction_of(entry.created_by)) in ("CMD", "ENTRYPOINT") and any(
            not later.empty_layer for later in history[i + 1:]
        ):
            boundary = i
    if boundary >= 0:
        layers = sum(1 for e in history[: boundary + 1] if not e.empty_layer)
        if 0 < layers <= layer_count:
            return BaseBoundary(layers, boundary + 1, "history")
    if layer_count == 0:
        return BaseBoundary(0, 0, "none")
    first = 0
    for i, entry in enumerate(history):
        if not entry.empty_layer:
            first = i + 1
            break
    return BaseBoundary(1, first, "first-layer")
