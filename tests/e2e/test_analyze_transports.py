"""The same image through every transport gives the same analysis.

Each subject (stand-in base images and the examples' naive images, built by the
real engine) is read from the Docker engine, from a ``docker save`` archive (plain
and gzip-compressed), from the local registry, and from OCI layouts and OCI
archives written by skopeo (gzip as pushed, and zstd). Everything but the fields
that describe how a transport stores blobs must be identical.
"""

from __future__ import annotations

import gzip
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_analyze_support import (
    DOCKER,
    analyze_json,
    push,
    saved_archive,
    sh,
    skopeo_copy,
    transport_neutral,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SUBJECTS = [
    pytest.param("python:3.11-slim", id="python-slim"),
    pytest.param("gcr.io/distroless/python3-debian12:latest", id="distroless-python"),
    pytest.param("example:flask-layers", id="flask-layers"),
    pytest.param("example:fastapi-naive", id="fastapi-naive"),
]


@pytest.fixture(scope="module")
def references(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, registry: str,
) -> Callable[[str], dict[str, str]]:
    made: dict[str, dict[str, str]] = {}

    def get(subject: str) -> dict[str, str]:
        if subject in made:
            return made[subject]
        if subject.startswith("example:"):
            example_image = request.getfixturevalue("example_image")
            tag = example_image(subject.split(":", 1)[1]).tag
        else:
            tag = subject
        work = tmp_path_factory.mktemp("transports")
        token = uuid.uuid4().hex[:8]
        slug = tag.replace("/", "-").replace(":", "-").replace(".", "-")
        archive = saved_archive(tag)
        remote = push(tag, registry, f"slimline-e2e/{slug}:{token}")
        refs = {
            "docker-daemon": f"docker-daemon:{tag}",
            "docker-archive": f"docker-archive:{archive}",
            "docker": f"docker://{remote}",
        }
        skopeo_copy(f"docker://{remote}", f"oci:{work / 'layout'}:{token}")
        refs["oci"] = f"oci:{work / 'layout'}:{token}"
        skopeo_copy(f"docker://{remote}", f"oci-archive:{work / 'oci.tar'}")
        refs["oci-archive"] = f"oci-archive:{work / 'oci.tar'}"
        if subject == "python:3.11-slim":
            skopeo_copy(f"docker-daemon:{tag}", f"oci:{work / 'zstd'}:z",
                        "--dest-compress-format", "zstd")
            refs["oci-zstd"] = f"oci:{work / 'zstd'}:z"
            with archive.open("rb") as src, gzip.open(work / "saved.tar.gz", "wb", 1) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            refs["docker-archive-gz"] = f"docker-archive:{work / 'saved.tar.gz'}"
        made[subject] = refs
        return refs

    return get


@pytest.mark.parametrize("subject", SUBJECTS)
def test_identical_results_whatever_the_transport(
    subject: str, references: Callable[[str], dict[str, str]]
) -> None:
    refs = references(subject)
    docs: dict[str, dict[str, Any]] = {name: analyze_json(ref) for name, ref in refs.items()}
    daemon = docs["docker-daemon"]
    assert daemon["summary"]["size"] > 0 and daemon["layers"]
    expected = transport_neutral(daemon)
    for name, doc in docs.items():
        assert doc["image"]["transport"] == name.split("-zstd")[0].split("-gz")[0] or (
            name == "docker-archive-gz" and doc["image"]["transport"] == "docker-archive")
        assert transport_neutral(doc) == expected, f"{name} differs from the daemon"
    # docker save and docker push keep the config byte for byte (same image ID);
    # skopeo rewrites it when it converts to an OCI manifest (the diff IDs stay).
    for name in ("docker-archive", "docker"):
        assert docs[name]["image"]["id"] == daemon["image"]["id"], name
    # what transports do differ in: where blobs are compressed, sizes are known
    assert docs["docker"]["summary"]["compressed_size"] is not None
    assert docs["docker"]["summary"]["compressed_size"] < daemon["summary"]["tar_size"]
    assert docs["docker"]["image"]["manifest_digest"].startswith("sha256:")
    assert all(layer["compression"] == "gzip" for layer in docs["oci"]["layers"])
    if "oci-zstd" in docs:
        assert all(layer["compression"] == "zstd" for layer in docs["oci-zstd"]["layers"])
    assert all(layer["compression"] == "none" for layer in docs["docker-archive"]["layers"])


def test_bare_name_reads_the_daemon(registry: str) -> None:
    # The name carries the local registry's host, so that if the engine did not
    # answer, the fallback would go to the local registry, never to Docker Hub.
    name = f"{registry}/python:3.11-slim"
    sh(DOCKER, "tag", "python:3.11-slim", name)
    try:
        assert analyze_json(name)["image"]["transport"] == "docker-daemon"
    finally:
        sh(DOCKER, "rmi", name, check=False)
    # absent from the engine: the registry answers (the stand-in is pushed there)
    assert analyze_json(f"{registry}/python:3.11-slim")["image"]["transport"] == "docker"


def test_platform_of_a_single_platform_image(references: Callable[[str], dict[str, str]],
                                             tmp_path: Path) -> None:
    refs = references("python:3.11-slim")
    doc = analyze_json(refs["docker"], "--platform", "linux/amd64")
    assert doc["image"]["platform"] == "linux/amd64"
