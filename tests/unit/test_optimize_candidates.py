"""``optimize --runtime auto`` without an engine: which runtimes are candidates for a
Dockerfile (the fix engine's real rewrites), which one is kept, and how reports show them."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from slimline.dockerfile.parser import parse_file
from slimline.fix.engine import FixResult
from slimline.optimize import Candidate, ImageSide, OptimizeOptions, optimize
from slimline.optimize_candidates import decide, plan
from slimline.report.html import optimize_html
from slimline.report.json import optimize_json
from slimline.report.markdown import optimize_markdown
from slimline.report.text.optimize import render_text

FLASK = """FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
"""
GO = """FROM golang:1.19
WORKDIR /app
COPY . .
RUN go build -o server .
CMD ["./server"]
"""


def project(tmp_path: Path, dockerfile: str, **files: str) -> OptimizeOptions:
    (tmp_path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return OptimizeOptions(dockerfile=tmp_path / "Dockerfile", context=tmp_path, unsafe=True)


def planned(options: OptimizeOptions) -> list[tuple[str, str, str]]:
    return [(c.runtime, c.outcome, c.reason) for c in plan(parse_file(options.dockerfile), options)]


def test_python_tries_distroless_then_slim_and_never_scratch(tmp_path: Path) -> None:
    options = project(tmp_path, FLASK, **{"requirements.txt": "flask\ngunicorn\n"})
    cands = plan(parse_file(options.dockerfile), options)
    assert [(c.runtime, c.outcome) for c in cands] == [("distroless", "not-built"), ("slim", "not-built")]
    distroless, slim = (c.fix for c in cands)
    assert distroless is not None and slim is not None
    assert "FROM gcr.io/distroless/python3-debian12:nonroot" in distroless.fixed
    assert "\nFROM python:3.11-slim\n" in slim.fixed


def test_a_shell_command_distroless_cannot_run_is_declined_with_the_reason(tmp_path: Path) -> None:
    text = FLASK.replace('CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]', "CMD gunicorn --bind 0.0.0.0:${PORT:-8000} app:app")
    options = project(tmp_path, text, **{"requirements.txt": "flask\n"})
    (distroless, outcome, reason), slim = planned(options)
    assert (distroless, outcome) == ("distroless", "declined")
    assert reason.startswith("declined: cannot run line 6 (CMD) with distroless python")
    assert slim[:2] == ("slim", "not-built")


def test_apt_runtime_packages_decline_distroless(tmp_path: Path) -> None:
    text = FLASK.replace("WORKDIR /app\n", "WORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends libmagic1 && rm -rf /var/lib/apt/lists/*\n")
    options = project(tmp_path, text, **{"requirements.txt": "python-magic\n"})
    got = planned(options)
    assert got[0][:2] == ("distroless", "declined") and "installs libmagic1 with apt" in got[0][2]
    assert got[1][:2] == ("slim", "not-built")


def test_a_refusal_whatever_the_runtime_is_no_candidate(tmp_path: Path) -> None:
    options = project(tmp_path, FLASK.replace("pip install -r", "pip install --user -r"), **{"requirements.txt": "flask\n"})
    assert planned(options) == []
    result = optimize(OptimizeOptions(dockerfile=options.dockerfile, context=tmp_path, unsafe=True, build=False))
    assert result.candidates == [] and result.runtime == ""
    assert any("installs outside the interpreter's environment" in n for n in result.notes)


def test_go_tries_scratch_distroless_and_slim(tmp_path: Path) -> None:
    options = project(tmp_path, GO, **{"go.mod": "module example.com/server\n\ngo 1.19\n", "main.go": "package main\n\nfunc main() {}\n"})
    assert [(r, o) for r, o, _ in planned(options)] == [
        ("scratch", "not-built"),
        ("distroless", "not-built"),
        ("slim", "not-built"),
    ]


def test_without_unsafe_or_a_rewrite_there_is_nothing_to_try(tmp_path: Path) -> None:
    options = project(tmp_path, "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app\"]\n")
    assert planned(options) == []
    result = optimize(OptimizeOptions(dockerfile=options.dockerfile, context=tmp_path, build=False))
    assert result.candidates == [] and result.runtime == ""


def side(size: int, passed: bool | None) -> ImageSide:
    return ImageSide(tag=f"t:{size}", size=size, probe_passed=passed)


def test_the_smallest_that_passed_is_kept() -> None:
    scratch = Candidate("scratch", "dropped", "failed probe: GET / -> connection refused", side(2, False))
    distroless = Candidate("distroless", "kept", side=side(54_000_000, True))
    slim = Candidate("slim", "kept", side=side(155_000_000, True))
    declined = Candidate("node", "declined", "declined: no")
    assert decide([scratch, distroless, slim, declined]) is distroless
    assert distroless.reason == "kept: the smallest that passed its probe"
    assert (slim.outcome, slim.reason) == ("dropped", "larger than distroless (155 MB > 54 MB)")
    assert scratch.outcome == "dropped" and declined.outcome == "declined"


def test_nothing_kept_when_nothing_passed() -> None:
    failed = Candidate("distroless", "dropped", "failed probe: x", side(5, False))
    assert decide([failed, Candidate("slim", "declined", "declined: y")]) is None
    assert failed.outcome == "dropped"


def test_without_a_probe_the_smallest_built_is_kept_and_says_so() -> None:
    a, b = Candidate("distroless", "kept", side=side(3, None)), Candidate("slim", "kept", side=side(9, None))
    assert decide([b, a]) is a
    assert "NOT verified" in a.reason and b.outcome == "dropped"


def test_no_build_lists_the_candidates_and_shows_the_first_rewrite(tmp_path: Path) -> None:
    options = project(tmp_path, FLASK, **{"requirements.txt": "flask\n"})
    result = optimize(OptimizeOptions(dockerfile=options.dockerfile, context=tmp_path, unsafe=True, build=False))
    assert result.status == "no-engine" and result.runtime == "distroless"
    assert "+FROM gcr.io/distroless/python3-debian12:nonroot" in result.diff
    assert [(c.runtime, c.outcome) for c in result.candidates] == [("distroless", "not-built"), ("slim", "not-built")]
    assert any("no runtime was chosen" in n for n in result.notes)
    assert {c.reason for c in result.candidates} == {"not built: --no-build"}
    doc = json.loads(optimize_json(result))
    assert doc["runtime"] == "distroless"
    assert [(c["runtime"], c["outcome"], c["image"]) for c in doc["candidates"]] == [
        ("distroless", "not-built", None),
        ("slim", "not-built", None),
    ]


def test_reports_show_sizes_and_reasons(tmp_path: Path) -> None:
    options = project(tmp_path, FLASK, **{"requirements.txt": "flask\n"})
    result = optimize(OptimizeOptions(dockerfile=options.dockerfile, context=tmp_path, unsafe=True, build=False))
    fix = result.fix
    assert isinstance(fix, FixResult)
    result.candidates = [
        Candidate("distroless", "kept", "kept: the smallest that passed its probe", side(54_000_000, True)),
        Candidate("slim", "dropped", "larger than distroless (155 MB > 54 MB)", side(155_000_000, True)),
        Candidate("scratch", "declined", "declined: a | pipe"),
    ]
    md = optimize_markdown(result)
    assert "| distroless | 54 MB | passed | kept: the smallest that passed its probe |" in md
    assert "| scratch | - | - | declined: a \\| pipe |" in md
    doc = json.loads(optimize_json(result))
    assert doc["candidates"][1]["image"]["size"] == 155_000_000
    assert doc["candidates"][1]["reason"].startswith("larger than distroless")
    page = optimize_html(result)
    assert "<h2>Runtime candidates</h2>" in page and "declined: a | pipe" in page
    console = Console(file=io.StringIO(), width=160, color_system=None)
    render_text(console, result)
    text = console.file.getvalue()
    assert "Runtime candidates" in text and "larger than distroless (155 MB > 54 MB)" in text
