"""Hostile compose files (and their ``.env``): ``slimline optimize DIR`` reads the compose
file a repository holds, so a pull request can put anything in it. Every case ends in one
error line naming the file, exit 2, within the time and memory limits, before any build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from gen import nested, special_file
from harness import Case, Run, case, params, run_case

MIB = 1024 * 1024
DOCKERFILE = "FROM debian:bookworm-slim\nUSER 1000\n"
SERVICE = "services:\n  app:\n    build: app\n"


def compose(content: str | bytes | None, dotenv: str | bytes | None = None,
            explicit: bool = False, names: str = "compose.yaml", dotenv_fifo: bool = False
            ) -> Callable[[Path], Run]:
    """``optimize --no-build`` of a project whose compose file is ``content`` (None: a
    FIFO, named with --compose-file) and whose ``.env`` is ``dotenv``; the error line
    must contain ``names``."""

    def make(work: Path) -> Run:
        root = work / "proj"
        (root / "app").mkdir(parents=True)
        (root / "app" / "Dockerfile").write_text(DOCKERFILE)
        path = root / "compose.yaml"
        if content is None:
            special_file(path, "fifo")
        else:
            path.write_bytes(content.encode() if isinstance(content, str) else content)
        if dotenv_fifo:
            special_file(root / ".env", "fifo")
        if dotenv is not None:
            (root / ".env").write_bytes(dotenv.encode() if isinstance(dotenv, str) else dotenv)
        option = ["--compose-file", str(path)] if explicit else []
        return Run(["optimize", "--no-build", *option, str(root)], names)

    return make


def laughs(levels: int = 12, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + f"\n{SERVICE}    x-bomb: *a{levels}\n"


def merge_keys(levels: int = 30) -> str:
    lines = ["m0: &m0 {k0: 1, k1: 2}"]
    for i in range(1, levels + 1):
        lines.append(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}, *m{i - 1}, *m{i - 1}], k{i + 1}: 1}}")
    return "\n".join(lines) + "\n" + SERVICE


SERVICE_WITH_VARS = SERVICE + "    x-many: [" + ", ".join(["$BIG"] * 2000) + "]\n"

CASES: list[Case] = [
    case("compose-billion-laughs", compose(laughs())),
    case("compose-merge-key-bomb", compose(merge_keys())),
    case("compose-recursive-alias", compose("a: &a [*a]\n" + SERVICE)),
    case("compose-nested-100000-deep", compose("a: " + nested("[", "]", 100_000) + "\n")),
    case("compose-mappings-nested-deep", compose("a: " + nested("{a: ", "}", 20_000, "1") + "\n")),
    case("compose-5-mib", compose("# pad\n" * (5 * MIB // 6) + SERVICE)),
    case("compose-fifo", compose(None, explicit=True)),
    case("compose-fifo-found", compose(None)),
    case("compose-invalid-utf8", compose(b"services:\n  \xff\xfe: {}\n")),
    case("compose-python-tag", compose("services: !!python/object/apply:os.system [id]\n")),
    case("compose-duplicate-service", compose(SERVICE + "  app:\n    build: app\n")),
    case("compose-required-variable", compose("services:\n  app:\n    build: ${CTX:?say where}\n")),
    case("compose-bad-interpolation", compose("services:\n  app:\n    build: ${CTX/a/b}\n")),
    case("compose-build-context-escapes", compose("services:\n  app:\n    build: /dev/null\n")),
    case("compose-dotenv-value-used-2000-times",
         compose(SERVICE_WITH_VARS, dotenv="BIG=" + "x" * (MIB - 10) + "\n")),
    case("compose-dotenv-invalid-utf8", compose(SERVICE, dotenv=b"A=\xff\n", names=".env")),
    case("compose-dotenv-unterminated-quote",
         compose(SERVICE, dotenv="A=1\n" * 1000 + 'B="open\n', names=".env")),
    case("compose-dotenv-fifo", compose(SERVICE, dotenv_fifo=True, names=".env")),
]


@pytest.mark.parametrize("c", params(CASES))
def test_compose(c: Case, tmp_path: Path) -> None:
    run_case(c, tmp_path)
