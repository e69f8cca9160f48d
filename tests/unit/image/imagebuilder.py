"""Small images for tests, written byte by byte with tarfile and json.

Independent of slimline's own code, so readers are tested against archives made
the way Docker, skopeo and containerd make them:

* :func:`layer` makes one layer tar from a list of :class:`E` entries;
* :func:`write_legacy_archive` writes ``docker save`` as Docker < 25 did;
* :func:`write_docker25_archive` writes ``docker save`` as Docker >= 25 does
  (an OCI layout plus ``manifest.json``);
* :func:`write_oci_layout` / :func:`write_oci_archive` write OCI layouts with
  uncompressed, gzip or zstd layers (and optionally a multi-platform index).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
MEDIA = {
    "none": OCI_LAYER,
    "gzip": OCI_LAYER + "+gzip",
    "zstd": OCI_LAYER + "+zstd",
}


@dataclass(frozen=True)
class E:
    """A layer entry: ``kind`` is file, dir, symlink, hardlink, fifo."""

    name: str
    kind: str = "file"
    size: int = 0
    link: str = ""
    data: bytes | None = None


def f(name: str, size: int) -> E:
    return E(name, "file", size)


def d(name: str) -> E:
    return E(name, "dir")


def wh(name: str) -> E:
    """A whiteout for ``name`` (``dir/.wh.base``)."""
    parent, _, base = name.rpartition("/")
    return E(f"{parent}/.wh.{base}" if parent else f".wh.{base}", "file", 0)


def opq(directory: str) -> E:
    return E(f"{directory}/.wh..wh..opq", "file", 0)


def sym(name: str, target: str) -> E:
    return E(name, "symlink", 0, target)


def hard(name: str, target: str) -> E:
    return E(name, "hardlink", 0, target)


def layer(entries: Sequence[E], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    """A layer tar (uncompressed) holding ``entries`` in order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for e in entries:
            info = tarfile.TarInfo(e.name)
            info.mtime = 1700000000
            info.uid = info.gid = 0
            if e.kind == "file":
                data = e.data if e.data is not None else bytes(
                    (i * 7 + len(e.name)) % 251 for i in range(e.size))
                info.size = len(data)
                info.mode = 0o644
                tf.addfile(info, io.BytesIO(data))
            elif e.kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            elif e.kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = e.link
                tf.addfile(info)
            elif e.kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = e.link
                tf.addfile(info)
            elif e.kind == "fifo":
                info.type = tarfile.FIFOTYPE
                tf.addfile(info)
            else:
                raise ValueError(e.kind)
    return buf.getvalue()


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def compress(data: bytes, how: str) -> bytes:
    if how == "gzip":
        return gzip.compress(data, 6, mtime=0)
    if how == "zstd":
        return zstandard.ZstdCompressor(level=3).compress(data)
    return data


@dataclass
class Spec:
    """An image: its layers (uncompressed tars) and history."""

    layers: list[bytes]
    history: list[dict[str, object]] = field(default_factory=list)
    config_extra: dict[str, object] = field(default_factory=dict)
    architecture: str = "amd64"
    os: str = "linux"

    def config(self) -> bytes:
        cfg: dict[str, object] = {
            "architecture": self.architecture,
            "os": self.os,
            "created": "2024-01-01T00:00:00Z",
            "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["sh"], "User": "",
                       **self.config_extra},
            "rootfs": {"type": "layers", "diff_ids": [sha(x) for x in self.layers]},
            "history": self.history or [
                {"created_by": f"/bin/sh -c step {i}"} for i in range(len(self.layers))
            ],
        }
        return json.dumps(cfg, sort_keys=True).encode()


