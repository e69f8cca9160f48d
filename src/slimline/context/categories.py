"""Notable kinds of files in a build context, as data.

Each :class:`Category` says how to recognise its members by name (shell
patterns on one path component, Go ``filepath.Match`` syntax) and which
``.dockerignore`` lines keep them out of a build. The linter uses the table
to name what a broad ``COPY`` would send; the ``.dockerignore`` generator
uses the same table to write its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from slimline.context.gosemantics import compile_go_match

__all__ = [
    "CATEGORIES",
    "Category",
    "CategoryMatch",
    "Classifier",
    "category_by_name",
    "classify_path",
]

VENV_MARKER = "pyvenv.cfg"


@dataclass(frozen=True)
class Category:
    """One kind of file that rarely belongs in an image."""

    name: str
    """Stable identifier, e.g. ``"secrets"``."""
    title: str
    """Short human label."""
    dirs: tuple[str, ...] = ()
    """Directory names (patterns) whose whole content belongs to the category."""
    files: tuple[str, ...] = ()
    """File names (patterns) that belong to the category."""
    keep: tuple[str, ...] = ()
    """File names that look like members but are not (``.env.example``)."""
    marker: str | None = None
    """A directory of any name containing this file belongs too (``pyvenv.cfg``)."""
    dockerignore: tuple[str, ...] = ()
    """Lines that exclude the category from a build context, in order."""
    sensitive: bool = False
    """True when sending the files is a security problem, not only waste."""
    _dirs_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _files_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _keep_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_dirs_re", _union(self.dirs))
        object.__setattr__(self, "_files_re", _union(self.files))
        object.__setattr__(self, "_keep_re", _union(self.keep))

    def matches_dir(self, name: str) -> bool:
        """True when a directory called ``name`` belongs to the category."""
        return self._dirs_re is not None and self._dirs_re.fullmatch(name) is not None

    def matches_file(self, name: str) -> bool:
        """True when a file called ``name`` belongs to the category."""
        if self._keep_re is not None and self._keep_re.fullmatch(name) is not None:
            return False
        return self._files_re is not None and self._files_re.fullmatch(name) is not None


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression matching a name when any of the shell patterns does."""
    if not patterns:
        return None
    parts = [compile_go_match(p).pattern for p in patterns]
    return re.compile("|".join(f"(?:{part})" for part in parts), re.DOTALL)


CATEGORIES: tuple[Category, ...] = (
    Category(
        name="vcs",
        title="version control data",
        dirs=(".git", ".hg", ".svn", ".bzr"),
        files=(".git",),  # a worktree or submodule has a .git file
        dockerignore=("**/.git", "**/.hg", "**/.svn", "**/.bzr"),
    ),
    Category(
        name="secrets",
        title="secrets and credentials",
        dirs=(".aws", ".ssh", ".gnupg", ".kube"),
        files=(
            ".env",
            ".env.*",
            "*.pem",
            "*.key",
            "*.p12",
            "*.pfx",
            "*.jks",
            "*.keystore",
            "id_rsa*",
            "id_dsa*",
            "id_ecdsa*",
            "id_ed25519*",
            ".npmrc",
            ".pypirc",
            ".netrc",
            ".git-credentials",
            ".htpasswd",
            "credentials",
            "credentials.json",
            "*credentials*.json",
            "service-account*.json",
            "kubeconfig",
            "*.kubeconfig",
            "secrets.y*ml",
            "terraform.tfstate*",
        ),
        keep=(
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "*.pub",
        ),
        dockerignore=(
            "**/.env",
            "**/.env.*",
            "!**/.env.example",
            "!**/.env.sample",
            "!**/.env.template",
            "!**/.env.dist",
            "**/*.pem",
            "**/*.key",
            "**/*.p12",
            "**/*.pfx",
            "**/id_rsa*",
            "**/id_dsa*",
            "**/id_ecdsa*",
            "**/id_ed25519*",
            "**/.npmrc",
            "**/.pypirc",
            "**/.netrc",
            "**/.git-credentials",
            "**/.htpasswd",
            "**/credentials",
            "**/credentials.json",
            "**/*credentials*.json",
            "**/service-account*.json",
            "**/*.jks",
            "**/*.keystore",
            "**/kubeconfig",
            "**/*.kubeconfig",
            "**/secrets.y*ml",
            "**/.aws",
            "**/.ssh",
            "**/.gnupg",
            "**/.kube",
            "**/terraform.tfstate*",
        ),
        sensitive=True,
    ),
    Category(
        name="virtualenv",
        title="Python virtual environments",
        dirs=(".venv", "venv"),
        marker=VENV_MARKER,
        dockerignore=("**/.venv", "**/venv"),
    ),
    Category(
        name="node_modules",
        title="installed Node.js packages",
        dirs=("node_modules", "bower_components", "jspm_packages"),
        dockerignore=("**/node_modules", "**/bower_components", "**/jspm_packages"),
    ),
    Category(
        name="pycache",
        title="Python bytecode",
        dirs=("__pycache__",),
        files=("*.pyc", "*.pyo"),
        dockerignore=("**/__pycache__", "**/*.py[co]"),
    ),
    Category(
        name="build_output",
        title="local build output",
        dirs=("dist", "build", "target", ".next", ".nuxt", "*.egg-info"),
        dockerignore=("dist", "build", "target", ".next", ".nuxt", "**/*.egg-info"),
    ),
    Category(
        name="caches",
        title="tool caches",
        dirs=(
            ".pytest_cache",
            ".mypy_cache",
            ".ruff_cache",
            ".hypothesis",
            ".tox",
            ".nox",
            ".cache",
            ".gradle",
            ".parcel-cache",
            ".turbo",
            ".eslintcache",
            "htmlcov",
        ),
        files=(".coverage", ".coverage.*", "coverage.xml", ".eslintcache"),
        dockerignore=(
            "**/.pytest_cache",
            "**/.mypy_cache",
            "**/.ruff_cache",
            "**/.hypothesis",
            "**/.tox",
            "**/.nox",
            "**/.cache",
            "**/.gradle",
            "**/.parcel-cache",
            "**/.turbo",
            "**/htmlcov",
            "**/.coverage",
            "**/.coverage.*",
            "**/coverage.xml",
            "**/.eslintcache",
        ),
    ),
    Category(
        name="editor",
        title="editor and OS files",
        dirs=(".idea", ".vscode", ".vs", ".fleet"),
        files=("*.swp", "*.swo", "*~", ".DS_Store", "Thumbs.db"),
        dockerignore=(
            "**/.idea",
            "**/.vscode",
            "**/.vs",
            "**/.fleet",
            "**/*.swp",
            "**/*.swo",
            "**/*~",
            "**/.DS_Store",
            "**/Thumbs.db",
        ),
    ),
    Category(
        name="logs",
        title="log files",
        files=("*.log", "*.log.[0-9]*", "npm-debug.log*", "yarn-error.log*"),
        dockerignore=("**/*.log", "**/*.log.[0-9]*", "**/npm-debug.log*", "**/yarn-error.log*"),
    ),
)


