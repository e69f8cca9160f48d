"""A filesystem to take the inventory of: an image's final tree, or a directory.

Both give every path (:class:`~slimline.image.files.FileInfo` by absolute path),
resolve symbolic links *inside* the filesystem (``/bin`` -> ``usr/bin`` on a
merged-/usr system, ``/etc/os-release`` -> ``../usr/lib/os-release``) and read the
content of chosen regular files. A directory is read without ever following a link
out of it.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable
from pathlib import Path

from slimline.errors import ImageError
from slimline.image.files import FileInfo, final_tree, read_final_files
from slimline.image.model import Image

#: symbolic links followed while resolving one path, as Linux's MAXSYMLINKS
_MAX_LINKS = 40


class RootFs:
    """Paths and contents of a root filesystem (subclasses say where they come from)."""

    def __init__(self, tree: dict[str, FileInfo]) -> None:
        self.tree = tree
        self._dirs: dict[str, str] = {"": ""}
        self._parents: set[str] | None = None

    def read(self, wanted: Callable[[str], bool], max_bytes: int) -> dict[str, bytes]:
        """Contents of the regular files (and hardlinks) for which ``wanted(path)`` holds."""
        raise NotImplementedError

    def resolve(self, path: str, *, follow: bool = True) -> str:
        """``path`` with every symbolic link on the way resolved inside this filesystem
        (the last component too when ``follow``). Links that lead nowhere stay as they are."""
        return self._resolve(posixpath.normpath("/" + path.lstrip("/")), follow, 0)

    def _resolve(self, path: str, follow: bool, depth: int) -> str:
        if path == "/":
            return path
        parent, _, name = path.rpartition("/")
        real = self._resolve_dir(parent, depth) + "/" + name
        info = self.tree.get(real)
        if follow and info is not None and info.kind == "symlink" and depth < _MAX_LINKS:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(real), info.link))
            return self._resolve(target if target.startswith("/") else "/" + target,
                                 True, depth + 1)
        return real

    def _resolve_dir(self, directory: str, depth: int) -> str:
        cached = self._dirs.get(directory)
        if cached is None:
            resolved = self._resolve(directory, True, depth)
            cached = "" if resolved == "/" else resolved
            self._dirs[directory] = cached
        return cached

    def exists(self, path: str) -> bool:
        """Whether ``path`` (resolved) is in the tree, as an entry or as a parent directory."""
        real = self.resolve(path)
        if real in self.tree:
            return True
        if self._parents is None:
            parents: set[str] = set()
            for entry in self.tree:
                parent = entry.rpartition("/")[0]
                while parent and parent not in parents:
                    parents.add(parent)
                    parent = parent.rpartition("/")[0]
            self._parents = parents
        return real in self._parents


class ImageRootFs(RootFs):
    """The final filesystem of an open image."""

    def __init__(self, image: Image) -> None:
        super().__init__(final_tree(image))
        self.image = image

    def read(self, wanted: Callable[[str], bool], max_bytes: int) -> dict[str, bytes]:
        return read_final_files(self.image, wanted, max_bytes, tree=self.tree)


class DirRootFs(RootFs):
    """A root filesystem unpacked in a directory (links are never followed out of it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        super().__init__(_walk(root))

    def read(self, wanted: Callable[[str], bool], max_bytes: int) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for path, info in self.tree.items():
            if info.kind != "file" or info.size > max_bytes or not wanted(path):
                continue
            try:
                fd = os.open(self.root / path[1:], os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            with os.fdopen(fd, "rb") as fh:
                out[path] = fh.read(max_bytes + 1)[:max_bytes]
        return out


def _walk(root: Path) -> dict[str, FileInfo]:
    if not root.is_dir():
        raise ImageError(f"{root}: not a directory")
    tree: dict[str, FileInfo] = {}
    for current, dirs, files in os.walk(root, onerror=None):
        rel = os.path.relpath(current, root)
        base = "" if rel == "." else "/" + rel.replace(os.sep, "/")
        for name in [*dirs, *files]:
            full = os.path.join(current, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            path = f"{base}/{name}"
            if stat.S_ISLNK(st.st_mode):
                tree[path] = FileInfo(path, "symlink", 0, os.readlink(full), 0)
            elif stat.S_ISDIR(st.st_mode):
                tree[path] = FileInfo(path, "dir", 0, "", 0)
            elif stat.S_ISREG(st.st_mode):
                tree[path] = FileInfo(path, "file", st.st_size, "", 0)
            else:
                tree[path] = FileInfo(path, "other", 0, "", 0)
    return tree
