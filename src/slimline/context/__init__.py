"""The build context: Docker's own ``.dockerignore`` rules and what a build sends.

Public API:

* :class:`DockerIgnore` - load (``DockerIgnore.load(context_dir, dockerfile)``)
  or parse ignore files; ``matches(path)`` (excluded?) and ``why(path)``;
* :func:`scan_context` - walk a context like Docker: counts, bytes, the
  largest files, notable categories (:data:`CATEGORIES`);
* :func:`check_copy_sources` - which COPY/ADD sources an ignore file excludes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slimline.context.categories import (
        CATEGORIES,
        Category,
        CategoryMatch,
        Classifier,
        category_by_name,
        classify_path,
    )
    from slimline.context.copycheck import CopySourceCheck, check_copy_sources
    from slimline.context.dockerignore import (
        Builder,
        DockerIgnore,
        IgnorePattern,
        Matcher,
        Verdict,
        find_ignore_file,
        matcher_for_client,
        normalize_context_path,
    )
    from slimline.context.scan import (
        CategoryHit,
        ContextEntry,
        ContextScan,
        ExcludedEntry,
        UnreadableEntry,
        WalkItem,
        scan_context,
        walk_context,
    )

# The submodules load on first use (PEP 562), so that importing one of them, say
# ``slimline.context.categories`` for the lint rules, does not load the context scanner.
_SUBMODULE_OF = {
    "CATEGORIES": "categories",
    "Category": "categories",
    "CategoryMatch": "categories",
    "Classifier": "categories",
    "category_by_name": "categories",
    "classify_path": "categories",
    "CopySourceCheck": "copycheck",
    "check_copy_sources": "copycheck",
    "Builder": "dockerignore",
    "DockerIgnore": "dockerignore",
    "IgnorePattern": "dockerignore",
    "Matcher": "dockerignore",
    "Verdict": "dockerignore",
    "find_ignore_file": "dockerignore",
    "matcher_for_client": "dockerignore",
    "normalize_context_path": "dockerignore",
    "CategoryHit": "scan",
    "ContextEntry": "scan",
    "ContextScan": "scan",
    "ExcludedEntry": "scan",
    "UnreadableEntry": "scan",
    "WalkItem": "scan",
    "scan_context": "scan",
    "walk_context": "scan",
}


def __getattr__(name: str) -> object:
    submodule = _SUBMODULE_OF.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CATEGORIES",
    "Builder",
    "Category",
    "CategoryHit",
    "CategoryMatch",
    "Classifier",
    "ContextEntry",
    "ContextScan",
    "CopySourceCheck",
    "DockerIgnore",
    "ExcludedEntry",
    "IgnorePattern",
    "Matcher",
    "UnreadableEntry",
    "Verdict",
    "WalkItem",
    "category_by_name",
    "check_copy_sources",
    "classify_path",
    "find_ignore_file",
    "matcher_for_client",
    "normalize_context_path",
    "scan_context",
    "walk_context",
]
