"""The merged file tree: layers stacked in order, with exact whiteout semantics.

:class:`Merger` takes each layer's entries (from :mod:`slimline.image.tarscan`) in
order and keeps the image's filesystem as it would be after that layer:

* ``.wh.NAME`` deletes NAME (and everything below it) from the layers beneath;
  ``DIR/.wh..wh..opq`` hides everything the layers beneath put in DIR. Whiteouts
  apply to lower layers only, never to entries of their own layer.
* A non-directory that replaces a directory hides the directory's contents.
* A hardlink shares its target's data: squashing keeps that data once, as long
  as any path still refers to it.

Every byte a layer adds is accounted for: either it is in the final image, or a
later layer shadowed or deleted it (wasted, attributed to the layer that added it
and to the layer that hid it). Squashing the image keeps each surviving data
object once; the difference to the total is what squashing reclaims.

Alongside, the merger computes dive's efficiency score exactly the way dive 0.13
does (see :class:`DiveCounter`), including the places where dive's model differs
from the real filesystem: dive ignores opaque directories, keeps a directory's
children when a file replaces it, sizes a whited-out file as 0 bytes and a
whited-out directory as the sum of what was under it.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from slimline.analysis.categories import Classifier
from slimline.image.tarscan import (
    DIR,
    FILE,
    HARDLINK,
    OPAQUE,
    WHITEOUT,
    Entry,
    LayerScan,
)
from slimline.image.tree import WhiteoutTree
from slimline.knowledge.categories import BIN_DIRS

#: A version of a path: (layer index, kind, size, category index, hardlink target).
#: The target is the version whose data a hardlink shares, else None.
Version = tuple[int, int, int, int, "Version | None"]

_TOP_PER_LAYER = 10


@dataclass(slots=True)
class LayerStats:
    """What one layer did to the filesystem."""

    index: int
    entries: int = 0
    files_added: int = 0
    files_changed: int = 0
    files_removed: int = 0
    dirs_added: int = 0
    whiteouts: int = 0
    content_bytes: int = 0
    tar_bytes: int = 0
    wasted_bytes: int = 0
    removed_bytes: int = 0
    category_bytes: dict[int, int] = field(default_factory=dict)
    category_files: dict[int, int] = field(default_factory=dict)
    wasted_category_bytes: dict[int, int] = field(default_factory=dict)
    #: bytes this layer hid, by the layer that had added them
    removed_from: dict[int, int] = field(default_factory=dict)
    #: bytes of this layer hidden later, by the layer that hid them
    wasted_by: dict[int, int] = field(default_factory=dict)
    largest: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class DiveStats:
    """dive 0.13's numbers for an image (see :class:`DiveCounter`)."""

    efficiency: float
    wasted_bytes: int
    size_bytes: int
    user_size_bytes: int
    user_wasted_percent: float | None
    inefficient: list[tuple[str, int, int]]  # (path, count, cumulative bytes), largest first
    min_sum: int
    cumulative_sum: int


