"""Bad input against real tools: a clear one-line error, exit 2, nothing written.

The registries here are real (distribution 2.8, Debian's ``docker-registry``): the
test bed's, and one started by this module with htpasswd authentication on a
free loopback port. Broken images are made by breaking real ones.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_analyze_support import docker_save, skopeo_copy, slimline

pytestmark = [pytest.mark.e2e]

REGISTRY_BIN = shutil.which("docker-registry") or "/usr/bin/docker-registry"
USER, PASSWORD = "slim", "line-" + uuid.uuid4().hex[:8]
SLIM = "python:3.11-slim"


def assert_clean_error(proc: subprocess.CompletedProcess[str], pattern: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("slimline: ") and "Traceback" not in proc.stderr
    assert re.search(pattern, lines[0]), lines[0]
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def auth_registry(tmp_path_factory: pytest.TempPathFactory, registry: str) -> Iterator[
        tuple[str, Path]]:
    """A second real registry, with Basic authentication (htpasswd), holding SLIM."""
    if not Path(REGISTRY_BIN).exists():
        pytest.skip("docker-registry is not installed")
    work = tmp_path_factory.mktemp("auth-registry")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt

        hashed = crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH))
    (work / "htpasswd").write_text(f"{USER}:{hashed}\n")
    port = free_port()
    (work / "config.yml").write_text(
        "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {work / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
        f"auth:\n  htpasswd:\n    realm: slimline-e2e\n    path: {work / 'htpasswd'}\n"
    )
    proc = subprocess.Popen([REGISTRY_BIN, "serve", str(work / "config.yml")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{address}/v2/", timeout=1)
            except urllib.error.HTTPError as exc:
                if exc.code == 401:
                    break
            except OSError:
                time.sleep(0.1)
        skopeo_copy(f"docker://{registry}/python:3.11-slim", f"docker://{address}/slim:1",
                    "--dest-creds", f"{USER}:{PASSWORD}")
        yield address, work
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def docker_config(tmp_path: Path, host: str, user: str, password: str) -> dict[str, str]:
    directory = tmp_path / "docker-config"
    directory.mkdir(exist_ok=True)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    (directory / "config.json").write_text(json.dumps({"auths": {host: {"auth": auth}}}))
    return {"DOCKER_CONFIG": str(directory)}


def test_registry_401(auth_registry: tuple[str, Path], tmp_path: Path) -> None:
    address, _ = auth_registry
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = slimline("analyze", f"docker://{address}/slim:1", env={"DOCKER_CONFIG": str(empty)})
    assert_clean_error(proc, "requires a login.*401|401")
    proc = slimline("analyze", f"docker://{address}/slim:1",
                    env=docker_config(tmp_path, address, USER, "wrong"))
    assert_clean_error(proc, "authentication failed \\(401")


def test_registry_with_credentials(auth_registry: tuple[str, Path], tmp_path: Path,
                                   registry: str) -> None:
    address, _ = auth_registry
    env = docker_config(tmp_path, f"http://{address}", USER, PASSWORD)
    proc = slimline("analyze", f"docker://{address}/slim:1", "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    theirs = slimline("analyze", f"docker://{registry}/python:3.11-slim", "--format", "json")
    mine, other = json.loads(proc.stdout), json.loads(theirs.stdout)
    assert mine["summary"] == other["summary"]


def test_registry_404(registry: str) -> None:
    assert_clean_error(slimline("analyze", f"docker://{registry}/python:no-such-tag"),
                       "manifest no-such-tag not found \\(404\\)")
    assert_clean_error(slimline("analyze", f"docker://{registry}/no/such/repo:1"),
                       "not found \\(404\\)")


def test_registry_5xx(auth_registry: tuple[str, Path], tmp_path: Path) -> None:
    """A blob the registry cannot read from its storage: it answers 500 (after retries)."""
    address, work = auth_registry
    env = docker_config(tmp_path, address, USER, PASSWORD)
    ok = slimline("analyze", f"docker://{address}/slim:1", "--format", "json", env=env)
    assert ok.returncode == 0, ok.stderr
    doc = json.loads(ok.stdout)
    biggest = max(doc["layers"], key=lambda layer: layer["blob_size"])
    hexdigest = biggest["digest"].split(":")[1]
    data = work / "data/docker/registry/v2/blobs/sha256" / hexdigest[:2] / hexdigest / "data"
    saved = data.read_bytes()
    data.unlink()
    data.symlink_to("data")  # a symlink loop: the storage read fails with ELOOP
    try:
        proc = slimline("analyze", f"docker://{address}/slim:1", env=env)
        assert_clean_error(proc, "registry error 500 while fetching blob")
    finally:
        data.unlink()
        data.write_bytes(saved)


def _push_raw(registry: str, repo: str, blobs: list[bytes], manifest: dict) -> str:
    """Upload blobs and a manifest with the distribution API, as any client may."""
    for blob in blobs:
        digest = "sha256:" + hashlib.sha256(blob).hexdigest()
        start = urllib.request.Request(f"http://{registry}/v2/{repo}/blobs/uploads/",
                                       method="POST")
        with urllib.request.urlopen(start, timeout=30) as resp:
            location = resp.headers["Location"]
        if location.startswith("/"):
            location = f"http://{registry}{location}"
        sep = "&" if "?" in location else "?"
        put = urllib.request.Request(f"{location}{sep}digest={digest}", data=blob, method="PUT",
                                     headers={"Content-Type": "application/octet-stream"})
        urllib.request.urlopen(put, timeout=60).close()
    body = json.dumps(manifest).encode()
    tag = uuid.uuid4().hex[:8]
    put = urllib.request.Request(f"http://{registry}/v2/{repo}/manifests/{tag}", data=body,
                                 method="PUT", headers={"Content-Type": manifest["mediaType"]})
    urllib.request.urlopen(put, timeout=30).close()
    return f"{registry}/{repo}:{tag}"


def _descriptor(media_type: str, blob: bytes) -> dict:
    return {"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(blob).hexdigest(),
            "size": len(blob)}


def test_unsupported_media_type_from_a_registry(registry: str) -> None:
    config = json.dumps({"name": "chart", "version": "1.0.0"}).encode()
    content = b"apiVersion: v2\n"
    ref = _push_raw(registry, "slimline-e2e/helm-chart", [config, content], {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": _descriptor("application/vnd.cncf.helm.config.v1+json", config),
        "layers": [_descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip", content)],
    })
    assert_clean_error(slimline("analyze", f"docker://{ref}"), "unsupported config media type")


def test_layer_escaping_the_root_from_a_registry(registry: str) -> None:
    victim = Path("/tmp") / f"slimline-pwned-{uuid.uuid4().hex[:8]}"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("../../../.." + str(victim))
        info.size = 5
        tf.addfile(info, io.BytesIO(b"owned"))
    layer = buf.getvalue()
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers",
                                    "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
                         "history": [{"created_by": "crafted"}]}).encode()
    ref = _push_raw(registry, "slimline-e2e/escape", [config, layer], {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": _descriptor("application/vnd.oci.image.config.v1+json", config),
        "layers": [_descriptor("application/vnd.oci.image.layer.v1.tar", layer)],
    })
    assert_clean_error(slimline("analyze", f"docker://{ref}"), "outside the image root")
    assert not victim.exists()


def test_truncated_docker_save(tmp_path: Path) -> None:
    archive = docker_save(SLIM, tmp_path / "slim.tar")
    data = archive.read_bytes()
    for cut in (len(data) // 3, len(data) - 5000):
        (tmp_path / "cut.tar").write_bytes(data[:cut])
        assert_clean_error(slimline("analyze", f"docker-archive:{tmp_path}/cut.tar"),
                           "truncated|missing from the archive")


def test_corrupt_blob_in_an_oci_layout(tmp_path: Path, registry: str) -> None:
    layout = tmp_path / "layout"
    skopeo_copy(f"docker://{registry}/python:3.11-slim", f"oci:{layout}:slim")
    blobs = sorted((layout / "blobs/sha256").iterdir(), key=lambda p: p.stat().st_size)
    biggest = blobs[-1]
    data = bytearray(biggest.read_bytes())
    data[len(data) // 2] ^= 0x01
    biggest.write_bytes(bytes(data))
    assert_clean_error(slimline("analyze", f"oci:{layout}:slim"), "digest mismatch")
    config = next(p for p in blobs if p.stat().st_size < 1 << 20
                  and b'"diff_ids"' in p.read_bytes())
    config.write_bytes(config.read_bytes().replace(b'"os":"linux"', b'"os":"Linux"'))
    assert_clean_error(slimline("analyze", f"oci:{layout}:slim"), "digest mismatch")


def test_nothing_written_outside_the_output(tmp_path: Path) -> None:
    """A run reads images and writes only the report it is asked to write."""
    archive = docker_save(SLIM, tmp_path / "slim.tar")
    work = tmp_path / "cwd"
    work.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    before = {p: p.stat().st_mtime for p in tmp_path.rglob("*")}
    proc = subprocess.run(
        [sys.executable, "-m", "slimline", "analyze", f"docker-archive:{archive}", "-o",
         str(work / "report.txt")],
        cwd=work, env={**os.environ, "HOME": str(home)}, capture_output=True, text=True,
        timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    after = {p: p.stat().st_mtime for p in tmp_path.rglob("*")}
    assert set(after) - set(before) == {work / "report.txt"}
    assert all(after[p] == before[p] for p in before if p != work)
