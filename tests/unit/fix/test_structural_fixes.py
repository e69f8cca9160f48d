"""Unsafe fixes: multi-stage rewrites, slim bases, non-root users, manifests first, .dockerignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.context import DockerIgnore, check_copy_sources
from slimline.dockerfile.parser import parse, parse_file
from slimline.fix.engine import FixResult, fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.fix.python_stages import trim_command
from slimline.generate.dockerignore import propose_new
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile

SEED = Path(__file__).parents[2] / "fixtures" / "seed"


def run_fix(path: Path, runtime: str = "slim", context: Path | None = None) -> FixResult:
    df = parse_file(path)
    return fix_dockerfile(
        df, LintConfig(), context or path.parent, unsafe=True, options=FixOptions(runtime=runtime)
    )


def texts(df_text: str, stage: int) -> list[str]:
    """Each instruction of a stage as written (continuations joined)."""
    df = parse(df_text)
    return [i.logical.text.strip() for i in df.stages[stage].instructions]


def write(tmp_path: Path, dockerfile: str, files: dict[str, str] | None = None) -> Path:
    for name, content in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    path = tmp_path / "Dockerfile"
    path.write_text(dockerfile)
    return path


def test_seed_naive_to_slim() -> None:
    result = run_fix(SEED / "naive" / "Dockerfile", "slim")
    df = parse(result.fixed)
    assert [s.base_expanded for s in df.stages] == ["python:3.11", "python:3.11-slim"]
    assert df.stages[0].name == "builder"
    final = texts(result.fixed, 1)
    assert "COPY --from=builder /opt/venv /opt/venv" in final
    assert 'ENV PATH="/opt/venv/bin:$PATH"' in final
    assert "USER 10001" in final
    assert final[-1] == 'CMD ["python", "app.py"]'
    assert "# The bloated approach" in result.fixed  # comments survive
    remaining = {f.code for f in result.remaining}
    assert not remaining & {"SL101", "SL103", "SL107", "SL301"}


def test_seed_naive_to_distroless() -> None:
    result = run_fix(SEED / "naive" / "Dockerfile", "distroless")
    df = parse(result.fixed)
    assert df.stages[-1].base_expanded == "gcr.io/distroless/python3-debian12:nonroot"
    final = texts(result.fixed, 1)
    assert "ENV PYTHONPATH=/opt/venv/lib/python3.11/site-packages" in final
    assert final[-1] == 'CMD ["app.py"]'
    assert not any(t.startswith("RUN") for t in final)


def test_distroless_console_script(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nENTRYPOINT ["uvicorn", "main:app"]\n',
        {"requirements.txt": "uvicorn\n"},
    )
    fixed = run_fix(path, "distroless").fixed
    assert 'ENTRYPOINT ["/usr/bin/python3.11", "-m", "uvicorn", "main:app"]' in fixed


def test_distroless_refuses_other_python(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM python:3.12\nCOPY r.txt .\nRUN pip install -r r.txt\nCMD ["python", "app.py"]\n',
        {"r.txt": "x\n"},
    )
    result = run_fix(path, "distroless")
    assert "AS builder" not in result.fixed
    assert any(code == "SL103" and "3.11" in note for _, code, note in result.notes)


def test_go_to_scratch(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nEXPOSE 8080\nCMD ["./app"]\n',
        {"go.mod": "module example.com/app\n", "main.go": "package main\nfunc main() {}\n"},
    )
    df = parse(run_fix(path, "scratch").fixed)
    assert [s.base_expanded for s in df.stages] == ["golang:1.19", "scratch"]
    build = next(i for i in df.stages[0].instructions if i.keyword == "RUN")
    assert build.args == 'CGO_ENABLED=0 go build -ldflags="-s -w" -o app .'
    final = texts(run_fix(path, "scratch").fixed, 1)
    assert "COPY --from=builder /src/app /src/app" in final
    assert "USER 65532:65532" in final
    assert final[-1] == 'CMD ["/src/app"]'


def test_go_without_output_flag_uses_module_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM golang:1.19\nWORKDIR /w\nCOPY . .\nRUN go build .\nCMD ["./svc"]\n',
        {"go.mod": "module github.com/x/svc\n"},
    )
    assert "COPY --from=builder /w/svc /w/svc" in run_fix(path, "scratch").fixed


def test_go_with_cgo_refuses_scratch(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM golang:1.19\nWORKDIR /w\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n',
        {"main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n'},
    )
    result = run_fix(path, "scratch")
    assert "FROM scratch" not in result.fixed
    assert any("cgo" in note for _, _, note in result.notes)


def test_rust_to_distroless(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM rust:1.79\nWORKDIR /src\nCOPY . .\nRUN cargo build\nCMD ["./target/debug/hello"]\n',
        {"Cargo.toml": "[package]\nname = 'hello'\nversion = '0.1.0'\n"},
    )
    fixed = run_fix(path, "distroless").fixed
    df = parse(fixed)
    assert [s.base_expanded for s in df.stages] == [
        "rust:1.79",
        "gcr.io/distroless/cc-debian12:nonroot",
    ]
    assert "cargo build --release" in fixed
    final = texts(fixed, 1)
    assert "COPY --from=builder /src/target/release/hello /usr/local/bin/hello" in final
    assert final[-1] == 'CMD ["/usr/local/bin/hello"]'


def test_node_to_slim(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        {"package.json": "{}", "package-lock.json": "{}"},
    )
    df = parse(run_fix(path, "slim").fixed)
    assert [s.base_expanded for s in df.stages] == ["node:20", "node:20-slim"]
    assert any("npm prune --omit=dev" in t for t in texts(run_fix(path, "slim").fixed, 0))
    assert "COPY --from=builder /app /app" in texts(run_fix(path, "slim").fixed, 1)


NODE_FILES = {"package.json": "{}", "package-lock.json": "{}", "server.js": ""}


def test_node_to_distroless(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "FROM node:18\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nUSER node\n"
        'HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1\nCMD ["node", "server.js", "--port", "3000"]\n',
        NODE_FILES,
    )
    result = run_fix(path, "distroless")
    df = parse(result.fixed)
    assert [s.base_expanded for s in df.stages] == ["node:18", "gcr.io/distroless/nodejs18-debian12:nonroot"]
    final = texts(result.fixed, 1)
    # node is the image's entrypoint: CMD keeps the script and its arguments
    assert final[-1] == 'CMD ["server.js", "--port", "3000"]'
    assert "USER 65532:65532" in final
    assert not any(t.startswith("HEALTHCHECK") for t in final)
    notes = " ".join(fix.note for fix in result.applied if fix.note)
    assert "HEALTHCHECK on line 7 dropped" in notes and "USER node on line 6" in notes


@pytest.mark.parametrize(
    ("dockerfile", "refusal"),
    [
        ('FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "start"]\n', "`npm start` on line 5 needs npm"),
        ("FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN chmod +x x\nCMD node x.js\n", "shell commands"),
        ("FROM node:16\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD node x.js\n", "no image for Node.js 16"),
        ("FROM node:latest\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD node x.js\n", "no image for Node.js latest"),
        ("FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", "no CMD that runs node"),
    ],
)
def test_node_distroless_refusals(tmp_path: Path, dockerfile: str, refusal: str) -> None:
    result = run_fix(write(tmp_path, dockerfile, NODE_FILES), "distroless")
    assert len(parse(result.fixed).stages) == 1
    assert any(refusal in note for _, code, note in result.notes if code == "SL103")


def test_manifests_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 1\nCMD ["python", "app.py"]\n',
        {"requirements.txt": "flask\n", "app.py": ""},
    )
    fixed = run_fix(path).fixed
    # The manifest is copied before the install, in the builder the multi-stage rewrite makes;
    # the application is copied into the runtime stage.
    builder, runtime = fixed.split("\n\nFROM ")
    assert builder.startswith(
        "FROM python:3.11-slim AS builder\nWORKDIR /app\nCOPY requirements.txt ./\nRUN python -m venv"
    )
    assert "COPY . .\n" not in builder
    assert runtime.startswith("python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /opt/venv")
    assert "COPY . .\n" in runtime


def test_manifests_first_skips_project_install(tmp_path: Path) -> None:
    text = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nUSER 1\n"
    )
    path = write(tmp_path, text, {"pyproject.toml": "[project]\nname='x'\n"})
    builder = run_fix(path).fixed.split("\n\nFROM ")[0]
    # The project itself is installed: its sources stay copied before the install.
    assert builder.startswith("FROM python:3.11-slim AS builder\nWORKDIR /app\nCOPY . .\nRUN python -m venv")
    assert builder.endswith("RUN pip install --no-cache-dir . && " + trim_command())


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("debian:bookworm-slim", "RUN useradd --system --uid 10001"),
        ("alpine:3.19", "RUN adduser -S -D -H -u 10001 app"),
        ("node:20-slim", "USER 1000"),
        ("gcr.io/distroless/static-debian12", "USER 65532:65532"),
    ],
)
def test_non_root_user(tmp_path: Path, base: str, expected: str) -> None:
    path = write(tmp_path, f'FROM {base}\nCOPY app /app\nCMD ["/app"]\n', {"app": ""})
    fixed = run_fix(path).fixed
    assert expected in fixed
    assert fixed.index(expected) < fixed.index("CMD")
    assert fixed.index("USER") < fixed.index("CMD")


def test_dockerignore_never_excludes_copy_sources(tmp_path: Path) -> None:
    files = {
        "app.py": "",
        ".env": "X=1",
        "config/app.log": "x",
        "requirements.txt": "",
        "keys/server.key": "k",
    }
    path = write(
        tmp_path,
        "FROM python:3.11-slim\nCOPY config/app.log /etc/app.log\nCOPY keys/server.key /k\nCOPY . /app\n",
        files,
    )
    df = parse_file(path)
    content = propose_new(tmp_path, df)
    ignore = DockerIgnore.parse(content)
    checks = check_copy_sources(ignore, ["config/app.log", "keys/server.key"], tmp_path)
    assert not any(c.blocked for c in checks)
    assert ignore.matches(".env")  # still keeps the secret out of `COPY . /app`


@pytest.mark.parametrize(
    "name",
    ["naive", "layer-order", "four-run", "multistage-slim", "distroless", "go-scratch", "complete"],
)
@pytest.mark.parametrize("runtime", ["slim", "distroless", "scratch"])
def test_fix_unsafe_is_idempotent_and_never_worse(name: str, runtime: str) -> None:
    path = SEED / name / "Dockerfile"
    result = run_fix(path, runtime)
    again = fix_dockerfile(
        parse(result.fixed, path),
        LintConfig(),
        path.parent,
        unsafe=True,
        options=FixOptions(runtime=runtime),
    )
    assert again.fixed == result.fixed
    before = lint_dockerfile(parse_file(path), LintConfig(), None)
    after = lint_dockerfile(parse(result.fixed, path), LintConfig(), None)
    assert len(after) <= len(before)


def test_node_to_distroless_from_a_pinned_base(tmp_path: Path) -> None:
    base = "node:18-bookworm@sha256:" + "a" * 64
    path = write(
        tmp_path,
        f'FROM {base}\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n',
        NODE_FILES,
    )
    df = parse(run_fix(path, "distroless").fixed)
    assert df.stages[-1].base_expanded == "gcr.io/distroless/nodejs18-debian12:nonroot"
