"""Walking a build context the way Docker sends it.

The walk visits entries in name order, never follows symbolic links, matches
each entry against the ignore patterns with the parent directory's results
(as BuildKit and the docker CLI do), and does not enter an excluded directory
unless an exception pattern could re-include something inside it. Unreadable
directories and files are reported, not raised.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from slimline.context.categories import VENV_MARKER, CategoryMatch, Classifier
from slimline.context.dockerignore import DockerIgnore, IgnorePattern, normalize_context_path
from slimline.errors import SlimlineError

__all__ = [
    "CategoryHit",
    "ContextEntry",
    "ContextScan",
    "ExcludedEntry",
    "UnreadableEntry",
    "WalkItem",
    "scan_context",
    "walk_context",
]

EntryKind = Literal["file", "dir", "symlink", "other"]
DEFAULT_MAX_ENTRIES = 2_000_000


@dataclass(frozen=True)
class ContextEntry:
    """A non-directory entry that is sent to the builder."""

    path: str
    size: int
    """Bytes of a regular file's content; 0 for links and special files."""
    kind: EntryKind


@dataclass(frozen=True)
class ExcludedEntry:
    """An entry the ignore file keeps out (directories are not looked into)."""

    path: str
    is_dir: bool
    pattern: IgnorePattern | None


@dataclass(frozen=True)
class UnreadableEntry:
    """An entry that could not be read; Docker would fail the build on it."""

    path: str
    error: str


@dataclass(frozen=True)
class CategoryHit:
    """Sent files of one notable category under one root (``.git``, ``a/.env``)."""

    category: str
    path: str
    kind: Literal["dir", "file"]
    files: int
    bytes: int


@dataclass(frozen=True)
class WalkItem:
    """One entry met during a walk."""

    path: str
    kind: EntryKind
    sent: bool
    size: int = 0
    pattern: IgnorePattern | None = None
    """The deciding pattern when one matched (excluded or re-included)."""
    pruned: bool = False
    """An excluded directory Docker does not walk into."""
    error: str | None = None
    category: CategoryMatch | None = None


@dataclass(frozen=True)
class ContextScan:
    """What a ``COPY . .`` of this context would see, and what stands out in it."""

    context_dir: Path
    ignore_file: Path | None
    builder: str
    files: tuple[ContextEntry, ...]
    """Every sent non-directory entry, sorted by path."""
    directories: tuple[str, ...]
    """Every directory present in the sent context, sorted."""
    total_bytes: int
    largest: tuple[ContextEntry, ...]
    categories: tuple[CategoryHit, ...]
    excluded: tuple[ExcludedEntry, ...]
    unreadable: tuple[UnreadableEntry, ...]
    build_files: tuple[str, ...]
    """Dockerfile and ignore file: the builder receives them even when excluded
    (they are then not visible to COPY)."""
    truncated: bool = False
    """The walk stopped at its entry limit; counts are lower bounds."""
    _by_path: dict[str, ContextEntry] = field(default_factory=dict, repr=False, compare=False)

    @property
    def file_count(self) -> int:
        """Number of sent non-directory entries."""
        return len(self.files)

    @property
    def sent_paths(self) -> tuple[str, ...]:
        """Paths of every sent non-directory entry."""
        return tuple(f.path for f in self.files)

    def by_category(self, name: str) -> tuple[CategoryHit, ...]:
        """The hits of one category (``"secrets"``, ``"vcs"``...)."""
        return tuple(h for h in self.categories if h.category == name)

    def get(self, path: str) -> ContextEntry | None:
        """The sent entry at ``path``, if it is sent."""
        if not self._by_path:
            self._by_path.update((f.path, f) for f in self.files)
        return self._by_path.get(normalize_context_path(path))


def _kind(mode: int) -> EntryKind:
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


def _start_state(ignore: DockerIgnore, start: str) -> tuple[bool, tuple[bool, ...] | None, bool]:
    """Walk the chain down to ``start``: (reachable, parent info for its children, excluded)."""
    if start == ".":
        return True, None, False
    parts = start.split("/")
    info: tuple[bool, ...] | None = None
    excluded = False
    for depth in range(1, len(parts) + 1):
        current = "/".join(parts[:depth])
        result = ignore.match_entry(current, info)
        excluded = result.excluded
        info = result.parent_info
        if excluded and not ignore.must_descend(current):
            return False, info, True
    return True, info, excluded


#: Source files: a directory that holds one itself is source code, whatever its name.
_SOURCE_SUFFIXES = (".go", ".py", ".rs", ".java", ".kt", ".ts", ".rb", ".c", ".h", ".cs", ".php")


