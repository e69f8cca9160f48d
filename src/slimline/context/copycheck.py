"""Which COPY/ADD sources an ignore file would keep from the build.

A ``.dockerignore`` that excludes a path a ``COPY`` needs breaks the build
("not found") or silently copies less. Fixes and the ``.dockerignore``
generator call :func:`check_copy_sources` with the Dockerfile's local sources
and a proposed :class:`DockerIgnore` and refuse any pattern that excludes one.

Sources follow Docker's rules: relative to the context root, cleaned, unable
to leave the root; a source with ``*``, ``?`` or ``[`` is a wildcard matched
with Go's ``filepath.Match`` against paths below its literal directory
prefix (``*`` does not cross ``/``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from slimline.context.dockerignore import DockerIgnore, IgnorePattern, normalize_context_path
from slimline.context.gosemantics import BadPattern, go_match
from slimline.context.scan import walk_context

__all__ = ["CopySourceCheck", "CopyStatus", "check_copy_sources", "contains_wildcards"]

CopyStatus = Literal["ok", "partial", "excluded", "missing"]
_SAMPLE = 20


@dataclass(frozen=True)
class CopySourceCheck:
    """The effect of the ignore file on one COPY/ADD source."""

    source: str
    """The source as written in the Dockerfile."""
    path: str
    """The source in context form (cleaned, relative)."""
    status: CopyStatus
    """``excluded``: nothing the source names reaches the builder (the COPY
    fails or copies nothing); ``partial``: some files under it are excluded;
    ``ok``: nothing it names is excluded; ``missing``: it names nothing in the
    context (only reported when the context directory is given)."""
    matched: tuple[str, ...] = ()
    """Context paths the source names (wildcards expanded), at most 20."""
    excluded: tuple[str, ...] = ()
    """Excluded paths among what it would copy, at most 20."""
    patterns: tuple[IgnorePattern, ...] = ()
    """The patterns that decided those exclusions, in file order."""
    sent_files: int = 0
    excluded_entries: int = 0

    @property
    def blocked(self) -> bool:
        """True when the ignore file defeats this source entirely."""
        return self.status == "excluded"


def contains_wildcards(source: str) -> bool:
    """True when BuildKit treats ``source`` as a wildcard (``*``, ``?``, ``[`` unescaped)."""
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "*?[":
            return True
        i += 1
    return False


def _split_wildcard(path: str) -> tuple[str, str]:
    """Split into the literal directory prefix and the wildcard remainder."""
    parts = path.split("/")
    prefix: list[str] = []
    for index, part in enumerate(parts):
        if contains_wildcards(part):
            return "/".join(prefix) or ".", "/".join(parts[index:])
        prefix.append(part)
    return path, ""  # pragma: no cover - callers only pass wildcard paths


def _expand(root: Path, path: str, limit: int) -> list[str]:
    base, rest = _split_wildcard(path)
    depth = rest.count("/") + 1
    out: list[str] = []
    stack: list[tuple[str, int]] = [(base, 0)]
    while stack and len(out) < limit:
        rel_dir, level = stack.pop()
        abs_dir = root if rel_dir == "." else root / rel_dir
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            rel = entry.name if rel_dir == "." else f"{rel_dir}/{entry.name}"
            below = rel if base == "." else rel[len(base) + 1 :]
            try:
                hit = go_match(rest, below)
            except BadPattern:
                return []
            if hit:
                out.append(rel)
            elif level + 1 < depth and entry.is_dir(follow_symlinks=False):
                stack.append((rel, level + 1))
    return sorted(out)


def _check_without_context(source: str, path: str, ignore: DockerIgnore) -> CopySourceCheck:
    verdict = ignore.why(path)
    if verdict.excluded:
        return CopySourceCheck(
            source=source,
            path=path,
            status="excluded",
            excluded=(path,),
            patterns=(verdict.pattern,) if verdict.pattern is not None else (),
            excluded_entries=1,
        )
    return CopySourceCheck(source=source, path=path, status="ok")


def _check_in_context(
    source: str, path: str, ignore: DockerIgnore, root: Path, max_entries: int | None
) -> CopySourceCheck:
    if contains_wildcards(path):
        targets = _expand(root, path, limit=100_000)
    else:
        targets = [path] if path == "." or os.path.lexists(root / path) else []
    if not targets:
        return CopySourceCheck(source=source, path=path, status="missing")
    sent = 0
    excluded_count = 0
    excluded: list[str] = []
    deciders: dict[int, IgnorePattern] = {}
    for target in targets:
        verdict = ignore.why(target)
        is_dir = target == "." or ((root / target).is_dir() and not (root / target).is_symlink())
        if not is_dir or verdict.pruned_at is not None:
            if verdict.excluded:
                excluded_count += 1
                excluded.append(target)
                if verdict.pattern is not None:
                    deciders[verdict.pattern.line] = verdict.pattern
            else:
                sent += 1
            continue
        if verdict.excluded and not ignore.must_descend(target):
            excluded_count += 1
            excluded.append(target)
            if verdict.pattern is not None:
                deciders[verdict.pattern.line] = verdict.pattern
            continue
        dir_sent = 0
        dir_excluded = 0
        for item in walk_context(
            root, ignore, start=target, max_entries=max_entries, classify=False
        ):
            if item.error is not None:
                continue
            if item.sent:
                if item.kind != "dir":
                    dir_sent += 1
                continue
            if item.kind == "dir" and not item.pruned:
                continue  # excluded but walked: its content is judged one by one
            dir_excluded += 1
            if len(excluded) < _SAMPLE:
                excluded.append(item.path)
            if item.pattern is not None:
                deciders[item.pattern.line] = item.pattern
        if verdict.excluded and dir_sent == 0:
            dir_excluded += 1
            excluded.append(target)
            if verdict.pattern is not None:
                deciders[verdict.pattern.line] = verdict.pattern
        elif not verdict.excluded and dir_sent == 0 and dir_excluded == 0:
            dir_sent = 1  # an empty directory is still copied
        sent += dir_sent
        excluded_count += dir_excluded
    if excluded_count == 0:
        status: CopyStatus = "ok"
    elif sent == 0:
        status = "excluded"
    else:
        status = "partial"
    return CopySourceCheck(
        source=source,
        path=path,
        status=status,
        matched=tuple(targets[:_SAMPLE]),
        excluded=tuple(excluded[:_SAMPLE]),
        patterns=tuple(deciders[k] for k in sorted(deciders)),
        sent_files=sent,
        excluded_entries=excluded_count,
    )


def check_copy_sources(
    ignore: DockerIgnore,
    sources: Iterable[str],
    context_dir: str | Path | None = None,
    *,
    max_entries: int | None = 500_000,
) -> list[CopySourceCheck]:
    """Report, for each COPY/ADD source, whether ``ignore`` would exclude it.

    With ``context_dir`` the real files are consulted: wildcards are expanded
    and directories walked, so partial exclusions are found. Without it only
    the source path itself is judged (a wildcard is then judged as the literal
    text), which still catches a pattern that names the source or a parent.
    URLs (``http://``, ``https://``, ``git@``) are not context paths and are
    skipped.
    """
    root = Path(context_dir) if context_dir is not None else None
    out: list[CopySourceCheck] = []
    for source in sources:
        if "://" in source or source.startswith("git@"):
            continue
        path = normalize_context_path(source)
        if root is None:
            out.append(_check_without_context(source, path, ignore))
        else:
            out.append(_check_in_context(source, path, ignore, root, max_entries))
    return out