def _add(tf: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1700000000
    tf.addfile(info, io.BytesIO(data))


def _add_dir(tf: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    tf.addfile(info)


def write_legacy_archive(path: Path, spec: Spec, tags: Sequence[str] = ("test:latest",),
                         duplicate_symlinks: bool = True) -> None:
    """``docker save`` of Docker < 25: <id>/layer.tar, <id>.json, manifest.json."""
    config = spec.config()
    config_hex = hashlib.sha256(config).hexdigest()
    names = []
    seen: dict[str, str] = {}
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        for i, data in enumerate(spec.layers):
            layer_id = hashlib.sha256(f"{i}-{sha(data)}".encode()).hexdigest()
            _add_dir(tf, layer_id)
            _add(tf, f"{layer_id}/VERSION", b"1.0")
            _add(tf, f"{layer_id}/json", json.dumps({"id": layer_id}).encode())
            digest = sha(data)
            if duplicate_symlinks and digest in seen:
                info = tarfile.TarInfo(f"{layer_id}/layer.tar")
                info.type = tarfile.SYMTYPE
                info.linkname = f"../{seen[digest]}/layer.tar"
                tf.addfile(info)
            else:
                _add(tf, f"{layer_id}/layer.tar", data)
                seen[digest] = layer_id
            names.append(f"{layer_id}/layer.tar")
        _add(tf, f"{config_hex}.json", config)
        manifest = [{"Config": f"{config_hex}.json", "RepoTags": list(tags), "Layers": names}]
        _add(tf, "manifest.json", json.dumps(manifest).encode())
        _add(tf, "repositories", b"{}")


def _oci_documents(spec: Spec, compression: Sequence[str]) -> tuple[
        dict[str, bytes], dict[str, object], bytes]:
    """Blobs (digest -> bytes), the manifest descriptor and the manifest bytes."""
    blobs: dict[str, bytes] = {}
    config = spec.config()
    blobs[sha(config)] = config
    layers = []
    for data, how in zip(spec.layers, compression, strict=True):
        blob = compress(data, how)
        blobs[sha(blob)] = blob
        layers.append({"mediaType": MEDIA[how], "digest": sha(blob), "size": len(blob)})
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(config), "size": len(config)},
        "layers": layers,
    }).encode()
    blobs[sha(manifest)] = manifest
    desc: dict[str, object] = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": sha(manifest),
        "size": len(manifest),
    }
    return blobs, desc, manifest


def oci_files(
    spec: Spec,
    compression: Sequence[str] | str = "gzip",
    ref: str | None = "latest",
    extra_platforms: Sequence[tuple[str, str, Spec]] = (),
) -> dict[str, bytes]:
    """The files of an OCI layout: path -> bytes."""
    if isinstance(compression, str):
        compression = [compression] * len(spec.layers)
    blobs, desc, _ = _oci_documents(spec, compression)
    files: dict[str, bytes] = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}'}
    if extra_platforms:
        entries = [{**desc, "platform": {"os": spec.os, "architecture": spec.architecture}}]
        for os_name, arch, other in extra_platforms:
            more, other_desc, _ = _oci_documents(other, ["gzip"] * len(other.layers))
            blobs.update(more)
            entries.append({**other_desc, "platform": {"os": os_name, "architecture": arch}})
        index = json.dumps({"schemaVersion": 2,
                            "mediaType": "application/vnd.oci.image.index.v1+json",
                            "manifests": entries}).encode()
        blobs[sha(index)] = index
        top: dict[str, object] = {"mediaType": "application/vnd.oci.image.index.v1+json",
                                  "digest": sha(index), "size": len(index)}
    else:
        top = dict(desc)
    if ref is not None:
        top["annotations"] = {"org.opencontainers.image.ref.name": ref}
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [top]}).encode()
    for digest, data in blobs.items():
        files["blobs/sha256/" + digest.split(":")[1]] = data
    return files


def write_oci_layout(directory: Path, spec: Spec, compression: Sequence[str] | str = "gzip",
                     ref: str | None = "latest",
                     extra_platforms: Sequence[tuple[str, str, Spec]] = ()) -> None:
    for name, data in oci_files(spec, compression, ref, extra_platforms).items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def write_oci_archive(path: Path, spec: Spec, compression: Sequence[str] | str = "gzip",
                      ref: str | None = "latest") -> None:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in oci_files(spec, compression, ref).items():
            _add(tf, name, data)


def write_docker25_archive(path: Path, spec: Spec, compression: str = "none",
                           tag: str = "test:latest") -> None:
    """``docker save`` of Docker >= 25: an OCI layout plus manifest.json."""
    files = oci_files(spec, compression, ref=tag.rpartition(":")[2])
    _blobs, _, _ = _oci_documents(spec, [compression] * len(spec.layers))
    config = spec.config()
    layer_blobs = [compress(x, compression) for x in spec.layers]
    manifest = [{
        "Config": "blobs/sha256/" + sha(config).split(":")[1],
        "RepoTags": [tag],
        "Layers": ["blobs/sha256/" + sha(b).split(":")[1] for b in layer_blobs],
    }]
    files["manifest.json"] = json.dumps(manifest).encode()
    files["repositories"] = b"{}"
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        # Docker writes blobs first and the documents last
        for name in sorted(files, key=lambda n: (not n.startswith("blobs/"), n)):
            _add(tf, name, files[name])
