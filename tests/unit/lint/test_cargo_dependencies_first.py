"""SL201 for Rust: `COPY . .` then `cargo build`, its fix, and the crate reading behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.dockerfile.parser import parse, parse_file
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.knowledge.cargo import dependency_build, read_crate
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile

NAIVE = 'FROM rust:1.63\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo build --release\nCMD ["./target/release/hello"]\n'
CARGO = "[package]\nname = 'hello'\nversion = '0.1.0'\n"


def crate_dir(tmp_path: Path, files: dict[str, str], dockerfile: str = NAIVE) -> Path:
    for name, text in {"Dockerfile": dockerfile, **files}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path / "Dockerfile"


def sl201_fix(path: Path) -> str:
    config = LintConfig(select=["SL201"])
    return fix_dockerfile(parse_file(path), config, path.parent, unsafe=True, options=FixOptions()).fixed


def sl201_lines(text: str, context: Path) -> list[int]:
    findings = lint_dockerfile(parse(text), LintConfig(select=["SL201"]), context)
    return [f.line for f in findings]


def test_fix_builds_dependencies_before_the_sources(tmp_path: Path) -> None:
    path = crate_dir(
        tmp_path, {"Cargo.toml": CARGO, "Cargo.lock": "version = 3\n", "src/main.rs": "fn main() {}\n"}
    )
    assert sl201_lines(NAIVE, tmp_path) == [4]
    fixed = sl201_fix(path)
    lines = fixed.splitlines()
    assert lines[2] == "COPY Cargo.toml Cargo.lock ./"
    assert lines[3] == (
        "RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo build --release"
        " && rm -rf src/main.rs target/*/.fingerprint/hello-* target/*/*/.fingerprint/hello-*"
    )
    # the crate's own build stays after the sources
    assert lines[4:6] == ["COPY . .", "RUN cargo build --release"]
    assert sl201_lines(fixed, tmp_path) == []


def test_fix_without_a_lock_file_and_with_a_library(tmp_path: Path) -> None:
    path = crate_dir(tmp_path, {"Cargo.toml": CARGO, "src/main.rs": "", "src/lib.rs": "", "build.rs": ""})
    fixed = sl201_fix(path)
    assert "COPY Cargo.toml ./\n" in fixed
    assert "echo 'fn main() {}' > build.rs && : > src/lib.rs && cargo build --release" in fixed


@pytest.mark.parametrize(
    "files",
    [
        {"Cargo.toml": CARGO + "[workspace]\nmembers = ['a']\n", "src/main.rs": ""},  # members needed
        {"Cargo.toml": CARGO},  # no target at all: cargo would refuse the stand-in manifest
        {"Cargo.toml": "[package]\nname = 'x; rm -rf /'\n", "src/main.rs": ""},
        {"Cargo.toml": "not toml [", "src/main.rs": ""},
    ],
)
def test_no_fix_when_the_crate_cannot_be_built_from_its_manifest(
    tmp_path: Path, files: dict[str, str]
) -> None:
    path = crate_dir(tmp_path, files)
    assert sl201_fix(path) == NAIVE


def test_no_fix_when_the_build_runs_elsewhere(tmp_path: Path) -> None:
    text = NAIVE.replace("RUN cargo build", "WORKDIR /elsewhere\nRUN cargo build")
    path = crate_dir(tmp_path, {"Cargo.toml": CARGO, "src/main.rs": ""}, text)
    assert sl201_fix(path) == text


def test_crate_targets() -> None:
    manifest = (
        "[package]\nname = 'svc'\nbuild = 'tools/gen.rs'\n"
        "[lib]\npath = 'core/lib.rs'\n"
        "[[bin]]\nname = 'svc'\n[[bin]]\nname = 'admin'\npath = 'cmd/admin.rs'\n"
    )
    crate = read_crate(manifest, frozenset({"src/main.rs"}))
    assert crate is not None
    assert crate.binaries == ("src/main.rs", "cmd/admin.rs")
    assert crate.libraries == ("core/lib.rs",)
    assert crate.build_script == "tools/gen.rs"
    run = dependency_build(crate, "cargo build --release --target-dir /out", "/out")
    assert run.startswith("mkdir -p cmd core src tools && ")
    assert run.endswith("rm -rf src/main.rs cmd/admin.rs tools/gen.rs core/lib.rs /out/*/.fingerprint/svc-* /out/*/*/.fingerprint/svc-*")
    # a target path outside the crate is never written
    assert read_crate("[package]\nname = 'a'\n[lib]\npath = '../x.rs'\n", frozenset()) is None