class DiveCounter:
    """dive's efficiency, reproduced from its source (``filetree/efficiency.go``).

    dive builds one tree per layer and visits, in each, the leaves (nodes without
    children; directories with entries below them are skipped). For each path it
    keeps the number of nodes seen, their cumulative size and the smallest size.
    A whiteout's size is 0 when it deletes a file, and the sum of every node
    below when it deletes a directory, looked up in the stack of the layers below.
    efficiency = sum of smallest sizes / sum of cumulative sizes; wasted bytes =
    cumulative size of every path seen twice or more (the kept copy included).

    dive quirks kept on purpose, for identical numbers: a whiteout whose target
    is missing from the layers below ends that layer's visit (later leaves in
    name order are not counted) and adds the path with a smallest size of -1.
    """

    __slots__ = ("cumulative", "min_sum", "paths")

    def __init__(self) -> None:
        # path -> size (seen once) or [smallest, cumulative, count]
        self.paths: dict[str, int | list[int]] = {}
        self.min_sum = 0
        self.cumulative = 0

    def add(self, path: str, size: int) -> None:
        paths = self.paths
        seen = paths.get(path)
        if seen is None:
            paths[path] = size
            self.min_sum += size
            self.cumulative += size
            return
        if isinstance(seen, int):
            seen = [seen, seen, 1]
            paths[path] = seen
        smallest = seen[0]
        if smallest < 0 or size < smallest:
            self.min_sum += size - smallest
            seen[0] = size
        seen[1] += size
        seen[2] += 1
        self.cumulative += size

    def phantom(self, path: str) -> None:
        """dive's entry for a whiteout whose target it cannot find."""
        if path not in self.paths:
            self.paths[path] = [-1, 0, 0]
            self.min_sum -= 1

    def result(self, layer_sizes: list[int], top: int) -> DiveStats:
        wasted = 0
        inefficient: list[tuple[str, int, int]] = []
        for path, seen in self.paths.items():
            if isinstance(seen, list) and seen[2] >= 2:
                wasted += seen[1]
                inefficient.append((path, seen[2], seen[1]))
        inefficient.sort(key=lambda t: (-t[2], t[0]))
        efficiency = 1.0 if self.cumulative == 0 else self.min_sum / self.cumulative
        size = sum(layer_sizes)
        user = size - layer_sizes[0] if layer_sizes else 0
        return DiveStats(
            efficiency=efficiency,
            wasted_bytes=wasted,
            size_bytes=size,
            user_size_bytes=user,
            user_wasted_percent=(wasted / user) if user else None,
            inefficient=inefficient[:top] if top >= 0 else inefficient,
            min_sum=self.min_sum,
            cumulative_sum=self.cumulative,
        )


def _dive_key(path: str, whiteout: bool) -> tuple[str, ...]:
    """dive's visiting order of a leaf: children sorted by name, depth first."""
    parts = path.split("/")
    if whiteout:
        parts[-1] = ".wh." + parts[-1]
    return tuple(parts)


