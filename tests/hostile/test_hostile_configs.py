"""Hostile configuration: ``.slimline.toml``, ``pyproject.toml`` ``[tool.slimline]`` and
dive's ``.dive-ci`` (which a pull request can put in the repository that CI analyzes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from gen import legacy_archive, nested, small_layer, special_file
from harness import Case, Run, case, params, run_case

DOCKERFILE = "FROM debian:bookworm-slim\nRUN apt-get update\nUSER 1000\n"
MIB = 1024 * 1024


def place(path: Path, content: str | bytes | None) -> None:
    """Write ``content``; None makes a FIFO, ``b"/dev/zero"`` a symlink to it."""
    if content is None or content == b"/dev/zero":
        special_file(path, "fifo" if content is None else "dev-zero")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def lint_with(name: str, content: str | bytes | None, explicit: bool = False
              ) -> Callable[[Path], Run]:
    """``lint`` a good Dockerfile next to the config file ``name`` (found, or --config)."""

    def make(work: Path) -> Run:
        root = work / "proj"
        place(root / name, content)
        (root / "Dockerfile").write_text(DOCKERFILE)
        config = ["--config", str(root / name)] if explicit else []
        return Run(["lint", "--no-context", *config, str(root / "Dockerfile")], name)

    return make


def analyze_ci(content: str | bytes | None, explicit: bool = False) -> Callable[[Path], Run]:
    """``analyze --ci`` of a small image with ``.dive-ci`` in the working directory."""

    def make(work: Path) -> Run:
        image = legacy_archive(work / "image.tar", [small_layer()])
        place(work / ".dive-ci", content)
        config = ["--ci-config", str(work / ".dive-ci")] if explicit else []
        return Run(["analyze", "--no-progress", "--ci", *config, str(image)], ".dive-ci")

    return make


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * width)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("rules:")
    lines.append(f"  lowest-efficiency: *a{levels}")
    return "\n".join(lines) + "\n"


def deep_toml(depth: int) -> str:
    return "select = " + nested("[", "]", depth) + "\n"


SLIMLINE_TOML = [
    case("slimline-toml-invalid-utf8", lint_with(".slimline.toml", b'ignore = ["\xff\xfe"]\n')),
    case("slimline-toml-invalid-toml", lint_with(".slimline.toml", "ignore = [\n")),
    case("slimline-toml-fail-level-number", lint_with(".slimline.toml", "fail-level = 3\n")),
    case("slimline-toml-select-number", lint_with(".slimline.toml", "select = 5\n")),
    case("slimline-toml-severity-string", lint_with(".slimline.toml", 'severity = "x"\n')),
    case("slimline-toml-severity-list", lint_with(".slimline.toml",
                                                  'severity = {SL101 = ["a"]}\n')),
    case("slimline-toml-ignore-tables", lint_with(".slimline.toml", "[[ignore]]\na = 1\n")),
    case("slimline-toml-fifo", lint_with(".slimline.toml", None, explicit=True)),
    case("slimline-toml-dev-zero", lint_with(".slimline.toml", b"/dev/zero", explicit=True)),
    case("slimline-toml-5-mib", lint_with(".slimline.toml", "# pad\n" * (5 * MIB // 6))),
    case("slimline-toml-nested-100000-deep", lint_with(".slimline.toml", deep_toml(100_000))),
    case("slimline-toml-inline-tables-deep", lint_with(
        ".slimline.toml", "severity = " + nested("{a = ", "}", 20_000, "1") + "\n")),
]

PYPROJECT = [
    case("pyproject-invalid-utf8", lint_with(
        "pyproject.toml", b'[project]\nname = "\xff"\n[tool.slimline]\nignore = []\n')),
    case("pyproject-tool-slimline-number", lint_with(
        "pyproject.toml", "[tool]\nslimline = 5\n"), exit=(0, 1, 2)),
    case("pyproject-tool-string", lint_with("pyproject.toml", 'tool = "slimline"\n'),
         exit=(0, 1, 2)),
    case("pyproject-ignore-numbers", lint_with(
        "pyproject.toml", "[tool.slimline]\nignore = [1, 2]\n")),
    case("pyproject-severity-nested", lint_with(
        "pyproject.toml", "[tool.slimline.severity.SL101]\nlevel = 1\n")),
    case("pyproject-nested-100000-deep", lint_with(
        "pyproject.toml", "[tool.slimline]\n" + deep_toml(100_000))),
    case("pyproject-fifo", lint_with("pyproject.toml", None, explicit=True)),
]

DIVE_CI = [
    case("dive-ci-alias-bomb", analyze_ci(billion_laughs())),
    case("dive-ci-alias-bomb-explicit", analyze_ci(billion_laughs(), explicit=True)),
    case("dive-ci-invalid-utf8", analyze_ci(b"rules:\n  lowest-efficiency: \xff\xfe\n")),
    case("dive-ci-fifo", analyze_ci(None, explicit=True)),
    case("dive-ci-dev-zero", analyze_ci(b"/dev/zero", explicit=True)),
    case("dive-ci-rules-a-list", analyze_ci("rules: [1, 2]\n")),
    case("dive-ci-a-list", analyze_ci("- rules\n")),
    case("dive-ci-python-tag", analyze_ci(
        "rules: !!python/object/apply:os.system ['touch pwned']\n")),
    case("dive-ci-unknown-rule", analyze_ci("rules:\n  lowest-efficency: 0.9\n")),
    case("dive-ci-rule-a-mapping", analyze_ci("rules:\n  lowest-efficiency: {a: 1}\n")),
    case("dive-ci-rule-not-a-number", analyze_ci("rules:\n  lowest-efficiency: lots\n")),
    case("dive-ci-nested-100000-deep", analyze_ci(
        "rules:\n  lowest-efficiency: " + nested("[", "]", 100_000) + "\n")),
    case("dive-ci-5-mib", analyze_ci("# pad\n" * (5 * MIB // 6) + "rules: {}\n")),
]

CASES: list[Case] = [*SLIMLINE_TOML, *PYPROJECT, *DIVE_CI]


@pytest.mark.parametrize("c", params(CASES))
def test_config(c: Case, tmp_path: Path) -> None:
    run_case(c, tmp_path)
