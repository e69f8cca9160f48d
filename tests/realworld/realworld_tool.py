"""The corpus tooling (scripts/realworld_corpus.py), importable by the tests here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "realworld_corpus.py"
REPOS = Path(__file__).resolve().parent / "repos"


def load_tool() -> ModuleType:
    name = "slimline_realworld_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the body runs
    spec.loader.exec_module(module)
    return module


def load_repos_module() -> ModuleType:
    """scripts/realworld_repos.py (the repo-file schema), as the tool imported it."""
    load_tool()
    return sys.modules["realworld_repos"]
