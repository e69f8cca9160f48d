"""Is a directory really a Dockerfile's build context? Context rules run only when it is.

Linting a folder of Dockerfiles (a corpus, a `docker/` directory of images built from the
repository root) must not report that folder as what ``docker build`` sends: the context
rules (SL203-SL207) run when ``--context`` names the directory, or when the directory
looks like the context: a file a COPY/ADD names is there, or, for a Dockerfile that only
copies the whole context, the directory holds something besides Dockerfiles.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from slimline.dockerfile.model import Dockerfile
from slimline.dockerfile.semantics import Semantics
from slimline.lint.rules._util import copy_destination, copy_sources

_WHOLE = frozenset({".", "./", "", "*"})
#: Files that say nothing about a directory being a build context.
_NOT_CONTENT = (".md", ".txt", ".rst")


def _sources(df: Dockerfile, sem: Semantics) -> tuple[list[str], bool]:
    """Specific context paths the COPY/ADD instructions name, and whether one copies it all."""
    specific: list[str] = []
    whole = False
    for inst in df.instructions:
        eff = inst.effective
        if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None or eff.heredocs:
            continue
        for raw in copy_sources(inst, df.escape):
            source = sem.expand(inst, raw)
            if "://" in source or source.startswith("git@") or "$" in source:
                continue  # a URL, or a variable with no value here
            if source.rstrip("/") in _WHOLE or source == "./":
                whole = True
            else:
                specific.append(source)
    return specific, whole


def _exists(directory: Path, source: str) -> bool:
    pattern = source.lstrip("/").removeprefix("./")
    if not pattern or pattern.startswith(".."):
        return False
    if any(ch in pattern for ch in "*?["):
        try:
            return next(iter(directory.glob(pattern)), None) is not None
        except (ValueError, NotImplementedError, OSError):
            return False
    return (directory / pattern).exists()


def _only_dockerfiles(directory: Path) -> bool:
    from slimline.lint.engine import is_dockerfile_name

    try:
        entries = list(directory.iterdir())
    except OSError:
        return True
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or not (
            is_dockerfile_name(entry.name) or entry.name.lower().endswith(_NOT_CONTENT)
        ):
            return False
    return True


def skip_reason(df: Dockerfile, sem: Semantics, directory: Path) -> str | None:
    """Why ``directory`` is not taken as the build context of ``df`` (None: it is)."""
    specific, whole = _sources(df, sem)
    if specific:
        if any(_exists(directory, s) for s in specific):
            return None
        return "none of the files its COPY/ADD name are in the Dockerfile's directory"
    if whole and _only_dockerfiles(directory):
        return "the Dockerfile's directory holds nothing but Dockerfiles"
    if whole:
        return _names_itself_from_above(df, sem, directory)
    return None


#: How far up an enclosing build context is looked for.
_ANCESTORS = 4
_WORD = re.compile(r"[^\s'\"=,;:()\[\]]+")


def _names_itself_from_above(df: Dockerfile, sem: Semantics, directory: Path) -> str | None:
    """``COPY . /src/loki`` then ``/src/loki/cmd/logcli/logcli`` (or ``./cmd/logcli`` in a
    RUN working there) from ``cmd/logcli/Dockerfile``: the file names its own directory as
    seen from an ancestor, so that ancestor is the build context, not this directory.
    Only names of two or more levels count (a binary may be named like its folder)."""
    dests: set[str] = set()
    for inst in df.instructions:
        if inst.effective.keyword in ("COPY", "ADD") and any(
            s.rstrip("/") in _WHOLE for s in copy_sources(inst, df.escape)
        ):
            dest = sem.expand(inst, copy_destination(inst, df.escape))
            if dest and "$" not in dest:
                dests.add(posixpath.normpath(posixpath.join(sem.before(inst).workdir, dest)))
    named: set[str] = set()
    for inst in df.instructions:
        workdir = sem.before(inst).workdir
        for word in _WORD.findall(inst.logical.text):
            for dest in dests:
                if word.startswith(dest.rstrip("/") + "/"):
                    named.add(word[len(dest.rstrip("/")) + 1 :])
                elif word.startswith("./") and workdir == dest and inst.effective.keyword == "RUN":
                    named.add(word[2:])
    here = directory.resolve()
    for up, ancestor in enumerate(here.parents, start=1):
        if up > _ANCESTORS:
            break
        if up < 2:
            continue  # `/src/web` from `web/` may be a build output named like the folder
        sub = here.relative_to(ancestor).as_posix()
        if any(n.rstrip("/") == sub or n.startswith(sub + "/") for n in named):
            return (
                f"its paths name `{sub}/` (this directory seen from {'../' * up}): "
                "the build context is that directory"
            )
    return None