def _holds_sources(path: str) -> bool:
    """Whether a directory has source files directly in it (``cmd/buildctl/build/*.go``);
    compiled output (``build/classes``, ``dist/*.js`` bundles, ``target/``) has none there."""
    try:
        with os.scandir(path) as it:
            return any(e.name.endswith(_SOURCE_SUFFIXES) and e.is_file() for e in it)
    except OSError:
        return False


def _dir_category(classifier: Classifier, directory: str) -> CategoryMatch | None:
    if directory == ".":
        return None
    parts = directory.split("/")
    for depth in range(1, len(parts) + 1):
        found = classifier.dir_category(parts[depth - 1])
        if found is not None:
            return CategoryMatch(category=found, root="/".join(parts[:depth]), kind="dir")
    return None


def walk_context(
    context_dir: str | Path,
    ignore: DockerIgnore,
    *,
    start: str = ".",
    max_entries: int | None = DEFAULT_MAX_ENTRIES,
    classify: bool = True,
) -> Iterator[WalkItem]:
    """Yield every entry Docker looks at, in walk order, below ``start``.

    Excluded entries are yielded with ``sent=False``; a pruned directory's
    content is not visited. When ``max_entries`` entries have been yielded the
    walk stops after yielding a final item with ``error="entry limit reached"``.
    """
    root = Path(context_dir)
    start = normalize_context_path(start)
    reachable, start_info, start_excluded = _start_state(ignore, start)
    if not reachable:
        return
    classifier = Classifier() if classify else None
    start_category = _dir_category(classifier, start) if classifier is not None else None
    # Stack of (relative dir, parent info for its entries, inherited category, excluded).
    stack: list[tuple[str, tuple[bool, ...] | None, CategoryMatch | None, bool]] = [
        (start, start_info, start_category, start_excluded)
    ]
    seen = 0
    while stack:
        rel_dir, info, inherited, dir_excluded = stack.pop()
        abs_dir = root if rel_dir == "." else root / rel_dir
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if not dir_excluded:  # Docker ignores errors inside excluded directories
                yield WalkItem(path=rel_dir, kind="dir", sent=False, error=exc.strerror or str(exc))
            continue
        if (
            inherited is None
            and rel_dir != "."
            and any(e.name == VENV_MARKER and not e.is_dir(follow_symlinks=False) for e in entries)
        ):
            inherited = CategoryMatch(category="virtualenv", root=rel_dir, kind="dir")
        children: list[tuple[str, tuple[bool, ...] | None, CategoryMatch | None, bool]] = []
        for entry in entries:
            if max_entries is not None and seen >= max_entries:
                yield WalkItem(path=rel_dir, kind="dir", sent=False, error="entry limit reached")
                return
            seen += 1
            rel = entry.name if rel_dir == "." else f"{rel_dir}/{entry.name}"
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield WalkItem(path=rel, kind="other", sent=False, error=exc.strerror or str(exc))
                continue
            kind = _kind(st.st_mode)
            result = ignore.match_entry(rel, info)
            pattern = ignore.patterns[result.decider] if result.decider is not None else None
            if kind == "dir":
                category = inherited
                if category is None and classifier is not None:
                    found = classifier.dir_category(entry.name)
                    if found == "build_output" and _holds_sources(entry.path):
                        found = None  # a Go package called `build/`, not build output
                    if found is not None:
                        category = CategoryMatch(category=found, root=rel, kind="dir")
                if result.excluded and not ignore.must_descend(rel):
                    yield WalkItem(path=rel, kind=kind, sent=False, pattern=pattern, pruned=True)
                    continue
                yield WalkItem(
                    path=rel,
                    kind=kind,
                    sent=not result.excluded or ignore.sends_walked_excluded_dirs,
                    pattern=pattern,
                    category=category,
                )
                children.append((rel, result.parent_info, category, result.excluded))
                continue
            if result.excluded:
                yield WalkItem(path=rel, kind=kind, sent=False, pattern=pattern)
                continue
            category = inherited
            if category is None and classifier is not None:
                found = classifier.file_category(entry.name)
                if found is not None:
                    category = CategoryMatch(category=found, root=rel, kind="file")
            error = None
            if kind == "file" and not os.access(entry.path, os.R_OK):
                error = "Permission denied"
            yield WalkItem(
                path=rel,
                kind=kind,
                sent=error is None,
                size=st.st_size if kind == "file" else 0,
                pattern=pattern,
                error=error,
                category=category,
            )
        # Depth first, in name order: push children reversed.
        stack.extend(reversed(children))


