"""The build context: Docker's own ``.dockerignore`` rules and what a build sends.

Public API:

* :class:`DockerIgnore` - load (``DockerIgnore.load(context_dir, dockerfile)``)
  or parse ignore files; ``matches(path)`` (excluded?) and ``why(path)``;
* :func:`scan_context` - walk a context like Docker: counts, bytes, the
  largest files, notable categories (:data:`CATEGORIES`);
* :func:`check_copy_sources` - which COPY/ADD sources an ignore file excludes.
"""

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
