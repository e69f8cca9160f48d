"""Rust crates: what a Cargo.toml says about its targets, and the dependency-first build.

Cargo has no "install the dependencies" command: ``cargo build`` compiles the
dependencies and the crate together, and it cannot even read a manifest whose
targets are missing. The usual layer-cache idiom in a Dockerfile copies
``Cargo.toml`` and ``Cargo.lock`` alone, writes an empty stand-in for every
target (``fn main() {}`` for binaries, an empty library), builds once (the
dependencies land in ``target/`` in a cached layer), then removes the stand-ins
and the crate's own fingerprints so that the real build after ``COPY . .``
compiles the real sources whatever their modification times.

``slimline init``'s Rust template and SL201's fix both write that step from
:func:`dependency_build`.
"""

from __future__ import annotations

import posixpath
import re
import shlex
import tomllib
from dataclasses import dataclass
from typing import Any

#: What crates.io accepts as a package name (and so safe in a shell glob).
_CRATE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class Crate:
    """A Cargo package's name and the source files of its targets (relative paths)."""

    name: str
    binaries: tuple[str, ...]
    libraries: tuple[str, ...]
    #: A build script (build.rs) the manifest names or that cargo finds by itself.
    build_script: str | None


def read_crate(manifest: str, present: frozenset[str]) -> Crate | None:
    """The crate a Cargo.toml describes, given the paths (relative, ``/``-separated) of
    the files next to it that matter (``src/main.rs``, ``src/lib.rs``, ``build.rs``...).

    None when the manifest is not TOML, has no ``[package]`` name, or is a workspace
    (its members' manifests would be needed too).
    """
    try:
        data = tomllib.loads(manifest)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    package = data.get("package")
    if not isinstance(package, dict) or not isinstance(package.get("name"), str):
        return None
    if "workspace" in data:
        return None
    name: str = package["name"]
    if not _CRATE_NAME.fullmatch(name):
        return None
    binaries: list[str] = []
    bins = data.get("bin")
    if isinstance(bins, list):
        for entry in bins:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                return None
            binaries.append(_target_path(entry, f"src/bin/{entry['name']}.rs", name, present))
    if package.get("autobins", True) is not False and "src/main.rs" in present:
        binaries.append("src/main.rs")
    libraries: list[str] = []
    lib = data.get("lib")
    if isinstance(lib, dict):
        libraries.append(_path_of(lib, "src/lib.rs"))
    elif "src/lib.rs" in present:
        libraries.append("src/lib.rs")
    build = package.get("build")
    if isinstance(build, str):
        build_script: str | None = build
    elif build is False:
        build_script = None
    else:
        build_script = "build.rs" if "build.rs" in present else None
    if not binaries and not libraries:
        return None  # cargo refuses a manifest without targets
    paths = [*binaries, *libraries, *([build_script] if build_script else [])]
    if any(not _safe_relative(p) for p in paths):
        return None
    return Crate(name, tuple(dict.fromkeys(binaries)), tuple(dict.fromkeys(libraries)), build_script)


def _path_of(entry: dict[str, Any], default: str) -> str:
    path = entry.get("path")
    return path if isinstance(path, str) else default


def _target_path(entry: dict[str, Any], default: str, package: str, present: frozenset[str]) -> str:
    # A [[bin]] named after the package defaults to src/main.rs when that exists.
    if "path" not in entry and entry["name"] == package and "src/main.rs" in present:
        return "src/main.rs"
    return _path_of(entry, default)


def _safe_relative(path: str) -> bool:
    norm = posixpath.normpath(path)
    return not (norm.startswith(("/", "..")) or "$" in path or "'" in path or "\n" in path)


def dependency_build(crate: Crate, build_command: str, target_dir: str = "target") -> str:
    """The shell text of a RUN that builds only the dependencies with ``build_command``
    (e.g. ``cargo build --release --locked``): stand-in targets, the build, then the
    stand-ins and the crate's fingerprints removed (in every profile directory of
    ``target_dir``, with or without a target triple)."""
    files = [*crate.binaries, *([crate.build_script] if crate.build_script else [])]
    dirs = sorted({posixpath.dirname(p) for p in [*files, *crate.libraries]} - {""})
    steps: list[str] = []
    if dirs:
        steps.append("mkdir -p " + " ".join(shlex.quote(d) for d in dirs))
    for path in files:
        steps.append(f"echo 'fn main() {{}}' > {shlex.quote(path)}")
    for path in crate.libraries:
        steps.append(f": > {shlex.quote(path)}")
    steps.append(build_command)
    stand_ins = [*files, *crate.libraries]
    target = shlex.quote(target_dir.rstrip("/") or ".")
    fingerprints = [
        f"{target}/*/.fingerprint/{crate.name}-*",
        f"{target}/*/*/.fingerprint/{crate.name}-*",
    ]
    steps.append("rm -rf " + " ".join([*(shlex.quote(p) for p in stand_ins), *fingerprints]))
    return " && ".join(steps)
