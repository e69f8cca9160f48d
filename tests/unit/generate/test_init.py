"""Project detection and generated Dockerfiles (`slimline init`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slimline.cli.commands import init as _init  # noqa: F401
from slimline.cli.main import cli
from slimline.dockerfile.parser import parse
from slimline.errors import SlimlineError
from slimline.generate.project import detect
from slimline.generate.templates import default_runtime, render
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile

EXAMPLES = Path(__file__).parents[3] / "examples"


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return tmp_path


FASTAPI = "from fastapi import FastAPI\napp = FastAPI()\n"


@pytest.mark.parametrize(
    ("files", "language", "command", "runtime"),
    [
        (
            {"requirements.txt": "fastapi\nuvicorn\n", "main.py": FASTAPI},
            "python",
            ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"],
            "distroless",
        ),
        (
            {
                "requirements.txt": "fastapi\nuvicorn\n",
                "src/api/app.py": FASTAPI,
                "src/api/__init__.py": "",
            },
            "python",
            ["uvicorn", "src.api.app:app", "--host", "0.0.0.0", "--port", "8000"],
            "distroless",
        ),
        (
            {
                "requirements.txt": "flask\ngunicorn\n",
                "web.py": "from flask import Flask\nserver = Flask(__name__)\n",
            },
            "python",
            ["gunicorn", "--bind", "0.0.0.0:8000", "web:server"],
            "distroless",
        ),
        (
            {
                "requirements.txt": "flask\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=5001)\n",
            },
            "python",
            ["python", "app.py"],
            "distroless",
        ),
        (
            {
                "pyproject.toml": "[project]\nname='tool'\nrequires-python='>=3.12'\n[project.scripts]\ntool='tool.cli:main'\n",
                "tool/__init__.py": "",
                "tool/cli.py": "",
            },
            "python",
            ["tool"],
            "slim",
        ),
        (
            {
                "go.mod": "module github.com/x/svc\n\ngo 1.21\n",
                "cmd/svc/main.go": "package main\n\nfunc main() {}\n",
            },
            "go",
            ["/svc"],
            "scratch",
        ),
        (
            {
                "go.mod": "module x\n\ngo 1.21\n",
                "main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n',
            },
            "go",
            ["/x"],
            "slim",
        ),
        (
            {
                "package.json": '{"scripts": {"start": "node server.js", "build": "tsc"}, "engines": {"node": ">=18"}}',
                "package-lock.json": "{}",
            },
            "node",
            ["node", "server.js"],
            "slim",
        ),
        (
            {
                "Cargo.toml": "[package]\nname = 'hello'\nversion = '0.1.0'\n",
                "src/main.rs": "fn main() {}\n",
            },
            "rust",
            ["/hello"],
            "distroless",
        ),
    ],
)
def test_detect_and_render(
    tmp_path: Path, files: dict[str, str], language: str, command: list[str], runtime: str
) -> None:
    root = project(tmp_path, files)
    p = detect(root)
    assert p.language == language
    assert p.command == command
    assert default_runtime(p) == runtime
    for rt in ("slim", "distroless", "scratch"):
        try:
            text = render(p, rt)
        except SlimlineError:
            continue
        df = parse(text)
        assert len(df.stages) == 2
        # What init writes passes slimline's own lint (size, cache and security rules).
        findings = [
            f for f in lint_dockerfile(df, LintConfig(), None) if str(f.category) != "style"
        ]
        assert findings == [], [(f.code, f.message) for f in findings]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"README.md": "hi"}, "cannot tell what this project is"),
        ({"requirements.txt": "fastapi\n", "main.py": FASTAPI}, "no server to run it"),
        (
            {
                "go.mod": "module x\n",
                "a/main.go": "package main\nfunc main() {}\n",
                "b/main.go": "package main\nfunc main() {}\n",
            },
            "several main packages",
        ),
        ({"package.json": "{}"}, "cannot find how the application starts"),
    ],
)
def test_refuses_when_unsure(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(SlimlineError, match=message):
        detect(project(tmp_path, files))


def test_distroless_needs_python_311(tmp_path: Path) -> None:
    p = detect(
        project(
            tmp_path,
            {
                "requirements.txt": "uvicorn\nfastapi\n",
                ".python-version": "3.12\n",
                "m.py": FASTAPI,
            },
        )
    )
    with pytest.raises(SlimlineError, match=r"3\.11"):
        render(p, "distroless")


def test_cli_writes_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"requirements.txt": "fastapi\nuvicorn\n", "main.py": FASTAPI, ".env": "X=1"}
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "Dockerfile").is_file()
    assert ".env" in (root / ".dockerignore").read_text()
    again = runner.invoke(cli, ["init", str(root)])
    assert again.exit_code == 2 and "exists already" in again.stderr
    forced = runner.invoke(cli, ["init", str(root), "--force", "--runtime", "slim"])
    assert forced.exit_code == 0
    assert (root / "Dockerfile.orig").is_file()
    assert "python:3.11-slim" in (root / "Dockerfile").read_text()


def test_unknown_project_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "cannot tell what this project is" in result.stderr
