"""Fast classification of image paths into the categories of :mod:`slimline.knowledge.categories`.

Directories are classified once and cached, so classifying a file costs a split,
a dictionary lookup and a suffix test; the regular expressions run once per
distinct directory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from slimline.knowledge.categories import BIN_DIRS, CATEGORIES, Category


class Classifier:
    """Maps a path (no leading slash) to a category index, or -1."""

    def __init__(self, categories: Sequence[Category] = CATEGORIES) -> None:
        self.categories = tuple(categories)
        self._dir_res = [
            re.compile("|".join(f"(?:{p})" for p in c.dirs)) if c.dirs else None
            for c in self.categories
        ]
        self._suffixes = [(i, c.suffixes) for i, c in enumerate(self.categories) if c.suffixes]
        self._all_suffixes = tuple(s for _, sfx in self._suffixes for s in sfx)
        self._bin_res = [
            (i, re.compile(f"(?:{c.binaries})")) for i, c in enumerate(self.categories)
            if c.binaries
        ]
        self._dir_cache: dict[str, int] = {}

    def index_of(self, category_id: str) -> int:
        for i, c in enumerate(self.categories):
            if c.id == category_id:
                return i
        raise KeyError(category_id)

    def directory(self, directory: str) -> int:
        """The category of files in ``directory`` by directory rules alone."""
        found = self._dir_cache.get(directory)
        if found is None:
            found = -1
            probe = directory + "/"
            for i, rx in enumerate(self._dir_res):
                if rx is not None and rx.match(probe):
                    found = i
                    break
            self._dir_cache[directory] = found
        return found

    def classify(self, path: str) -> int:
        """The category index of the file at ``path`` (no leading slash), or -1."""
        directory, _, base = path.rpartition("/")
        best = self.directory(directory)
        if self._all_suffixes and base.endswith(self._all_suffixes):
            for i, sfx in self._suffixes:
                if base.endswith(sfx) and (best < 0 or i < best):
                    best = i
                    break
        if directory in BIN_DIRS:
            for i, rx in self._bin_res:
                if (best < 0 or i < best) and rx.fullmatch(base):
                    best = i
                    break
        return best
