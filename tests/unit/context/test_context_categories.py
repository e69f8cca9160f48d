"""The category table: recognising notable files, and its .dockerignore lines."""

from __future__ import annotations

import pytest

from slimline.context import CATEGORIES, Category, DockerIgnore, category_by_name, classify_path
from slimline.context.gosemantics import go_match


@pytest.mark.parametrize(
    ("path", "category", "root"),
    [
        (".git/HEAD", "vcs", ".git"),
        ("sub/.hg/store/x", "vcs", "sub/.hg"),
        ("vendor/lib/.git", "vcs", "vendor/lib/.git"),  # a submodule's .git file
        (".env", "secrets", ".env"),
        ("config/.env.production", "secrets", "config/.env.production"),
        ("deploy/server.pem", "secrets", "deploy/server.pem"),
        ("keys/tls.key", "secrets", "keys/tls.key"),
        ("id_rsa", "secrets", "id_rsa"),
        ("home/id_ed25519", "secrets", "home/id_ed25519"),
        (".npmrc", "secrets", ".npmrc"),
        (".pypirc", "secrets", ".pypirc"),
        (".netrc", "secrets", ".netrc"),
        (".aws/credentials", "secrets", ".aws"),
        (".ssh/config", "secrets", ".ssh"),
        ("gcp/credentials.json", "secrets", "gcp/credentials.json"),
        ("kubeconfig", "secrets", "kubeconfig"),
        ("cert/bundle.p12", "secrets", "cert/bundle.p12"),
        (".venv/bin/python", "virtualenv", ".venv"),
        ("venv/lib/x.py", "virtualenv", "venv"),
        ("web/node_modules/react/index.js", "node_modules", "web/node_modules"),
        ("pkg/__pycache__/m.cpython-311.pyc", "pycache", "pkg/__pycache__"),
        ("pkg/m.pyc", "pycache", "pkg/m.pyc"),
        ("dist/app.whl", "build_output", "dist"),
        ("target/release/app", "build_output", "target"),
        (".next/cache/x", "build_output", ".next"),
        ("src/pkg.egg-info/PKG-INFO", "build_output", "src/pkg.egg-info"),
        (".pytest_cache/v", "caches", ".pytest_cache"),
        (".mypy_cache/3.11/x.json", "caches", ".mypy_cache"),
        (".tox/py311/x", "caches", ".tox"),
        (".cache/pip/x", "caches", ".cache"),
        (".idea/workspace.xml", "editor", ".idea"),
        (".vscode/settings.json", "editor", ".vscode"),
        ("server.log", "logs", "server.log"),
        ("logs/npm-debug.log.1", "logs", "logs/npm-debug.log.1"),
        # outermost wins: a secret inside node_modules is node_modules content
        ("node_modules/pkg/.env", "node_modules", "node_modules"),
    ],
)
def test_classify(path: str, category: str, root: str) -> None:
    found = classify_path(path)
    assert found is not None
    assert (found.category, found.root) == (category, root)


@pytest.mark.parametrize(
    "path",
    [
        "src/app.py",
        ".env.example",
        ".env.sample",
        "keys/id_rsa.pub",
        "environment.py",
        "docs/keynote.md",
        "Dockerfile",
        "requirements.txt",
    ],
)
def test_not_notable(path: str) -> None:
    assert classify_path(path) is None


def test_virtualenv_by_marker() -> None:
    found = classify_path("tools/py/bin/python", venv_dirs=frozenset({"tools/py"}))
    assert found is not None and (found.category, found.root) == ("virtualenv", "tools/py")


def test_table_is_consistent() -> None:
    names = [c.name for c in CATEGORIES]
    assert len(names) == len(set(names))
    assert category_by_name("secrets").sensitive
    assert not category_by_name("vcs").sensitive
    with pytest.raises(KeyError):
        category_by_name("nope")


def _sample(pattern: str) -> str:
    """A concrete name for a member pattern (``*`` and ``?`` filled in, classes resolved)."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("sample")
        elif c == "?":
            out.append("x")
        elif c == "[":
            end = pattern.index("]", i + 2)
            out.append(pattern[i + 1])
            i = end
        else:
            out.append(c)
        i += 1
    return "".join(out)


@pytest.mark.parametrize("category", CATEGORIES, ids=[c.name for c in CATEGORIES])
def test_dockerignore_lines_exclude_what_the_category_names(category: Category) -> None:
    """Every category's own lines are valid Docker patterns and exclude each kind of member,
    at the top of the context and (except root-only build output) deeper down."""
    ignore = DockerIgnore.from_patterns(list(category.dockerignore))
    for pattern in category.dirs:
        name = _sample(pattern)
        assert ignore.matches(f"{name}/x"), pattern
        if category.name != "build_output" or pattern.startswith("*"):
            assert ignore.matches(f"nested/{name}/x"), pattern
    for pattern in category.files:
        name = _sample(pattern)
        if any(go_match(k, name) for k in category.keep):
            continue
        assert ignore.matches(name), pattern
        assert ignore.matches(f"nested/{name}"), pattern
    for kept in category.keep:
        if not any(c in kept for c in "*?["):
            assert not ignore.matches(kept), kept
