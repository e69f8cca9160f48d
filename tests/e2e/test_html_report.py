"""HTML reports of real images, opened in headless Chromium (Debian's package).

The charts must render (every chart SVG has a non-empty box and drawn shapes) with
no console errors and no network request; a PNG screenshot of each page is kept in
artifacts/html/ as the test's artifact.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from slimline.cli.commands import analyze as _analyze  # noqa: F401
from slimline.cli.commands import compare as _compare  # noqa: F401
from slimline.cli.commands import optimize as _optimize  # noqa: F401
from slimline.cli.main import cli
from slimline.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Any:
    if not Path(CHROMIUM).exists():
        if os.environ.get("SLIMLINE_REQUIRE_BROWSER") == "1":
            pytest.fail("SLIMLINE_REQUIRE_BROWSER=1 but Debian's chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def check_page(browser: Any, page_file: Path, screenshot: Path) -> int:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None
    )
    page.goto(page_file.as_uri())
    charts = page.locator("svg.chart")
    count = charts.count()
    assert count > 0
    for i in range(count):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 50 and box["height"] > 20
        assert charts.nth(i).locator("rect").count() > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    assert errors == [] and requests == []
    assert screenshot.stat().st_size > 10_000
    return count


@pytest.fixture(scope="module")
def optimized_go(
    engine: Engine, examples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """`slimline optimize --html` on a copy of the Go example, once for this module."""
    work = tmp_path_factory.mktemp("html")
    project = work / "go-server"
    shutil.copytree(examples_dir / "go-server", project)
    report = work / "report.html"
    json_out = work / "report.json"
    result = CliRunner().invoke(
        cli,
        [
            "optimize",
            str(project),
            "--unsafe",
            "--runtime",
            "scratch",
            "--html",
            str(report),
            "--format",
            "json",
            "-o",
            str(json_out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    return {"report": report, "doc": json.loads(json_out.read_text())}


def test_optimize_html_report(browser: Any, optimized_go: dict[str, Any]) -> None:
    report: Path = optimized_go["report"]
    text = report.read_text()
    assert "<script" not in text and "https://" not in text
    # before and after side by side: layer bars and two treemaps for each image
    assert check_page(browser, report, ARTIFACTS / "optimize-go-server.png") == 6


def test_compare_html_report(browser: Any, optimized_go: dict[str, Any], tmp_path: Path) -> None:
    doc = optimized_go["doc"]
    report = tmp_path / "compare.html"
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            f"docker-daemon:{doc['before']['tag']}",
            f"docker-daemon:{doc['after']['tag']}",
            "--html",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert check_page(browser, report, ARTIFACTS / "compare-go-server.png") == 2
    assert "gcc-12" in report.read_text()  # the Go toolchain image's compiler is gone


def test_analyze_html_report(engine: Engine, browser: Any, tmp_path: Path) -> None:
    report = tmp_path / "analyze.html"
    result = CliRunner().invoke(
        cli, ["analyze", "docker-daemon:python:3.11-slim", "--html", str(report), "--no-progress"]
    )
    assert result.exit_code == 0, result.stderr
    assert check_page(browser, report, ARTIFACTS / "analyze-python-slim.png") == 3
