"""``slimline analyze`` from the command line: formats, gates, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from imagebuilder import Spec, d, f, layer, wh, write_legacy_archive, write_oci_layout

from slimline.cli import commands  # noqa: F401  (registers the commands)
from slimline.cli.main import cli

HISTORY = [
    {"created_by": "/bin/sh -c #(nop) ADD file:aa in / "},
    {"created_by": '/bin/sh -c #(nop)  CMD ["bash"]', "empty_layer": True},
    {"created_by": "RUN /bin/sh -c apt-get update # buildkit"},
    {"created_by": "RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit"},
    {"created_by": "COPY app /app # buildkit"},
]
DOCKERFILE = "FROM debian:12\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\nCOPY app /app\n"


@pytest.fixture
def image(tmp_path: Path) -> Path:
    spec = Spec(
        [
            layer([d("bin"), f("bin/bash", 1_200_000), d("usr/share/doc"),
                   f("usr/share/doc/README", 3_000)]),
            layer([d("var/lib/apt/lists"), f("var/lib/apt/lists/main_Packages", 2_500_000)]),
            layer([d("var/lib/apt/lists"), wh("var/lib/apt/lists/main_Packages")]),
            layer([d("app"), f("app/main.py", 4_000)]),
        ],
        history=HISTORY,
    )
    path = tmp_path / "image.tar"
    write_legacy_archive(path, spec, tags=("demo:1",))
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["analyze", *args])


def test_json_output(image: Path):
    result = run(f"docker-archive:{image}", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "slimline.analyze/v1"
    assert doc["image"]["name"] == "demo:1"
    assert doc["image"]["transport"] == "docker-archive"
    assert doc["summary"]["size"] == 1_200_000 + 3_000 + 2_500_000 + 4_000
    assert doc["summary"]["final_size"] == 1_207_000
    assert doc["summary"]["reclaimable_bytes"] == 2_500_000
    assert [x["size"] for x in doc["layers"]] == [1_203_000, 2_500_000, 0, 4_000]
    assert doc["layers"][1]["instruction"] == "RUN apt-get update"
    assert doc["layers"][1]["wasted_by"] == [{"layer": 2, "bytes": 2_500_000}]
    assert doc["base"] == {"layers": 1, "history_entries": 2, "method": "history",
                           "name": None, "size": 1_203_000}
    ids = {r["id"] for r in doc["recommendations"]}
    assert "cleanup-in-later-layer" in ids
    assert doc["gates"] == {"checked": False, "passed": True, "results": []}
    # dive: /var/lib/apt/lists/main_Packages seen twice (2.5 MB + a 0-byte whiteout)
    assert doc["dive"]["wasted_bytes"] == 2_500_000
    assert doc["dive"]["efficiency"] == pytest.approx(1_207_000 / 3_707_000)


def test_text_output(image: Path, tmp_path: Path):
    result = run(f"docker-archive:{image}")
    assert result.exit_code == 0
    out = result.stdout
    for needle in ("demo:1", "reclaimable", "Layers", "RUN apt-get update", "Recommendations",
                   "SL110"):
        assert needle in out


def test_dockerfile_lines(image: Path, tmp_path: Path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    result = run(f"docker-archive:{image}", "--format", "json", "--dockerfile", str(dockerfile))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [x["dockerfile"]["line"] if x["dockerfile"] else None for x in doc["layers"]] == [
        None, 2, 3, 4]
    assert doc["dockerfile"] == str(dockerfile)
    rec = next(r for r in doc["recommendations"] if r["id"] == "cleanup-in-later-layer")
    assert rec["dockerfile"]["line"] == 3


def test_ci_gates_exit_1(image: Path, tmp_path: Path):
    result = run(f"docker-archive:{image}", "--ci", "--format", "json")
    assert result.exit_code == 1  # efficiency 0.33 < 0.9
    doc = json.loads(result.stdout)
    assert doc["gates"]["passed"] is False
    statuses = {g["key"]: g["status"] for g in doc["gates"]["results"]}
    assert statuses == {"lowest-efficiency": "fail", "highest-wasted-bytes": "disabled",
                        "highest-user-wasted-percent": "fail"}
    result = run(f"docker-archive:{image}", "--ci", "--lowest-efficiency", "0.2",
                 "--highest-user-wasted-percent", "disabled")
    assert result.exit_code == 0, result.stdout
    result = run(f"docker-archive:{image}", "--max-reclaimable", "1MB")
    assert result.exit_code == 1
    result = run(f"docker-archive:{image}", "--max-size", "4MB")
    assert result.exit_code == 0


def test_dive_ci_file_in_the_working_directory(image: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # user wasted ratio: 2.5 MB of the 2.504 MB above the first layer
    Path(".dive-ci").write_text("rules:\n  lowest-efficiency: 0.1\n"
                                "  highest-user-wasted-percent: 0.999\n")
    assert run(f"docker-archive:{image}", "--ci").exit_code == 0
    Path(".dive-ci").write_text("rules:\n  lowest-efficiency: 0.1\n"
                                "  highest-user-wasted-percent: 0.998\n")
    assert run(f"docker-archive:{image}", "--ci").exit_code == 1
    Path(".dive-ci").write_text("rules:\n  highest-wasted-bytes: 1MB\n")
    assert run(f"docker-archive:{image}", "--ci", "--lowest-efficiency", "0",
               "--highest-user-wasted-percent", "1").exit_code == 1
    custom = tmp_path / "gates.yaml"
    custom.write_text("rules:\n  max-size: 1kB\n")
    result = run(f"docker-archive:{image}", "--ci-config", str(custom), "--lowest-efficiency",
                 "0", "--highest-user-wasted-percent", "1")
    assert result.exit_code == 1
    assert "max-size" in result.stdout


def test_output_file(image: Path, tmp_path: Path):
    out = tmp_path / "report.json"
    result = run(f"docker-archive:{image}", "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["schema"] == "slimline.analyze/v1"


def _assert_clean_error(result, pattern: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("slimline: "), result.stderr
    assert "Traceback" not in result.stderr
    import re

    assert re.search(pattern, lines[0]), lines[0]


def test_bad_input_exits_2(image: Path, tmp_path: Path):
    _assert_clean_error(run(f"docker-archive:{tmp_path}/missing.tar"), "no such file")
    _assert_clean_error(run(f"docker-archive:{image}", "--platform", "amd64"), "invalid platform")
    _assert_clean_error(run(f"docker-archive:{image}", "--platform", "linux/arm64"),
                        "is linux/amd64, not linux/arm64")
    _assert_clean_error(run(f"docker-archive:{image}", "--lowest-efficiency", "2"),
                        "outside the allowed range")
    _assert_clean_error(run(f"docker-archive:{image}", "--max-size", "big"), "invalid max-size")
    bad_ci = tmp_path / "bad.yaml"
    bad_ci.write_text("rules:\n  nonsense: 1\n")
    _assert_clean_error(run(f"docker-archive:{image}", "--ci-config", str(bad_ci)),
                        "unknown CI rule")
    data = image.read_bytes()
    (tmp_path / "cut.tar").write_bytes(data[: len(data) * 2 // 3])
    _assert_clean_error(run(f"docker-archive:{tmp_path}/cut.tar"), "truncated|missing")
    _assert_clean_error(run("oci:" + str(tmp_path)), "not an OCI layout")
    df = tmp_path / "Dockerfile.bad"
    df.write_text("FROM alpine\nRUN <<EOF\nnever closed\n")
    _assert_clean_error(run(f"docker-archive:{image}", "--dockerfile", str(df)), "Dockerfile.bad")


def test_corrupt_layer_blob_exits_2(tmp_path: Path):
    spec = Spec([layer([f("a", 50_000)]), layer([f("b", 10)])])
    write_oci_layout(tmp_path / "lay", spec, "gzip")
    blobs = sorted((tmp_path / "lay/blobs/sha256").iterdir(), key=lambda p: -p.stat().st_size)
    biggest = blobs[0]
    data = bytearray(biggest.read_bytes())
    data[len(data) // 2] ^= 0x55
    biggest.write_bytes(bytes(data))
    _assert_clean_error(run(f"oci:{tmp_path}/lay"), "digest mismatch|decompress|corrupt")


def test_markdown_output(image: Path):
    result = run(f"docker-archive:{image}", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("### slimline analyze: `docker-archive:")
    assert "| reclaimable | 2.5 MB |" in text
    assert "| 2 | 2.5 MB | `RUN apt-get update` |" in text


def test_html_output(image: Path, tmp_path: Path):
    page = tmp_path / "report.html"
    result = run(f"docker-archive:{image}", "--html", str(page))
    assert result.exit_code == 0, result.stderr
    html = page.read_text()
    assert html.count('<svg class="chart') == 3 and "<script" not in html


def test_limits_are_set_with_limit(image: Path):
    lowered = run(f"docker-archive:{image}", "--limit", "entries=2")
    assert lowered.exit_code == 2
    assert "Traceback" not in lowered.output
    assert "more than 2 tar entries, over the limit of 2 (raise it with --limit entries=N" \
        in lowered.stderr
    raised = run(f"docker-archive:{image}", "--limit", "entries=100", "--format", "json")
    assert raised.exit_code == 0, raised.stderr
    bad = run(f"docker-archive:{image}", "--limit", "entries")
    assert bad.exit_code == 2 and "expected NAME=VALUE" in bad.stderr
    # the limits of one command do not stay for the next
    assert run(f"docker-archive:{image}", "--format", "json").exit_code == 0