def category_by_name(name: str) -> Category:
    """Look a category up by its identifier (``KeyError`` when unknown)."""
    for category in CATEGORIES:
        if category.name == name:
            return category
    raise KeyError(name)


@dataclass(frozen=True)
class CategoryMatch:
    """Where a path falls in the table: its category and the member root."""

    category: str
    root: str
    """The directory (for directory members) or file that is the member."""
    kind: Literal["dir", "file"]


class Classifier:
    """Classifies names against a category table, remembering past answers.

    One instance serves one walk; names repeat a lot (``index.js``), so the
    per-name cache keeps classification cheap on large contexts.
    """

    def __init__(self, categories: tuple[Category, ...] = CATEGORIES) -> None:
        self.categories = categories
        self._dirs: dict[str, str | None] = {}
        self._files: dict[str, str | None] = {}

    def dir_category(self, name: str) -> str | None:
        """The category of a directory called ``name``, if any."""
        try:
            return self._dirs[name]
        except KeyError:
            found = next((c.name for c in self.categories if c.dirs and c.matches_dir(name)), None)
            self._dirs[name] = found
            return found

    def file_category(self, name: str) -> str | None:
        """The category of a file called ``name``, if any."""
        try:
            return self._files[name]
        except KeyError:
            found = next(
                (c.name for c in self.categories if c.files and c.matches_file(name)), None
            )
            self._files[name] = found
            return found

    def classify(
        self, path: str, *, venv_dirs: frozenset[str] = frozenset()
    ) -> CategoryMatch | None:
        """Classify a context-relative file path, outermost directory first.

        ``venv_dirs`` lists directories known to contain ``pyvenv.cfg`` (found
        while walking), which makes them virtualenvs whatever their names.
        """
        parts = path.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if directory in venv_dirs:
                return CategoryMatch(category="virtualenv", root=directory, kind="dir")
            found = self.dir_category(parts[depth - 1])
            if found is not None:
                return CategoryMatch(category=found, root=directory, kind="dir")
        found = self.file_category(parts[-1])
        if found is not None:
            return CategoryMatch(category=found, root=path, kind="file")
        return None


def classify_path(path: str, *, venv_dirs: frozenset[str] = frozenset()) -> CategoryMatch | None:
    """Classify one path with the default table (see :meth:`Classifier.classify`)."""
    return Classifier().classify(path, venv_dirs=venv_dirs)
