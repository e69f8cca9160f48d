"""`slimline compare` on the naive FastAPI image and its optimized versions, built for real.

The optimized images come from `slimline fix --unsafe` applied to a copy of the
example (slim and distroless runtimes). The comparison must show what the rewrite
took out: the compiler toolchain (gcc, make, libc and Python headers) and the
package-manager tools, with sizes equal to what the engine reports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slimline.cli.compare import compare_command as _registered  # noqa: F401
from slimline.cli.main import cli
from slimline.dockerfile.parser import parse_file
from slimline.engine import Engine
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig
from slimline.report.json import COMPARE_SCHEMA as SCHEMA

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HEADERS = {"libc6-dev", "python3.11-dev", "libpython3.11-dev", "linux-libc-dev"}


def optimized_copy(example: Path, tmp: Path, runtime: str) -> Path:
    target = tmp / f"{example.name}-{runtime}"
    shutil.copytree(example, target)
    fixed = fix_dockerfile(parse_file(target / "Dockerfile"), LintConfig(), target, unsafe=True,
                           options=FixOptions(runtime=runtime))
    assert fixed.changed
    (target / "Dockerfile").write_text(fixed.fixed)
    for path, content in fixed.files.items():
        path.write_text(content)
    return target


def run_compare(a: str, b: str, *extra: str) -> dict[str, Any]:
    out = CliRunner().invoke(cli, ["compare", f"docker-daemon:{a}", f"docker-daemon:{b}",
                                   "--format", "json", *extra])
    assert out.exit_code == 0, out.output
    doc: dict[str, Any] = json.loads(out.output)
    assert doc["schema"] == SCHEMA
    return doc


@pytest.fixture(scope="module")
def naive(example_image: Callable[[str], Any]) -> str:
    return str(example_image("fastapi-naive").tag)


@pytest.fixture(scope="module")
def optimized(build_image: Any, examples_dir: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    built: dict[str, str] = {}

    def get(runtime: str) -> str:
        if runtime not in built:
            context = optimized_copy(examples_dir / "fastapi-naive",
                                     tmp_path_factory.mktemp("compare"), runtime)
            built[runtime] = str(build_image(context, name=f"fastapi-{runtime}").tag)
        return built[runtime]

    return get


def removed_packages(doc: dict[str, Any]) -> list[str]:
    return [p["name"] for p in doc["packages"] if p["change"] == "removed"]


def test_compare_naive_and_slim_shows_the_removed_toolchain(
        engine: Engine, naive: str, optimized: Callable[[str], str]) -> None:
    slim = optimized("slim")
    doc = run_compare(naive, slim, "--top", "10")
    a, b = doc["a"], doc["b"]
    assert a["size"] == engine.image_size(naive) and a["size_source"] == "engine"
    assert b["size"] == engine.image_size(slim)
    assert b["size"] < a["size"] / 3
    assert a["pull_seconds"] == pytest.approx(a["size"] * 8 / 100e6, abs=1e-3)
    assert b["user"] and not a["user"]

    # the compiler is the largest package removed, and its directory a top difference
    removed = removed_packages(doc)
    assert "gcc-12" in removed[:5], removed[:10]
    top_paths = [d["path"] for d in doc["differences"] if d["change"] == "removed"]
    assert "/usr/lib/gcc" in top_paths[:5], top_paths
    assert all(d["delta"] <= 0 for d in doc["differences"][:3])
    toolchain = doc["removed_toolchain"]
    assert {"gcc-12", "g++-12", "make"} <= set(toolchain), toolchain
    assert HEADERS & set(toolchain), toolchain
    assert "dpkg-dev" in toolchain  # the package-building half of dpkg
    highlight = next(h for h in doc["highlights"] if h.startswith("Toolchain removed"))
    assert "gcc-12" in highlight and "make" in highlight and "libc6-dev" in highlight

    # slim keeps apt and dpkg: what goes is dpkg-dev's tools, and B says what stays
    managers = next(t for t in doc["tools"] if t["category"] == "package-managers")
    assert managers["in_a"] and managers["in_b"]
    assert "/usr/bin/dpkg-buildpackage" in managers["removed"]
    assert "/usr/bin/apt-get" in b["package_managers"]


def test_compare_naive_and_distroless_shows_no_package_manager_or_shell(
        engine: Engine, naive: str, optimized: Callable[[str], str]) -> None:
    distroless = optimized("distroless")
    doc = run_compare(naive, distroless)
    assert doc["b"]["size"] == engine.image_size(distroless)
    assert doc["b"]["package_managers"] == [] and doc["b"]["shells"] == []
    tools = {t["category"]: t for t in doc["tools"]}
    managers = tools["package-managers"]
    assert managers["in_a"] and not managers["in_b"]
    assert {"/usr/bin/apt-get", "/usr/bin/dpkg"} <= set(managers["removed"])
    assert tools["shells"]["in_a"] and not tools["shells"]["in_b"]
    assert any(h.startswith("No package managers in B") for h in doc["highlights"])
    # distroless lists its packages in var/lib/dpkg/status.d: read, not missing
    assert doc["b"]["package_counts"].get("deb", 0) > 5
    removed = set(removed_packages(doc))
    assert {"gcc-12", "make", "apt", "dpkg", "bash"} <= removed


def test_compare_in_the_registry_measures_the_pull(registry: str) -> None:
    out = CliRunner().invoke(cli, ["compare", f"docker://{registry}/python:3.11",
                                   f"docker://{registry}/python:3.11-slim", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["pull_basis"] == "compressed"
    for side in ("a", "b"):
        pulled = doc[side]["measured_pull"]
        assert pulled["bytes"] == doc[side]["compressed_size"] > 0
        assert pulled["seconds"] > 0
        assert doc[side]["size"] == doc[side]["content_size"]  # no engine: the layers' data
    assert {"gcc-12", "make", "libc6-dev"} <= set(doc["removed_toolchain"])


def setid_files_in_a_container(image: str) -> list[str]:
    """What ``find`` lists in a container of ``image``: the ground truth for setuid/setgid."""
    out = subprocess.run(["docker", "run", "--rm", "--entrypoint", "find", image, "/", "-xdev",
                          "-perm", "/6000", "-type", "f"],
                         capture_output=True, text=True, check=True, timeout=300)
    return sorted(out.stdout.split())


def test_compare_full_and_slim_attack_surface(engine: Engine, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLIMLINE_VULNDB", str(tmp_path / "no-database.sqlite3"))
    doc = run_compare("python:3.11", "python:3.11-slim", "--no-measure-pull")
    surface = doc["attack_surface"]
    a, b = surface["a"], surface["b"]
    assert a["setid_files"] == setid_files_in_a_container("python:3.11")
    assert b["setid_files"] == setid_files_in_a_container("python:3.11-slim")
    assert len(b["setid_files"]) < len(a["setid_files"])
    assert b["packages"] < a["packages"] / 2
    assert a["packages"] >= doc["a"]["package_counts"]["deb"]  # python ones dpkg owns: debs
    assert "bash" in a["shells"] and "apt-get" in b["package_managers"]
    assert surface["vulnerabilities"] is None
    assert surface["vulnerabilities_note"].startswith(
        "vulnerabilities not compared: no vulnerability database at")
