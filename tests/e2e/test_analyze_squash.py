"""Reclaimable bytes are what squashing really saves.

The image is squashed by the engine itself (``docker export`` of a container,
``docker import`` of the stream). The bytes of file data before and after are
measured independently of slimline (Python's tarfile over ``docker save`` and
``docker export``; hardlinked data counted once, as the export stores it once) and
must match slimline's total, squashed and reclaimable bytes exactly, once the three
files every container gets empty (/etc/hostname, /etc/hosts, /etc/resolv.conf) are
accounted for. Docker's own
image sizes must agree too, within 0.1 % of the image (Docker also counts the
length of symlink targets in the layers it builds).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_analyze_support import (
    CONTAINER_INIT_FILES,
    DOCKER,
    analyze_json,
    final_sizes_in_save,
    saved_archive,
    saved_layers_content_bytes,
    sh,
    tar_content_bytes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WASTEFUL = """\
FROM python:3.11-slim
RUN apt-get update
RUN head -c 20000000 /dev/urandom > /blob && ln /blob /blob-link && cp /blob /blob-copy \\
 && mkdir -p /data/cache && head -c 3000000 /dev/urandom > /data/cache/tmp.bin
RUN rm -rf /var/lib/apt/lists/* /blob-copy /data/cache && chmod 600 /blob
RUN chown -R nobody /usr/lib/python3/dist-packages/pip
"""


@pytest.fixture(scope="module")
def wasteful(build_image: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    context = tmp_path_factory.mktemp("wasteful")
    (context / "Dockerfile").write_text(WASTEFUL)
    return str(build_image(context, name="wasteful").tag)


def image_size(tag: str) -> int:
    return int(sh(DOCKER, "image", "inspect", "-f", "{{.Size}}", tag).stdout.strip())


@pytest.mark.parametrize("subject", ["wasteful", "example:flask-layers", "example:fastapi-naive"])
def test_reclaimable_equals_the_squash_saving(
    subject: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if subject == "wasteful":
        tag = request.getfixturevalue("wasteful")
    else:
        example_image: Callable[[str], Any] = request.getfixturevalue("example_image")
        tag = example_image(subject.split(":", 1)[1]).tag
    ours = analyze_json(f"docker-daemon:{tag}")
    summary = ours["summary"]

    saved = saved_archive(tag)
    before = saved_layers_content_bytes(saved)
    # the engine empties these in every container, so the export lacks their bytes
    init_bytes = sum(final_sizes_in_save(saved, CONTAINER_INIT_FILES).values())
    container = sh(DOCKER, "create", tag).stdout.strip()
    squashed = f"slimline-e2e/squashed:{uuid.uuid4().hex[:10]}"
    try:
        after = tar_content_bytes([DOCKER, "export", container])
        sh("sh", "-c", f"{DOCKER} export {container} | {DOCKER} import - {squashed}")
        docker_before, docker_after = image_size(tag), image_size(squashed)
        squashed_doc = analyze_json(f"docker-daemon:{squashed}")
    finally:
        sh(DOCKER, "rm", "-f", container, check=False)
        sh(DOCKER, "rmi", "-f", squashed, check=False)

    assert summary["size"] == before
    assert summary["final_size"] == after + init_bytes
    assert summary["reclaimable_bytes"] == before - after - init_bytes
    assert squashed_doc["summary"]["size"] == after
    assert squashed_doc["summary"]["reclaimable_bytes"] == 0
    docker_saving = docker_before - docker_after
    assert abs(docker_saving - summary["reclaimable_bytes"]) <= 0.001 * docker_before, (
        docker_saving, summary["reclaimable_bytes"])
    if subject == "wasteful":
        # apt lists, the deleted copy and cache, the rewritten /blob and pip's files
        # are reclaimable; the hardlinked 20 MB in layer 3 is not (/blob-link keeps it)
        assert summary["reclaimable_bytes"] > 23_000_000
        assert summary["wasted_bytes"] - summary["reclaimable_bytes"] == 20_000_000
        ids = {r["id"] for r in ours["recommendations"]}
        assert "cleanup-in-later-layer" in ids
