"""The runtime catalog (knowledge/runtimes.py), and that `fix` and `init` both follow it."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.dockerfile.parser import parse, parse_file
from slimline.errors import SlimlineError
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.generate.project import detect
from slimline.generate.templates import render
from slimline.knowledge.runtimes import (
    LANGUAGES,
    RUNTIME_KINDS,
    RuntimeUnavailable,
    cgo_refusal,
    python_version_refusal,
    runtime_for,
    unavailable_reason,
)
from slimline.lint.config import LintConfig


@pytest.mark.parametrize(
    ("language", "kind", "version", "image", "shell", "glibc", "uid"),
    [
        ("python", "slim", "3.12", "python:3.12-slim", True, True, 10001),
        ("python", "distroless", "3.11", "gcr.io/distroless/python3-debian12:nonroot", False, True, 65532),
        ("go", "slim", "", "debian:bookworm-slim", True, True, 10001),
        ("go", "distroless", "", "gcr.io/distroless/static-debian12:nonroot", False, False, 65532),
        ("go", "scratch", "", "scratch", False, False, 65532),
        ("rust", "slim", "", "debian:bookworm-slim", True, True, 10001),
        ("rust", "distroless", "", "gcr.io/distroless/cc-debian12:nonroot", False, True, 65532),
        ("node", "slim", "20", "node:20-slim", True, True, 1000),
        ("node", "distroless", "20", "gcr.io/distroless/nodejs20-debian12:nonroot", False, True, 65532),
    ],
)
def test_catalog(
    language: str, kind: str, version: str, image: str, shell: bool, glibc: bool, uid: int
) -> None:
    rt = runtime_for(language, kind, version)
    assert (rt.image, rt.shell, rt.glibc, rt.uid) == (image, shell, glibc, uid)
    # A runtime without a shell that runs an interpreter says where it is.
    assert (rt.interpreter is not None) == (not rt.shell and language in ("python", "node"))


def test_every_language_and_kind_is_either_a_runtime_or_a_refusal() -> None:
    for language in LANGUAGES:
        for kind in RUNTIME_KINDS:
            reason = unavailable_reason(language, kind)
            if reason is None:
                assert runtime_for(language, kind, "20" if language == "node" else "1").kind == kind
            else:
                with pytest.raises(RuntimeUnavailable, match="use --runtime"):
                    runtime_for(language, kind)
    assert unavailable_reason("go", "scratch") is None
    with pytest.raises(ValueError):
        runtime_for("cobol", "slim")


@pytest.mark.parametrize("version", ["16", "21", "lts", ""])
def test_distroless_node_only_for_the_published_majors(version: str) -> None:
    with pytest.raises(RuntimeUnavailable, match=r"\(only for 18, 20, 22\): use --runtime slim"):
        runtime_for("node", "distroless", version)
    assert runtime_for("node", "slim", version or "20").shell


def test_distroless_node_major_of_a_full_tag() -> None:
    rt = runtime_for("node", "distroless", "18.20.4-bookworm")
    assert rt.image == "gcr.io/distroless/nodejs18-debian12:nonroot"
    assert rt.interpreter == "/nodejs/bin/node"


def test_the_interpreter_is_distroless_python() -> None:
    assert runtime_for("python", "distroless").interpreter == "/usr/bin/python3.11"
    assert python_version_refusal("3.12") == (
        "distroless python3-debian12 runs Python 3.11, the build uses 3.12"
    )
    assert python_version_refusal("3.12", project=True) == (
        "distroless python3-debian12 runs Python 3.11; this project uses 3.12: use --runtime slim"
    )


# -- fix and init agree ------------------------------------------------------------------

FASTAPI = "from fastapi import FastAPI\napp = FastAPI()\n"
#: language -> (project files, a single-stage Dockerfile that builds it)
PROJECTS = {
    "python": (
        {"requirements.txt": "fastapi\nuvicorn\n", "main.py": FASTAPI},
        "FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
        'COPY . .\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n',
    ),
    "go": (
        {"go.mod": "module example.com/app\n\ngo 1.21\n", "main.go": "package main\nfunc main() {}\n"},
        'FROM golang:1.21\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n',
    ),
    "rust": (
        {"Cargo.toml": "[package]\nname = 'hello'\nversion = '0.1.0'\n", "src/main.rs": "fn main() {}\n"},
        'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nCMD ["./target/release/hello"]\n',
    ),
    "node": (
        {"package.json": '{"engines": {"node": ">=18"}, "main": "server.js"}', "package-lock.json": "{}"},
        'FROM node:18\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n'
        'CMD ["node", "server.js"]\n',
    ),
}
#: the version each project's runtime image is named for
VERSIONS = {"python": "3.11", "go": "", "rust": "", "node": "18"}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)


def _outcome_of_fix(root: Path, dockerfile: str, kind: str) -> str:
    (root / "Dockerfile").write_text(dockerfile)
    result = fix_dockerfile(
        parse_file(root / "Dockerfile"), LintConfig(), root, unsafe=True,
        options=FixOptions(runtime=kind),
    )
    notes = [note for _line, code, note in result.notes if code == "SL103"]
    if notes:
        return "refused: " + notes[0]
    return parse(result.fixed).stages[-1].base_expanded


def _outcome_of_init(root: Path, kind: str) -> str:
    try:
        text = render(detect(root), kind)
    except SlimlineError as exc:
        return f"refused: {exc}"
    return parse(text).stages[-1].base_expanded


@pytest.mark.parametrize("kind", RUNTIME_KINDS)
@pytest.mark.parametrize("language", sorted(PROJECTS))
def test_fix_and_init_pick_the_same_runtime_or_refuse_alike(
    tmp_path: Path, language: str, kind: str
) -> None:
    files, dockerfile = PROJECTS[language]
    _write(tmp_path, files)
    by_fix = _outcome_of_fix(tmp_path, dockerfile, kind)
    by_init = _outcome_of_init(tmp_path, kind)
    reason = unavailable_reason(language, kind)
    if reason is not None:
        assert by_fix == by_init == f"refused: {reason}"
    elif kind == "slim" and language == "python":
        # fix keeps the builder's tag flavour (python:3.11 -> python:3.11-slim), init writes it.
        assert by_fix == by_init == "python:3.11-slim"
    else:
        assert by_fix == by_init == runtime_for(language, kind, VERSIONS[language]).image


def test_cgo_is_refused_by_both_where_there_is_no_glibc(tmp_path: Path) -> None:
    files, dockerfile = PROJECTS["go"]
    _write(tmp_path, {**files, "main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n'})
    for kind in ("scratch", "distroless"):
        assert _outcome_of_fix(tmp_path, dockerfile, kind) == f"refused: {cgo_refusal()}"
        assert _outcome_of_init(tmp_path, kind) == f"refused: {cgo_refusal(project=True)}"
    assert _outcome_of_fix(tmp_path, dockerfile, "slim") == "debian:bookworm-slim"
