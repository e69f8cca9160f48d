"""Hostile names through every renderer: brackets are text, escapes are visible, bad bytes never crash.

The inputs come from a real image (file names and history) and a real Dockerfile,
read the way slimline reads them; nothing is mocked.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from imagebuilder import E, Spec, d, f, layer, write_oci_layout

from slimline.analysis.model import AnalysisResult
from slimline.analysis.run import AnalyzeRequest, run_analyze
from slimline.cli import commands  # noqa: F401  (registers the commands)
from slimline.cli.main import cli
from slimline.compare import CompareResult, compare
from slimline.report import RenderOptions, render

ESC = "\x1b[31m"
BAD = "bad-\udcff.txt"  # the file name b"bad-\xff.txt", decoded with surrogateescape
STATUS = """\
Package: uvicorn[standard]
Status: install ok installed
Installed-Size: 10
Version: 1.0\x1b[0m
"""


def _hostile() -> Spec:
    return Spec(
        [
            layer([d("app"), f("app/[slug].js", 4_000), d("x"), d("x/["), f("x/[/]", 3_000),
                   f(f"app/{ESC}red", 2_000)]),
            layer([d("data"), E(f"data/{BAD}", "file", data=bytes(5_000))],
                  fmt=tarfile.GNU_FORMAT),
            layer([d("var/lib/dpkg"), E("var/lib/dpkg/status", "file", data=STATUS.encode())]),
        ],
        history=[
            {"created_by": "RUN /bin/sh -c pip install uvicorn[standard] # buildkit"},
            {"created_by": f"RUN /bin/sh -c echo {ESC}pwned\x07 # buildkit"},
            {"created_by": "COPY status /var/lib/dpkg/status # buildkit"},
        ],
        config_extra={"User": "[bold]app[/]"},
    )


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    tmp = tmp_path_factory.mktemp("hostile")
    write_oci_layout(tmp / "hostile", _hostile(), "gzip")
    write_oci_layout(tmp / "plain", Spec([layer([d("app"), f("app/main.js", 1_000)])]), "gzip")
    return f"oci:{tmp / 'plain'}", f"oci:{tmp / 'hostile'}"


@pytest.fixture(scope="module")
def analysis(images: tuple[str, str]) -> AnalysisResult:
    return run_analyze(AnalyzeRequest(reference=images[1], top=50))


@pytest.fixture(scope="module")
def comparison(images: tuple[str, str]) -> CompareResult:
    return compare(images[1], images[0], measure_pulls=False)  # hostile (A) -> plain (B)


def _assert_safe_text(out: str) -> None:
    """Shown as text: no raw control character, no undecodable byte, brackets kept."""
    assert "\x1b" not in out and "\x07" not in out
    assert not any("\ud800" <= ch <= "\udfff" for ch in out)
    out.encode("utf-8")  # strict: does not raise


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_analyze_shows_hostile_names_as_text(analysis: AnalysisResult, fmt: str) -> None:
    out = render(fmt, "analyze", analysis, RenderOptions(top=50))
    _assert_safe_text(out)
    assert "uvicorn[standard]" in out
    assert "echo \\x1b[31mpwned\\x07" in out
    if fmt == "html":  # the page charts directories, not files
        assert "/x/[" in out
    if fmt == "text":  # markdown lists layers and categories, not file names
        assert "[slug].js" in out
        assert "x/[/]" in out
        assert "\\x1b[31mred" in out
        assert "bad-\ufffd.txt" in out
        assert "[bold]app[/]" in out


def test_analyze_json_is_utf8_and_keeps_the_bytes(analysis: AnalysisResult) -> None:
    out = render("json", "analyze", analysis)
    raw = out.encode("utf-8")  # valid UTF-8
    assert b"\\udcff" in raw and "\ufffd" not in out
    doc = json.loads(raw)
    paths = {f["path"] for f in doc["largest_files"]}
    assert f"/data/{BAD}" in paths  # the surrogate escape, as read
    assert f"/data/{BAD}".encode("utf-8", "surrogateescape") == b"/data/bad-\xff.txt"
    assert {"/app/[slug].js", "/x/[/]", f"/app/{ESC}red"} <= paths
    assert any("uvicorn[standard]" in layer["created_by"] for layer in doc["layers"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_compare_shows_hostile_names_as_text(comparison: CompareResult, fmt: str) -> None:
    out = render(fmt, "compare", comparison, RenderOptions(top=50))
    _assert_safe_text(out)
    assert "uvicorn[standard]" in out  # a package name
    if fmt == "text":
        assert "1.0\\x1b[0m" in out  # its version
        assert "[bold]app[/]" in out  # the user
    if fmt != "html":  # the HTML page charts differences by directory
        assert "[slug].js" in out or "/app/* (" in out


def test_compare_json_is_utf8(comparison: CompareResult) -> None:
    out = render("json", "compare", comparison, RenderOptions(top=50))
    doc = json.loads(out.encode("utf-8"))
    assert any(p["name"] == "uvicorn[standard]" for p in doc["packages"])
    assert doc["a"]["user"] == "[bold]app[/]"


def test_analyze_cli_stdout_json_is_utf8_and_files_are_written(
    images: tuple[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", "--format", "json", images[1]])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout_bytes.decode("utf-8"))
    out, page = tmp_path / "report.txt", tmp_path / "report.html"
    result = runner.invoke(cli, ["analyze", images[1], "-o", str(out), "--html", str(page)])
    assert result.exit_code == 0, result.output
    _assert_safe_text(out.read_text(encoding="utf-8"))
    _assert_safe_text(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("option", ["-o", "--html"])
def test_output_into_a_missing_directory_is_one_line(
    images: tuple[str, str], tmp_path: Path, option: str
) -> None:
    target = tmp_path / "no-such-dir" / "report"
    result = CliRunner().invoke(cli, ["analyze", images[0], option, str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"slimline: {target}: cannot write: No such file or directory"
    )
    assert "Traceback" not in result.output
    assert not target.parent.exists()


# -- lint ----------------------------------------------------------------------------------------

DOCKERFILE = f"FROM python:3.11\nRUN pip install uvicorn[standard]\nRUN echo '{ESC}'\n"


@pytest.fixture
def odd_files(tmp_path: Path) -> list[Path]:
    brackets = tmp_path / "x" / "[" / "]"
    brackets.parent.mkdir(parents=True)
    slug = tmp_path / "[slug].Dockerfile"
    undecodable = Path(tmp_path.as_posix() + "/Dockerfile.bad-\udcff")
    for path in (brackets, slug, undecodable):
        path.write_bytes(DOCKERFILE.encode())
    return [brackets, slug, undecodable]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_lint_text_formats(odd_files: list[Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"lint.{fmt}"
    args = ["lint", "--format", fmt, "-o", str(out), *map(str, odd_files)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    text = out.read_text(encoding="utf-8")
    _assert_safe_text(text)
    assert str(odd_files[0]) in text  # .../x/[/]
    assert "[slug].Dockerfile" in text
    assert "Dockerfile.bad-\ufffd" in text
    if fmt == "text":
        assert "uvicorn[standard]" in text  # the source line
        assert "echo '\\x1b[31m'" in text


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_lint_json_formats_on_stdout(odd_files: list[Path], fmt: str) -> None:
    result = CliRunner().invoke(cli, ["lint", "--format", fmt, *map(str, odd_files)])
    assert result.exit_code == 1, result.output
    raw = result.stdout_bytes
    assert b"\\udcff" in raw
    doc = json.loads(raw.decode("utf-8"))
    text = json.dumps(doc, ensure_ascii=False)
    assert "Dockerfile.bad-\udcff" in text and "[slug].Dockerfile" in text


# -- optimize (no build: the findings and the proposed diff) -------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_optimize_diff_with_escapes(tmp_path: Path, fmt: str) -> None:
    from slimline.optimize import OptimizeOptions, optimize

    project = tmp_path / "[app]"
    project.mkdir()
    dockerfile = project / "Dockerfile"
    dockerfile.write_text("FROM python:3.11\nRUN apt-get update && apt-get install -y "
                          f"curl\nRUN echo '{ESC}' > /{BAD}\n", errors="surrogateescape")
    result = optimize(OptimizeOptions(dockerfile=dockerfile, context=project, build=False))
    assert result.diff
    out = render(fmt, "optimize", result)
    if fmt == "json":
        doc = json.loads(out.encode("utf-8"))
        assert doc["dockerfile"] == str(dockerfile)
        assert ESC in doc["diff"] and BAD in doc["diff"]
        return
    _assert_safe_text(out)
    assert "[app]/Dockerfile" in out
    assert "\\x1b[31m" in out and "bad-\ufffd.txt" in out  # in the diff
