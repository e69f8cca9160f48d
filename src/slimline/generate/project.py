"""Detect what a project is and how it starts (for ``slimline init``).

Detection reads files only (never runs anything): Python manifests and
entry points (FastAPI/Flask/Django apps found with ``ast``, ``__main__``
scripts, console scripts), Go modules and their main package, Rust crates,
Node packages. Every guess is recorded in :attr:`Project.evidence` so the
command can say what it saw; when it cannot tell, it raises
:class:`~slimline.errors.SlimlineError` with what is missing.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from slimline import fsio
from slimline.errors import SlimlineError


def _manifest(path: Path) -> str:
    """A project manifest (pyproject.toml, Cargo.toml, package.json...): strict UTF-8."""
    return fsio.read_text(path, limit=fsio.MAX_CONFIG_BYTES, what="project file")


def _source(path: Path) -> str:
    """A source file read for hints; empty when it is not a readable regular file."""
    return fsio.read_hint(path) or ""


_SKIP_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "env",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        "tests",
        "test",
        "docs",
        ".tox",
        "site-packages",
        "vendor",
        "target",
    }
)


@dataclass
class Project:
    root: Path
    language: str
    #: How dependencies are installed: requirements, pyproject, pipenv, go, cargo, npm, yarn, pnpm.
    installer: str
    #: Files the install needs (copied before the source for layer caching).
    manifests: list[str]
    #: The command that starts the application (as in the image's runtime).
    command: list[str]
    #: The port it listens on, when one was found.
    port: int | None
    #: Language version for the base image tag (e.g. "3.11", "1.19", "20").
    version: str
    evidence: list[str] = field(default_factory=list)
    #: Python: the module run with ``python -m`` on distroless (None when only a script works).
    python_module_command: list[str] | None = None
    #: Go/Rust: the package or binary to build, and the binary's name.
    build_target: str | None = None
    binary: str | None = None
    #: Node: has a build script (npm run build).
    node_build: bool = False
    uses_cgo: bool = False


def detect(root: Path) -> Project:
    if not root.is_dir():
        raise SlimlineError("not a directory", path=root)
    if (root / "go.mod").is_file():
        return _go(root)
    if (root / "Cargo.toml").is_file():
        return _rust(root)
    if (root / "package.json").is_file():
        return _node(root)
    if any(
        (root / f).is_file()
        for f in ("requirements.txt", "requirements.in", "pyproject.toml", "Pipfile", "setup.py")
    ):
        return _python(root)
    raise SlimlineError(
        "cannot tell what this project is: no requirements.txt, pyproject.toml, Pipfile, go.mod, Cargo.toml or package.json",
        path=root,
    )


# -- Python ------------------------------------------------------------------------------------


def _py_files(root: Path) -> list[Path]:
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        out.append(path)
    return out[:500]


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _kw_int(call: ast.Call, name: str) -> int | None:
    for kw in call.keywords:
        if (
            kw.arg == name
            and isinstance(kw.value, ast.Constant)
            and isinstance(kw.value.value, int)
        ):
            return kw.value.value
    return None


@dataclass
class _PyApp:
    framework: str
    module: str
    variable: str
    path: Path
    port: int | None
    main_block: bool


def _scan_python(root: Path) -> list[_PyApp]:
    apps: list[_PyApp] = []
    for path in _py_files(root):
        try:
            tree = ast.parse(_source(path))
        except (SyntaxError, ValueError, RecursionError):  # also NUL bytes, deep nesting
            continue
        main_block = False
        port: int | None = None
        found: list[tuple[str, str]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                name = _call_name(node.value)
                if name in ("FastAPI", "Flask", "Starlette", "Quart") and isinstance(
                    node.targets[0], ast.Name
                ):
                    found.append((name.lower(), node.targets[0].id))
            if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
                left = node.test.left
                if isinstance(left, ast.Name) and left.id == "__name__":
                    main_block = True
            if isinstance(node, ast.Call) and _call_name(node) in ("run",):
                port = _kw_int(node, "port") or port
        for framework, variable in found:
            apps.append(
                _PyApp(framework, _module_name(root, path), variable, path, port, main_block)
            )
    return apps


def _requirements_text(root: Path) -> str:
    texts = []
    for name in ("requirements.txt", "requirements.in", "pyproject.toml", "Pipfile"):
        p = root / name
        if p.is_file():
            texts.append(_source(p).lower())
    return "\n".join(texts)


def _has_dep(deps: str, name: str) -> bool:
    return (
        re.search(rf"(^|[\s\"'\[,]){re.escape(name)}([\s\"'=<>~!\[;,]|$)", deps, re.MULTILINE)
        is not None
    )


def _python_version(root: Path, pyproject: dict[str, object]) -> str:
    pv = root / ".python-version"
    if pv.is_file():
        m = re.match(r"(\d+\.\d+)", _source(pv).strip())
        if m:
            return m.group(1)
    project = pyproject.get("project")
    if isinstance(project, dict):
        req = project.get("requires-python")
        if isinstance(req, str):
            m = re.search(r"(?:>=|==|~=)\s*(\d+\.\d+)", req)
            if m:
                return m.group(1)
    return "3.11"


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _python(root: Path) -> Project:
    evidence: list[str] = []
    pyproject: dict[str, object] = {}
    if (root / "pyproject.toml").is_file():
        try:
            pyproject = tomllib.loads(_manifest(root / "pyproject.toml"))
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            why = "nested too deeply to read" if isinstance(exc, RecursionError) else exc
            raise SlimlineError(f"invalid TOML: {why}", path=root / "pyproject.toml") from None
    if (root / "requirements.txt").is_file():
        installer, manifests = "requirements", ["requirements.txt"]
        evidence.append("requirements.txt: dependencies installed with pip -r")
    elif (root / "requirements.in").is_file() and "project" not in pyproject:
        installer, manifests = "requirements", ["requirements.in"]
        evidence.append(
            "requirements.in (pip-tools input): installed with pip -r; pin it with pip-compile for repeatable builds"
        )
    elif "project" in pyproject or "poetry" in _table(pyproject, "tool"):
        installer, manifests = "pyproject", ["pyproject.toml"]
        evidence.append(
            "pyproject.toml: the project is installed with `pip install .` (its build backend)"
        )
    elif (root / "Pipfile").is_file():
        installer, manifests = (
            "pipenv",
            ["Pipfile"] + (["Pipfile.lock"] if (root / "Pipfile.lock").is_file() else []),
        )
        evidence.append("Pipfile: dependencies exported with pipenv, installed with pip")
    else:
        raise SlimlineError(
            "a Python project needs requirements.txt, a pyproject.toml [project] table or a Pipfile",
            path=root,
        )
    version = _python_version(root, pyproject)
    evidence.append(f"Python {version}")
    deps = _requirements_text(root)
    apps = _scan_python(root)
    command: list[str]
    module_command: list[str] | None
    port: int | None = None
    if (root / "manage.py").is_file():
        wsgi = next((p for p in _py_files(root) if p.name == "wsgi.py"), None)
        if wsgi is None or not _has_dep(deps, "gunicorn"):
            raise SlimlineError(
                "a Django project needs a wsgi.py and gunicorn in its dependencies to be served",
                path=root,
            )
        module = _module_name(root, wsgi)
        command = ["gunicorn", "--bind", "0.0.0.0:8000", module]
        module_command = ["-m", "gunicorn", "--bind", "0.0.0.0:8000", module]
        port = 8000
        evidence.append(f"Django: served by gunicorn ({module})")
    elif apps:
        app = apps[0]
        target = f"{app.module}:{app.variable}"
        if app.framework in ("fastapi", "starlette") and _has_dep(deps, "uvicorn"):
            port = 8000
            command = ["uvicorn", target, "--host", "0.0.0.0", "--port", str(port)]
            module_command = ["-m", "uvicorn", target, "--host", "0.0.0.0", "--port", str(port)]
            evidence.append(
                f"{app.framework}: {target} in {app.path.relative_to(root)}, served by uvicorn"
            )
        elif app.framework in ("flask", "quart") and _has_dep(deps, "gunicorn"):
            port = 8000
            command = ["gunicorn", "--bind", f"0.0.0.0:{port}", target]
            module_command = ["-m", "gunicorn", "--bind", f"0.0.0.0:{port}", target]
            evidence.append(f"{app.framework}: {target}, served by gunicorn")
        elif app.main_block:
            script = str(app.path.relative_to(root))
            port = app.port
            command = ["python", script]
            module_command = [script]
            evidence.append(
                f"{app.framework}: {script} starts its own server (`if __name__ == '__main__'`)"
            )
        else:
            raise SlimlineError(
                f"found a {app.framework} app ({target}) but no server to run it: add uvicorn or gunicorn to the dependencies",
                path=root,
            )
    else:
        scripts = _table(_table(pyproject, "project"), "scripts")
        mains = [
            p
            for p in _py_files(root)
            if p.parent == root and "__main__" in _source(p)
        ]
        if isinstance(scripts, dict) and scripts:
            name, ref = next(iter(scripts.items()))
            module = str(ref).split(":", 1)[0]
            command = [name]
            module_command = (
                ["-m", module]
                if (root / module.replace(".", "/") / "__main__.py").exists()
                else None
            )
            evidence.append(f"console script `{name}` ({ref})")
        elif len(mains) == 1:
            script = mains[0].name
            command = ["python", script]
            module_command = [script]
            evidence.append(f"{script} runs as a script (`if __name__ == '__main__'`)")
        else:
            raise SlimlineError(
                "cannot find how the application starts: no web app, console script or single __main__ script",
                path=root,
            )
    return Project(
        root,
        "python",
        installer,
        manifests,
        command,
        port,
        version,
        evidence,
        python_module_command=module_command,
    )


# -- Go ------------------------------------------------------------------------------------


def _go(root: Path) -> Project:
    text = _manifest(root / "go.mod")
    module = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
    go_version = re.search(r"^go\s+(\d+\.\d+)", text, re.MULTILINE)
    version = go_version.group(1) if go_version else "1.22"
    mains: list[Path] = []
    cgo = False
    port: int | None = None
    for path in sorted(root.rglob("*.go")):
        rel = path.relative_to(root)
        if any(
            part in ("vendor", "testdata") or part.startswith(".") for part in rel.parts
        ) or path.name.endswith("_test.go"):
            continue
        src = _source(path)
        if re.search(r"^package\s+main\b", src, re.MULTILINE) and re.search(
            r"^func\s+main\(\)", src, re.MULTILINE
        ):
            mains.append(path.parent)
        if re.search(r'^\s*import\s+(\(\s*)?"C"', src, re.MULTILINE):
            cgo = True
        m = (
            re.search(r'(?:ListenAndServe|Listen)\(\s*"[^"]*:(\d+)"', src)
            or re.search(r'"(?:PORT|port)"\)?[^\n]*?"(\d{2,5})"', src)
            or re.search(r'addr\s*:?=\s*"[^"]*:(\d+)"', src)
        )
        if m and port is None:
            port = int(m.group(1))
    dirs = sorted(set(mains))
    if not dirs:
        raise SlimlineError(
            "no main package (package main with func main) in this Go module", path=root
        )
    if len(dirs) > 1:
        names = ", ".join(str(d.relative_to(root)) or "." for d in dirs)
        raise SlimlineError(
            f"several main packages ({names}): slimline init builds one; write the Dockerfile's build line yourself",
            path=root,
        )
    target_dir = dirs[0].relative_to(root)
    target = "." if str(target_dir) == "." else f"./{target_dir}"
    binary = (
        target_dir.name
        if str(target_dir) != "."
        else (module.group(1).rsplit("/", 1)[-1] if module else "app")
    ) or "app"
    evidence = [
        f"Go module {module.group(1) if module else '?'} (go {version})",
        f"main package: {target}",
    ]
    if cgo:
        evidence.append('imports "C": needs cgo, so no static binary')
    manifests = ["go.mod"] + (["go.sum"] if (root / "go.sum").is_file() else [])
    return Project(
        root,
        "go",
        "go",
        manifests,
        [f"/{binary}"],
        port,
        version,
        evidence,
        build_target=target,
        binary=binary,
        uses_cgo=cgo,
    )


# -- Rust ------------------------------------------------------------------------------------


def _rust(root: Path) -> Project:
    try:
        cargo = tomllib.loads(_manifest(root / "Cargo.toml"))
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        why = "nested too deeply to read" if isinstance(exc, RecursionError) else exc
        raise SlimlineError(f"invalid TOML: {why}", path=root / "Cargo.toml") from None
    package = cargo.get("package")
    bins = cargo.get("bin")
    if isinstance(bins, list) and bins and isinstance(bins[0], dict) and "name" in bins[0]:
        name = str(bins[0]["name"])
    elif isinstance(package, dict) and "name" in package:
        name = str(package["name"])
    else:
        raise SlimlineError("Cargo.toml has no [package] name or [[bin]]", path=root / "Cargo.toml")
    if not (root / "src" / "main.rs").is_file() and not isinstance(bins, list):
        raise SlimlineError("no binary target (src/main.rs or [[bin]]) in this crate", path=root)
    manifests = ["Cargo.toml"] + (["Cargo.lock"] if (root / "Cargo.lock").is_file() else [])
    # The toolchain the crate asks for (`rust-version = "1.63"`), else the newest 1.x.
    wanted = package.get("rust-version") if isinstance(package, dict) else None
    version = wanted if isinstance(wanted, str) and re.fullmatch(r"1\.\d+(\.\d+)?", wanted) else "1"
    return Project(
        root,
        "rust",
        "cargo",
        manifests,
        [f"/{name}"],
        None,
        version,
        [f"Rust crate, binary `{name}`"],
        binary=name,
    )


# -- Node ------------------------------------------------------------------------------------


def _node(root: Path) -> Project:
    try:
        pkg = json.loads(_manifest(root / "package.json"))
    except (ValueError, RecursionError) as exc:
        why = "nested too deeply to read" if isinstance(exc, RecursionError) else exc
        raise SlimlineError(f"invalid JSON: {why}", path=root / "package.json") from None
    if not isinstance(pkg, dict):
        raise SlimlineError("package.json is not an object", path=root / "package.json")
    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    assert isinstance(scripts, dict)
    if (root / "pnpm-lock.yaml").is_file():
        installer, lock = "pnpm", "pnpm-lock.yaml"
    elif (root / "yarn.lock").is_file():
        installer, lock = "yarn", "yarn.lock"
    else:
        installer, lock = (
            "npm",
            "package-lock.json" if (root / "package-lock.json").is_file() else "",
        )
    start = scripts.get("start")
    main = pkg.get("main")
    if isinstance(start, str) and re.fullmatch(r"node\s+[\w./-]+(\s+[\w./=-]+)*", start.strip()):
        command = start.split()
    elif isinstance(start, str):
        command = {"npm": ["npm", "start"], "yarn": ["yarn", "start"], "pnpm": ["pnpm", "start"]}[
            installer
        ]
    elif isinstance(main, str):
        command = ["node", main]
    elif (root / "server.js").is_file() or (root / "index.js").is_file():
        command = ["node", "server.js" if (root / "server.js").is_file() else "index.js"]
    else:
        raise SlimlineError(
            "cannot find how the application starts: no scripts.start, main, server.js or index.js",
            path=root,
        )
    engines = pkg.get("engines")
    version = "20"
    if isinstance(engines, dict) and isinstance(engines.get("node"), str):
        m = re.search(r"(\d+)", engines["node"])
        if m:
            version = m.group(1)
    evidence = [
        f"Node.js {version} package, installed with {installer}",
        f"starts with `{' '.join(command)}`",
    ]
    manifests = ["package.json"] + ([lock] if lock else [])
    return Project(
        root,
        "node",
        installer,
        manifests,
        command,
        None,
        version,
        evidence,
        node_build="build" in scripts,
    )