class Merger:
    """Stacks layers one by one; see the module docstring."""

    def __init__(self, classifier: Classifier | None = None) -> None:
        self.classifier = classifier or Classifier()
        #: the real filesystem (path -> version, for paths with an entry); its children
        #: index is every node of dive's stacked tree (a superset of the real one)
        self.tree: WhiteoutTree[Version] = WhiteoutTree()
        self.cur = self.tree.nodes
        #: dive's stacked tree: path -> size for files, -1 for directories
        self.dive_state: dict[str, int] = {}
        self.dive = DiveCounter()
        self.layers: list[LayerStats] = []

    # -- accounting ------------------------------------------------------------------

    def _hide(self, version: Version, by: int, stats: list[LayerStats]) -> None:
        """A version stops being visible because layer ``by`` shadowed or removed it."""
        layer, kind, size, cat, _ = version
        if kind != FILE or not size:
            return
        origin = stats[layer]
        origin.wasted_bytes += size
        origin.wasted_by[by] = origin.wasted_by.get(by, 0) + size
        if cat >= 0:
            origin.wasted_category_bytes[cat] = origin.wasted_category_bytes.get(cat, 0) + size
        hider = stats[by]
        hider.removed_bytes += size
        hider.removed_from[layer] = hider.removed_from.get(layer, 0) + size

    def _remove_real_subtree(
        self, path: str, by: int, removed: dict[str, Version], include_self: bool
    ) -> None:
        stats = self.layers
        for p, version in self.tree.hide_below(path, include_self):
            removed[p] = version
            self._hide(version, by, stats)

    def _remove_dive_subtree(self, path: str) -> None:
        state = self.dive_state
        for p in self.tree.prune(path):
            state.pop(p, None)

    def _dive_whiteout_size(self, target: str) -> int | None:
        """Size dive gives a whiteout of ``target``; None when dive cannot find it."""
        state = self.dive_state
        known = state.get(target)
        if known is None:
            return None
        if known != -1:
            return 0  # a file (or implicit directory): dive sizes it 0
        total = 0
        for p in self.tree.descendants(target):
            size = state.get(p, 0)
            if size > 0:
                total += size
        return total

    # -- the layer -------------------------------------------------------------------

    def add_layer(self, scan: LayerScan) -> LayerStats:
        """Stack one more layer."""
        index = len(self.layers)
        stats = LayerStats(
            index,
            entries=len(scan.entries) + len(scan.whiteouts),
            content_bytes=scan.content_size,
            tar_bytes=scan.tar_size,
        )
        self.layers.append(stats)
        whiteouts = [e[0] for e in scan.whiteouts if e[1] == WHITEOUT]
        opaques = [e[0] for e in scan.whiteouts if e[1] == OPAQUE]
        stats.whiteouts = len(scan.whiteouts)

        removed: dict[str, Version] = {}
        if index == 0 and whiteouts:
            sizes = self._first_layer_whiteout_sizes(scan.entries, whiteouts)
        else:
            sizes = [(w, self._dive_whiteout_size(w)) for w in whiteouts]
        cutoff: tuple[str, ...] | None = None
        for target, size in sizes:
            if size is None:
                key = _dive_key(target, True)
                if cutoff is None or key < cutoff:
                    cutoff = key
        if index > 0:
            for target in whiteouts:
                self._remove_real_subtree(target, index, removed, include_self=True)
                if target in self.dive_state:
                    self._remove_dive_subtree(target)
            for directory in opaques:
                # hide what lower layers put below the directory (not the directory)
                self._remove_real_subtree(directory, index, removed, include_self=False)
        self._add_entries(index, scan.entries, removed, cutoff, opaques, whiteouts)
        self._count_whiteouts(sizes, cutoff)
        if index == 0:
            for target in whiteouts:  # dive stacks the first layer onto itself
                if target in self.dive_state:
                    self._remove_dive_subtree(target)
        stats.files_removed = sum(1 for v in removed.values() if v[1] != DIR)
        return stats

    def _first_layer_whiteout_sizes(
        self, entries: list[Entry], whiteouts: list[str]
    ) -> list[tuple[str, int | None]]:
        """dive looks whiteouts of the first layer up in that layer's own tree."""
        nodes: dict[str, int] = {}
        for path, kind, size, _ in entries:
            nodes[path] = -1 if kind == DIR else (size if kind == FILE else 0)
            q = path.rpartition("/")[0]
            while q and q not in nodes:
                nodes[q] = 0
                q = q.rpartition("/")[0]
        out: list[tuple[str, int | None]] = []
        for target in whiteouts:
            known = nodes.get(target)
            if known is None:
                out.append((target, None))
            elif known != -1:
                out.append((target, 0))
            else:
                prefix = target + "/"
                out.append((target, sum(v for p, v in nodes.items()
                                        if v > 0 and p.startswith(prefix))))
        return out

    def _count_whiteouts(
        self, sizes: list[tuple[str, int | None]], cutoff: tuple[str, ...] | None
    ) -> None:
        dive = self.dive
        for target, size in sizes:
            if cutoff is not None:
                key = _dive_key(target, True)
                if key > cutoff:
                    continue
                if key == cutoff:
                    dive.phantom(target)
                    continue
            if size is None:
                dive.phantom(target)
            else:
                dive.add(target, size)

    def _add_entries(
        self,
        index: int,
        entries: list[Entry],
        removed: dict[str, Version],
        cutoff: tuple[str, ...] | None,
        opaques: list[str],
        whiteouts: list[str],
    ) -> None:
        """Add a layer's entries: the hot loop, written for speed."""
        cur = self.cur
        cur_get = cur.get
        state = self.dive_state
        state_get = state.get
        tree = self.tree
        kids_get = tree.kids.get
        dive = self.dive
        dive_paths = dive.paths
        dive_get = dive_paths.get
        dive_add = dive.add
        classifier = self.classifier
        dir_cache = classifier._dir_cache
        directory_category = classifier.directory
        classify = classifier.classify
        suffixes = classifier._all_suffixes
        stats = self.layers
        mine = stats[index]
        cat_bytes = mine.category_bytes
        cat_files = mine.category_files
        parents: set[str] = set()
        parents_add = parents.add
        dirs_seen: list[str] = []
        top: list[tuple[int, str]] = []
        top_floor = 0
        min_sum = cumulative = 0
        added = changed = dirs = 0
        for path, kind, size, link in entries:
            directory = path.rpartition("/")[0]
            parents_add(directory)
            cat = -1
            target: Version | None = None
            if kind == FILE:
                cat = dir_cache.get(directory, -2)
                if cat == -2:
                    cat = directory_category(directory)
                if path.endswith(suffixes) or directory in BIN_DIRS:
                    cat = classify(path)
                if cat >= 0:
                    cat_bytes[cat] = cat_bytes.get(cat, 0) + size
                    cat_files[cat] = cat_files.get(cat, 0) + 1
                if size > top_floor:
                    if len(top) < _TOP_PER_LAYER:
                        heapq.heappush(top, (size, path))
                        if len(top) == _TOP_PER_LAYER:
                            top_floor = top[0][0]
                    else:
                        heapq.heapreplace(top, (size, path))
                        top_floor = top[0][0]
            elif kind == HARDLINK:
                target = cur_get(link)
                if target is not None and target[1] == HARDLINK:
                    target = target[4]
            old = cur_get(path)
            if old is None:
                if kind == DIR:
                    dirs += 1
                elif path in removed:
                    changed += 1
                    del removed[path]
                else:
                    added += 1
            else:
                self._hide(old, index, stats)
                if old[1] == DIR and kind != DIR:
                    self._remove_real_subtree(path, index, removed, include_self=False)
                if kind != DIR or old[1] != DIR:
                    changed += 1
            cur[path] = (index, kind, size, cat, target)
            # dive: a directory may have children in this layer: decided below
            if kind == DIR:
                dirs_seen.append(path)
                value = -1
            else:
                value = size if kind == FILE else 0
                if cutoff is None or _dive_key(path, False) < cutoff:
                    if dive_get(path) is None:
                        dive_paths[path] = value
                        min_sum += value
                        cumulative += value
                    else:
                        dive_add(path, value)
            if state_get(path) is None:
                siblings = kids_get(directory)
                if siblings is None:
                    tree.register(path)
                else:
                    siblings.add(path)
            state[path] = value
        dive.min_sum += min_sum
        dive.cumulative += cumulative
        mine.files_added = added
        mine.files_changed = changed
        mine.dirs_added = dirs
        mine.largest = sorted(top, reverse=True)

        # Every directory above a node is a node with children in this layer's tree.
        # An opaque marker is not a node (dive skips ``.wh..wh.`` names), but its
        # directory is: a leaf, unless something else lies below it.
        for w in whiteouts:
            parents_add(w.rpartition("/")[0])
        for o in opaques:
            parents_add(o.rpartition("/")[0])
        ancestors: set[str] = set()
        for q in parents:
            while q and q not in ancestors:
                ancestors.add(q)
                q = q.rpartition("/")[0]
        # dive counts a directory only when it is a leaf of the layer's tree.
        for dir_path in dirs_seen:
            if dir_path not in ancestors and (
                cutoff is None or _dive_key(dir_path, False) < cutoff
            ):
                dive_add(dir_path, 0)
        for o in opaques:
            version = cur_get(o)
            if version is not None and version[0] == index:
                continue  # the directory has an entry of its own, counted above
            if o not in ancestors:
                if cutoff is None or _dive_key(o, False) < cutoff:
                    dive_add(o, 0)
                if state_get(o) is None:
                    tree.register(o)
                state[o] = 0
        # Directories this layer has no entry for are, in dive's stack, replaced by
        # an empty node that is not a directory.
        for q in ancestors:
            version = cur_get(q)
            if version is None or version[0] != index:
                if state_get(q) is None:
                    tree.register(q)
                state[q] = 0
