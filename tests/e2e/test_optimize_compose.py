"""`slimline optimize DIR` on a compose project, with real builds and real probes.

examples/compose-two-services: a Flask API on python:3.11 (a build argument from .env,
checked by its x-slimline-probe) and a Go server on golang:1.19 built to its `app` target
(probed on its published port). Both must come out smaller and probed, the total must be
the sum, and --write must write only what passed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_optimize import run_optimize as run

from slimline.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MB = 1_000_000
EXAMPLE = "compose-two-services"


def test_optimize_compose_project(
    engine: Engine, build_image: Callable[..., Any], examples_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / EXAMPLE
    shutil.copytree(examples_dir / EXAMPLE, project)
    originals = {name: (project / name / "Dockerfile").read_text() for name in ("api", "web")}
    code, doc, err = run(project, "--unsafe", "--runtime", "distroless", "--write")
    assert code == 0, err
    assert doc["schema"] == "slimline.optimize-compose/v1"
    assert doc["failed"] is False
    assert doc["ignored"] == ["cache"]
    services = {s["name"]: s for s in doc["services"]}
    assert sorted(services) == ["api", "web"]
    for name, service in services.items():
        single = service["optimize"]
        assert service["status"] == "optimized", service["message"]
        assert service["probe"] == "passed"
        assert single["before"]["probe_passed"] is True and single["after"]["probe_passed"] is True
        assert service["before"] == engine.image_size(single["before"]["tag"])
        assert service["after"] == engine.image_size(single["after"]["tag"])
        assert service["after"] < service["before"]
        assert service["runtime"].startswith("gcr.io/distroless/")
        # --write: the Dockerfile is the optimized one, the original kept beside it.
        assert (project / name / "Dockerfile.orig").read_text() == originals[name]
        assert (project / name / "Dockerfile").read_text() != originals[name]
        assert str(project / name / "Dockerfile") in service["written"]
        print(f"compose {name}: {service['before'] / MB:.1f} MB -> {service['after'] / MB:.1f} MB")
    # The build argument from .env reached the image (the api probe checks the greeting) and
    # the web target was built: the Go builder stage is not what ships.
    assert services["api"]["build_args"] == ["GREETING"]
    assert services["api"]["probe_source"] == "x-slimline-probe"
    assert services["web"]["target"] == "app" and services["web"]["probe_source"] == "ports"
    assert services["web"]["after"] < 20 * MB
    total = doc["total"]
    assert total["before"] == services["api"]["before"] + services["web"]["before"]
    assert total["after"] == services["api"]["after"] + services["web"]["after"]
    print(f"compose total: {total['before'] / MB:.1f} MB -> {total['after'] / MB:.1f} MB")
    # The compose file is unchanged and still builds web's `app` target: after --write that
    # target is the shipped stage (the Go builder was renamed), as docker compose would build it.
    assert "target: app" in (project / "compose.yaml").read_text()
    written = build_image(project / "web", name="compose-web-written", target="app")
    assert engine.image_size(written.tag) < 20 * MB
    assert any("names the shipped (last) stage again" in n for n in services["web"]["optimize"]["notes"])
    # Optimizing again finds nothing to do.
    code, again, err = run(project, "--unsafe", "--runtime", "distroless", "--no-build")
    assert code == 0, err
    assert [s["status"] for s in again["services"]] == ["no-change", "no-change"]


def test_a_service_whose_original_fails_alone_is_not_verifiable(
    engine: Engine, examples_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / EXAMPLE
    shutil.copytree(examples_dir / EXAMPLE, project)
    compose = project / "compose.yaml"
    compose.write_text(
        compose.read_text().replace(
            "    depends_on:\n",
            "    x-slimline-probe:\n      body_contains: not what the server answers\n"
            "    depends_on:\n",
        )
    )
    original = (project / "web" / "Dockerfile").read_text()
    code, doc, err = run(project, "--unsafe", "--runtime", "distroless", "--service", "web", "--write")
    assert code == 1, err
    (service,) = doc["services"]
    # The probe asks for what no image of web answers, its original neither: not a
    # break of slimline's making, but nothing verified (exit 1), nothing written.
    assert service["name"] == "web" and service["status"] == "not-verifiable"
    assert service["message"].startswith(
        "not verifiable alone: the original fails its probe too (does it need another "
        "service? set x-slimline-probe)"
    )
    assert service["probe"] == "FAILED (the original too)" and service["written"] == []
    assert doc["failed"] is False and doc["unverified"] == ["web"]
    assert service["optimize"]["before"]["probe_passed"] is False
    assert doc["total"]["after"] == doc["total"]["before"] == service["before"]
    assert (project / "web" / "Dockerfile").read_text() == original
    assert not (project / "web" / "Dockerfile.orig").exists()
