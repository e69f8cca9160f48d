"""Only the transport modules know transport names: nothing else tests them.

Code outside ``slimline/image/transports/`` asks an image's ``source`` or a
reference's ``transport`` object what it can do; it never compares a transport
name (``image.transport == "docker-daemon"``, ``ref.transport in (...)``) nor
tests a reference's prefix (``reference.startswith("docker://")``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from slimline.image import transports

SRC = Path(transports.__file__).resolve().parents[2]
TRANSPORTS_DIR = Path(transports.__file__).resolve().parent


def _names_and_prefixes() -> tuple[set[str], tuple[str, ...]]:
    """The registered transports' names and prefixes (the fallback's name, ``auto``, is
    too common a word to look for: comparing a ``transport`` is caught on its own)."""
    names = {transports.load(target).name for target in transports.REGISTRY.values()}
    return names, tuple(transports.REGISTRY)


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for elt in node.elts for s in _strings(elt)]
    return []


def _is_transport(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "transport") or (
        isinstance(node, ast.Name) and node.id == "transport")


def violations(tree: ast.AST, names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    """Comparisons with transport names, comparisons of a ``transport``, prefix tests."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            literals = {s for operand in operands for s in _strings(operand)}
            if literals & names or any(_is_transport(operand) for operand in operands):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.match_case):
            if any(s in names for sub in ast.walk(node.pattern)
                   if isinstance(sub, ast.MatchValue) for s in _strings(sub.value)):
                found.append(f"line {node.pattern.lineno}: case {ast.unparse(node.pattern)}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("startswith", "endswith", "removeprefix", "partition",
                                     "split", "find", "index")):
            args = [s for arg in node.args for s in _strings(arg)]
            if any(a.startswith(p) or (p.startswith(a) and a.endswith((":", "://")))
                   for a in args for p in prefixes):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _outside_transports() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if TRANSPORTS_DIR not in p.parents]


def test_no_transport_tests_outside_the_transport_modules() -> None:
    names, prefixes = _names_and_prefixes()
    problems = []
    for path in _outside_transports():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        problems += [f"{path.relative_to(SRC)} {v}" for v in violations(tree, names, prefixes)]
    assert not problems, "transport tests outside image/transports/:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "code",
    [
        'if image.transport == "docker-daemon": pass',
        'x = ref.transport in ("docker-daemon", "oci")',
        'x = transport == "auto"',
        'x = "oci-archive" != kind',
        'x = transport is DAEMON',
        'x = image.reference.startswith("docker://")',
        'match t:\n    case "docker": pass',
    ],
)
def test_the_scan_sees_transport_tests(code: str) -> None:
    names, prefixes = _names_and_prefixes()
    assert violations(ast.parse(code), names, prefixes)


@pytest.mark.parametrize(
    "code",
    [
        'x = image.source.stored_size()',
        'x = kind == "file"',
        'x = runtime == "auto"',
        'x = name.startswith("blobs/")',
        'x = {"transport": image.transport}',
    ],
)
def test_the_scan_lets_other_code_be(code: str) -> None:
    names, prefixes = _names_and_prefixes()
    assert not violations(ast.parse(code), names, prefixes)
