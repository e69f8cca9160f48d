"""`slimline optimize DIR` with a compose file, without building: which mode, which
services, which options, the reports and the total."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from slimline.cli.commands import optimize as _optimize  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.compose import load_project
from slimline.optimize import ImageSide
from slimline.optimize_compose import ComposeOptions, optimize_compose
from slimline.report import render

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "compose-two-services"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(EXAMPLE, target)
    return target


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["optimize", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_directory_with_a_compose_file_is_a_compose_project(example: Path) -> None:
    code, out, err = invoke(str(example), "--no-build", "--unsafe", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "slimline.optimize-compose/v1"
    assert doc["project"] == "compose-two-services"
    assert [s["name"] for s in doc["services"]] == ["api", "web"]
    assert {s["status"] for s in doc["services"]} == {"no-engine"}
    assert doc["ignored"] == ["cache"] and doc["total"] is None and doc["failed"] is False
    api = doc["services"][0]
    assert api["build_args"] == ["GREETING"] and api["probe_source"] == "x-slimline-probe"
    assert "SL103" in api["optimize"]["fixed"]


def test_service_filter_and_compose_file_option(example: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.yaml"
    shutil.move(example / "compose.yaml", moved)
    (example / "compose.yaml").write_text("services: {}\n")  # not the one named
    moved.write_text(moved.read_text().replace("./api", str(example / "api")).replace(
        "context: web", f"context: {example / 'web'}"))
    code, out, err = invoke(
        str(example), "--compose-file", str(moved), "--service", "web", "--no-build",
        "--format", "json",
    )
    assert code == 0, err
    assert [s["name"] for s in json.loads(out)["services"]] == ["web"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--probe-port", "80"], "--probe-*: not for a compose project"),
        (["--html", "x.html"], "--html: not for a compose project"),
        (["--service", "nope"], "no built service named nope (built services: api, web)"),
    ],
)
def test_options_that_do_not_apply_are_one_error(example: Path, args: list[str], message: str) -> None:
    code, out, err = invoke(str(example), "--no-build", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "compose.yaml" in lines[0]


def test_dash_f_keeps_the_single_dockerfile_mode(example: Path) -> None:
    code, out, err = invoke(
        str(example / "api"), "-f", str(example / "api" / "Dockerfile"), "--no-build",
        "--format", "json",
    )
    assert code == 0, err
    assert json.loads(out)["schema"] == "slimline.optimize/v1"


def test_hostile_compose_file_is_one_line_exit_2(example: Path) -> None:
    levels = ['a0: &a0 ["lol"]'] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)
    ]
    (example / "compose.yaml").write_text("\n".join(levels) + "\nservices:\n  x:\n    build: api\n")
    code, _, err = invoke(str(example), "--no-build")
    assert code == 2
    assert err.strip().splitlines() == [
        f"slimline: {example / 'compose.yaml'}:6: the document expands to more than 100000 "
        "nodes through its aliases (an alias bomb?)"
    ]


def test_no_built_service(example: Path) -> None:
    (example / "compose.yaml").write_text("services:\n  db:\n    image: postgres\n")
    code, _, err = invoke(str(example), "--no-build")
    assert code == 2 and "no service has a build" in err


def test_totals_count_what_ships(example: Path) -> None:
    project = load_project(example / "compose.yaml", {})
    result = optimize_compose(project, ComposeOptions(unsafe=True, build=False))
    api, web = result.services
    assert result.totals() is None
    for service, (before, after, passed) in ((api, (900, 60, True)), (web, (800, 900, True))):
        assert service.result is not None
        service.result.before = ImageSide("b", size=before, probe_passed=True)
        service.result.after = ImageSide("a", size=after, probe_passed=passed)
    api.status, web.status = "optimized", "no-gain"
    # api ships its optimized image, web its original (the optimized one is bigger).
    assert result.totals() == (1700, 860)
    assert api.probe == "passed" and api.kept and not web.kept
    web.status = "probe-failed"
    assert result.failed
    text = render("text", "optimize-compose", result)
    assert "total" in text and "-49.4 % (2.0x)" in text  # 1700 -> 860
    markdown = render("markdown", "optimize-compose", result)
    assert "| api | 900 B | 60 B |" in markdown and "**total**" in markdown
    assert "| web | 800 B | 900 B | golang:1.19 | passed | none | probe-failed |" in markdown


@pytest.mark.parametrize(
    ("project", "service", "prefix"),
    [
        ("compose-two-services", "api", "slimline-optimize/compose-two-services-api"),
        ("My_Project", "_web.1", "slimline-optimize/my-project-web-1"),
        ("日本", "--", "slimline-optimize/service"),
    ],
)
def test_tags_are_valid_image_names(project: str, service: str, prefix: str) -> None:
    from slimline.optimize_compose import _tag_prefix
    from slimline.reference import parse_docker_reference

    assert _tag_prefix(project, service) == prefix
    parse_docker_reference(f"{prefix}/app:before")