def scan_context(
    context_dir: str | Path,
    ignore: DockerIgnore | None = None,
    *,
    dockerfile_path: str | Path | None = None,
    largest: int = 10,
    max_entries: int | None = DEFAULT_MAX_ENTRIES,
) -> ContextScan:
    """Scan a build context: what is sent, how much, the largest files, what stands out.

    ``ignore`` defaults to the ignore file Docker would use (see
    :meth:`DockerIgnore.load`). Raises :class:`SlimlineError` when the
    context is not a directory or the ignore file is invalid.
    """
    root = Path(context_dir)
    if not root.is_dir():
        raise SlimlineError("build context is not a directory", path=root)
    if ignore is None:
        ignore = DockerIgnore.load(root, dockerfile_path)
    walk_ignore, hidden = _classic_build_file_rule(root, ignore, dockerfile_path)
    files: list[ContextEntry] = []
    directories: set[str] = set()
    excluded: list[ExcludedEntry] = []
    unreadable: list[UnreadableEntry] = []
    hit_meta: dict[str, CategoryMatch] = {}
    hit_counts: dict[str, list[int]] = {}
    truncated = False
    for item in walk_context(root, walk_ignore, max_entries=max_entries):
        if item.error is not None:
            if item.error == "entry limit reached":
                truncated = True
            else:
                unreadable.append(UnreadableEntry(path=item.path, error=item.error))
            continue
        if not item.sent:
            if item.pruned or item.kind != "dir":
                excluded.append(
                    ExcludedEntry(path=item.path, is_dir=item.kind == "dir", pattern=item.pattern)
                )
            continue
        _add_parents(directories, item.path)
        if item.path in hidden:
            continue
        if item.kind == "dir":
            directories.add(item.path)
            continue
        files.append(ContextEntry(path=item.path, size=item.size, kind=item.kind))
        if item.category is not None:
            hit_meta.setdefault(item.category.root, item.category)
            counts = hit_counts.setdefault(item.category.root, [0, 0])
            counts[0] += 1
            counts[1] += item.size
    files.sort(key=lambda f: f.path)
    categories = tuple(
        CategoryHit(
            category=hit_meta[root_path].category,
            path=root_path,
            kind=hit_meta[root_path].kind,
            files=counts[0],
            bytes=counts[1],
        )
        for root_path, counts in sorted(hit_counts.items())
    )
    return ContextScan(
        context_dir=root,
        ignore_file=ignore.path,
        builder=ignore.builder,
        files=tuple(files),
        directories=tuple(sorted(directories)),
        total_bytes=sum(f.size for f in files),
        largest=tuple(heapq.nlargest(largest, files, key=lambda f: (f.size, f.path))),
        categories=categories,
        excluded=tuple(excluded),
        unreadable=tuple(unreadable),
        build_files=_build_files(root, ignore, dockerfile_path),
        truncated=truncated,
    )


def _classic_build_file_rule(
    root: Path, ignore: DockerIgnore, dockerfile_path: str | Path | None
) -> tuple[DockerIgnore, frozenset[str]]:
    """The classic builder's handling of an excluded Dockerfile or ``.dockerignore``.

    The CLI adds ``!`` exceptions so both reach the daemon, which deletes them
    before the build. They are then invisible to COPY, but a directory that
    held them is still created in the context.
    """
    if ignore.builder != "classic":
        return ignore, frozenset()
    candidates = [".dockerignore"]
    dockerfile = Path(dockerfile_path) if dockerfile_path is not None else root / "Dockerfile"
    # Outside the context the CLI sends it under a name the build cannot see.
    with contextlib.suppress(ValueError):
        candidates.append(dockerfile.resolve().relative_to(root.resolve()).as_posix())
    keep = [c for c in candidates if ignore.excludes_build_file(c)]
    if not keep:
        return ignore, frozenset()
    return ignore.with_exceptions(keep), frozenset(keep)


def _add_parents(directories: set[str], path: str) -> None:
    parent = path.rpartition("/")[0]
    while parent and parent not in directories:
        directories.add(parent)
        parent = parent.rpartition("/")[0]


def _build_files(
    root: Path, ignore: DockerIgnore, dockerfile_path: str | Path | None
) -> tuple[str, ...]:
    found: list[str] = []
    candidates: list[Path] = []
    if dockerfile_path is not None:
        candidates.append(Path(dockerfile_path))
    else:
        candidates.append(root / "Dockerfile")
    if ignore.path is not None:
        candidates.append(ignore.path)
    resolved_root = root.resolve()
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            found.append(candidate.resolve().relative_to(resolved_root).as_posix())
        except ValueError:
            found.append(str(candidate))
    return tuple(dict.fromkeys(found))
