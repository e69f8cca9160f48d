"""The one whiteout tree: an image's filesystem as its layers are stacked.

:class:`WhiteoutTree` keeps every path of the filesystem (``nodes``: path -> a
value chosen by the user of the tree) and a children index (``kids``) so that a
directory's contents can be found without scanning every path. It applies the
layer rules of the OCI image spec:

* ``.wh.NAME`` deletes NAME and everything below it from the layers beneath
  (:meth:`delete`); ``DIR/.wh..wh..opq`` hides what the layers beneath put in DIR
  (:meth:`hide_below`). Whiteouts apply to lower layers only, so a layer's
  whiteouts are applied before its entries (:meth:`stack`).
* A non-directory that replaces a directory hides the directory's contents
  (:meth:`put`).

``final_tree`` (``compare``) stacks layers with :meth:`stack`; the analysis merger
(``analyze``) drives the same tree entry by entry, because it accounts for every
version it hides, and shares the children index with its model of dive's tree
(a superset of the real one: paths are only pruned from the index by whiteouts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from slimline.image.tarscan import DIR, OPAQUE, WHITEOUT, Entry, LayerScan

V = TypeVar("V")


def parent_of(path: str) -> str:
    return path.rpartition("/")[0]


class WhiteoutTree(Generic[V]):
    """Stacked paths (relative, ``""`` is the root) with a children index."""

    __slots__ = ("kids", "nodes")

    def __init__(self) -> None:
        self.nodes: dict[str, V] = {}
        #: children of every path ever registered (and not pruned by a whiteout)
        self.kids: dict[str, set[str]] = {}

    def register(self, path: str) -> None:
        """Add ``path`` (and missing ancestors) to the children index."""
        kids = self.kids
        while True:
            parent = path.rpartition("/")[0]
            siblings = kids.get(parent)
            if siblings is not None:
                siblings.add(path)
                return
            kids[parent] = {path}
            if not parent:
                return
            path = parent

    def descendants(self, path: str) -> list[str]:
        """``path``'s descendants in the children index (not ``path`` itself)."""
        out: list[str] = []
        stack = [path]
        kids = self.kids
        while stack:
            node = stack.pop()
            children = kids.get(node)
            if children:
                out.extend(children)
                stack.extend(children)
        return out

    def hide_below(self, path: str, include_self: bool = False) -> list[tuple[str, V]]:
        """Remove the nodes below ``path`` (and ``path`` itself when asked); return them.

        The children index keeps them: a path hidden this way may come back.
        """
        nodes = self.nodes
        targets = self.descendants(path)
        if include_self:
            targets.append(path)
        removed: list[tuple[str, V]] = []
        for p in targets:
            value = nodes.pop(p, None)
            if value is not None:
                removed.append((p, value))
        return removed

    def prune(self, path: str) -> list[str]:
        """Drop ``path`` and its descendants from the children index; return those paths."""
        targets = self.descendants(path)
        targets.append(path)
        kids = self.kids
        for p in targets:
            kids.pop(p, None)
        siblings = kids.get(parent_of(path))
        if siblings is not None:
            siblings.discard(path)
        return targets

    def delete(self, path: str) -> list[tuple[str, V]]:
        """A whiteout: remove ``path`` and everything below it; return the nodes removed."""
        removed = self.hide_below(path, include_self=True)
        self.prune(path)
        return removed

    def put(self, path: str, value: V, is_dir: bool, was_dir: Callable[[V], bool]) -> None:
        """Set ``path``; a non-directory replacing a directory hides its contents."""
        old = self.nodes.get(path)
        if old is None:
            self.register(path)
        elif not is_dir and was_dir(old):
            self.hide_below(path)
        self.nodes[path] = value

    def stack(self, scan: LayerScan, value: Callable[[Entry], V],
              was_dir: Callable[[V], bool]) -> None:
        """Stack one layer: its whiteouts (on the layers beneath), then its entries."""
        for path, kind, _size, _link in scan.whiteouts:
            if kind == WHITEOUT:
                self.delete(path)
            elif kind == OPAQUE:
                self.hide_below(path)
        for entry in scan.entries:
            self.put(entry[0], value(entry), entry[1] == DIR, was_dir)
