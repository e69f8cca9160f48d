"""Hostile Dockerfiles for ``lint``, ``fix`` and ``init``: FIFOs and devices, expansion
bombs, deep shell nesting, empty and binary files, odd names, and writes that must
not lose the user's file (backups, symlinks, modes, a full disk)."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from gen import nested, special_file
from harness import (
    Case,
    Result,
    Run,
    assert_clean,
    case,
    invoke,
    json_output,
    params,
    run_case,
    stderr_has,
    stdout_has,
)

GOOD = "FROM debian:bookworm-slim\nRUN apt-get update\nUSER 1000\nCMD [\"sh\"]\n"


def project(work: Path, dockerfile: str | bytes, name: str = "Dockerfile") -> Path:
    """``work/proj/NAME`` holding ``dockerfile`` (a name may hold surrogate escapes)."""
    root = work / "proj"
    root.mkdir(exist_ok=True)
    path = root / name
    path.write_bytes(dockerfile.encode() if isinstance(dockerfile, str) else dockerfile)
    return path


def lint(text: str | bytes, *extra: str, name: str = "Dockerfile") -> Callable[[Path], Run]:
    def make(work: Path) -> Run:
        path = project(work, text, name)
        outputs = [work / a for a in extra if a.endswith((".json", ".sarif"))]
        return Run(["lint", *extra, str(path)], path.name, outputs=outputs)

    return make


def lint_special(kind: str, command: str = "lint", via_dir: bool = False) -> Callable[[Path], Run]:
    """``Dockerfile`` is a FIFO, a symlink to /dev/zero, or a directory."""

    def make(work: Path) -> Run:
        path = special_file(work / "proj" / "Dockerfile", kind)
        return Run([command, str(path.parent if via_dir else path)], "Dockerfile")

    return make


def stdin_zero(work: Path) -> Run:
    return Run(["lint", "-"], "", stdin=Path("/dev/zero"))



SPECIAL = [
    case("dockerfile-fifo-in-directory", lint_special("fifo", via_dir=True)),
    case("dockerfile-fifo", lint_special("fifo")),
    case("fix-dockerfile-fifo", lint_special("fifo", "fix")),
    case("dockerfile-dev-zero-symlink", lint_special("dev-zero", via_dir=True)),
    case("lint-dev-zero", lambda w: Run(["lint", "/dev/zero"], "/dev/zero")),
    case("lint-stdin-dev-zero", stdin_zero),
    case("fix-dockerfile-directory", lint_special("dir", "fix")),
]

# -- expansion bombs and deep shell nesting ---------------------------------------------


def arg_bomb(keyword: str, n: int = 40) -> str:
    lines = ["FROM debian:bookworm-slim", f"{keyword} A0=xy"]
    lines += [f"{keyword} A{i}=${{A{i - 1}-1}}${{A{i - 1}-1}}" for i in range(1, n)]
    lines += [f"RUN echo ${{A{n - 1}}}", "USER 1000"]
    return "\n".join(lines) + "\n"


def run_line(script: str) -> str:
    return f"FROM debian:bookworm-slim\nRUN {script}\nUSER 1000\n"


def with_neighbour(text: str) -> Callable[[Path], Run]:
    """The hostile file and a normal one in the same run: both get their findings."""

    def make(work: Path) -> Run:
        path = project(work, text)
        project(work, "FROM python:3.12\nRUN pip install flask\n", "other.Dockerfile")
        return Run(["lint", "--no-context", str(path.parent)], path.name)

    return make


AND_1000 = run_line(" && ".join(f"echo {i}" for i in range(1000)))

BOMBS = [
    case("arg-expansion-bomb", lint(arg_bomb("ARG")), check=stderr_has("limit")),
    case("env-expansion-bomb", lint(arg_bomb("ENV")), check=stderr_has("limit")),
    case("run-1000-and", lint(AND_1000), exit=(0, 1)),
    case("run-1000-and-other-file-linted", with_neighbour(AND_1000), exit=1,
         check=stdout_has("other.Dockerfile")),
    case("run-1000-or", lint(run_line(" || ".join(["false"] * 1000))), exit=(0, 1)),
    case("run-1000-pipes", lint(run_line(" | ".join(["cat"] * 1000))), exit=(0, 1)),
    case("run-1000-semicolons", lint(run_line("; ".join(["true"] * 1000))), exit=(0, 1)),
    case("run-1000-subshells", lint(run_line(nested("(", ")", 1000, "echo hi"))), exit=(0, 1)),
    case("run-1000-braces", lint(run_line(nested("{ ", "; }", 1000, "echo hi"))), exit=(0, 1)),
    case("run-1000-command-substitutions", lint(run_line(
        "echo " + nested("$(echo ", ")", 1000, "x"))), exit=(0, 1)),
    case("run-10000-continuations", lint(
        "FROM debian:bookworm-slim\nRUN echo \\\n" + " a \\\n" * 10_000 + " end\nUSER 1\n"),
         exit=(0, 1)),
    case("run-1000-heredocs", lint("FROM debian:bookworm-slim\nRUN " + " ".join(
        f"<<E{i}" for i in range(1000)) + " cat\n" + "".join(
        f"x\nE{i}\n" for i in range(1000)) + "USER 1\n"), exit=(0, 1, 2)),
    case("unterminated-heredoc", lint("FROM debian:bookworm-slim\nRUN <<EOF\n"
                                      + "echo x\n" * 50_000), exit=(0, 1, 2)),
    case("exec-form-100000-deep", lint("FROM debian:bookworm-slim\nUSER 1\nCMD "
                                       + nested("[", "]", 100_000) + "\n"), exit=(0, 1, 2)),
    case("stages-3000-chained", lint("FROM debian:bookworm-slim AS s0\n" + "".join(
        f"FROM s{i} AS s{i + 1}\n" for i in range(3000)) + "USER 1\n"), exit=(0, 1)),
    case("stages-cycle", lint("FROM b AS a\nFROM a AS b\nUSER 1\n"), exit=(0, 1, 2)),
]

# -- files that are not Dockerfiles ----------------------------------------------------

GARBAGE = b"".join(hashlib.sha512(bytes([i])).digest() for i in range(64))

BAD_FILES = [
    case("empty-dockerfile", lint("")),
    case("comments-only-dockerfile", lint("# just a comment\n\n   \n# another\n")),
    case("no-from-dockerfile", lint("RUN echo hi\nCMD [\"sh\"]\n")),
    case("binary-garbage-dockerfile", lint(GARBAGE)),
    case("dockerfile-2-mib", lint(GOOD + "# padding\n" * 220_000), check=stderr_has("limit")),
    case("dockerfile-one-2-mib-line", lint("FROM debian:bookworm-slim\nRUN echo "
                                           + "a" * (2 * 1024 * 1024) + "\n"),
         check=stderr_has("limit")),
    case("invalid-utf8-in-dockerfile", lint(b"FROM debian:bookworm-slim\nRUN echo \xff\xfe\n"
                                            b"USER 1\n"), exit=(0, 1)),
]

# -- odd text: shown literally, escaped, JSON stays UTF-8 ---------------------------




ODD_TEXT = [
    case("markup-in-dockerfile-line", lint(
        'FROM python:3.12\nRUN pip install "uvicorn[standard]" x/[/]\n'), exit=1,
         check=stdout_has("uvicorn[standard]", "x/[/]")),
    case("escape-sequence-in-dockerfile-line", lint(
        "FROM python:3.12\nRUN echo \x1b]0;pwned\x07 && pip install \x1b[2J flask\n"), exit=1),
    case("escape-sequence-in-file-name", lint(GOOD, name="Dockerfile.\x1b[31mred"),
         exit=(0, 1)),
    case("non-utf8-file-name-json-stdout", lint(
        "FROM python:3.12\nRUN pip install flask\n", "-f", "json", name="Dockerfile.\udcff"),
         exit=1, check=json_output()),
    case("non-utf8-file-name-json-file", lint(
        "FROM python:3.12\nRUN pip install flask\n", "-f", "json", "-o", "out.json",
        name="Dockerfile.\udcff"), exit=1, check=json_output("out.json")),
    case("non-utf8-file-name-sarif-file", lint(
        "FROM python:3.12\nRUN pip install flask\n", "-f", "sarif", "-o", "out.sarif",
        name="Dockerfile.\udcff"), exit=1, check=json_output("out.sarif")),
]

CASES: list[Case] = [*SPECIAL, *BOMBS, *BAD_FILES, *ODD_TEXT]


@pytest.mark.parametrize("c", params(CASES))
def test_dockerfile(c: Case, tmp_path: Path) -> None:
    run_case(c, tmp_path)


# -- writes: never lose the user's file -----------------------------------------------

UNSAFE = "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n" \
         "CMD python /app/app.py\n"


def fix_symlinked(work: Path) -> Run:
    real = work / "real"
    real.mkdir()
    (real / "Dockerfile.real").write_text(UNSAFE)
    root = work / "proj"
    root.mkdir()
    (root / "Dockerfile").symlink_to("../real/Dockerfile.real")
    return Run(["fix", "--write", "--no-backup", str(root / "Dockerfile")], "Dockerfile",
               outputs=[real / "Dockerfile.real", root / ".dockerignore"])


def symlink_kept(result: Result, work: Path) -> None:
    link = work / "proj" / "Dockerfile"
    assert link.is_symlink(), "fix --write replaced the symlink with a file"
    assert (work / "real" / "Dockerfile.real").read_text() != UNSAFE, "the target was not fixed"


def fix_mode(work: Path) -> Run:
    path = project(work, UNSAFE)
    path.chmod(0o755)
    return Run(["fix", "--write", str(path)], "Dockerfile", outputs=[path, Path(f"{path}.orig*"),
                                                                     path.parent / ".dockerignore"])


def modes_kept(result: Result, work: Path) -> None:
    root = work / "proj"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((root / "Dockerfile").stat().st_mode) == 0o755
    # the backup is a copy of the original, mode included (as cp -p); a new file honours
    # the umask, as any editor's would
    assert stat.S_IMODE((root / "Dockerfile.orig").stat().st_mode) == 0o755
    ignore = root / ".dockerignore"
    if ignore.exists():
        assert stat.S_IMODE(ignore.stat().st_mode) == 0o666 & ~umask, ".dockerignore mode"


def fix_full_disk(work: Path) -> Run:
    path = project(work, UNSAFE + "# padding to fill the disk\n" * 200)
    return Run(["fix", "--write", str(path)], "Dockerfile", fsize=1024)


WRITES = [
    case("fix-write-through-symlink", fix_symlinked, exit=0, check=symlink_kept),
    case("fix-write-keeps-modes", fix_mode, exit=0, check=modes_kept),
    case("fix-write-disk-full", fix_full_disk),
    case("init-force-dockerfile-directory", lambda w: _init_project(w, dockerfile_dir=True)),
]


def _init_project(work: Path, dockerfile_dir: bool = False) -> Run:
    root = work / "proj"
    root.mkdir(exist_ok=True)
    (root / "go.mod").write_text("module example.com/server\n\ngo 1.19\n")
    (root / "main.go").write_text('package main\n\nfunc main() { println("hi") }\n')
    if dockerfile_dir:
        (root / "Dockerfile").mkdir()
    return Run(["init", "--force", str(root)], "Dockerfile", one_line=False)


@pytest.mark.parametrize("c", params(WRITES))
def test_write(c: Case, tmp_path: Path) -> None:
    run_case(c, tmp_path)


def _sequence(tmp_path: Path, first: list[str], second: list[str], root: Path) -> None:
    """Two runs in a row; afterwards the user's original is still in a backup."""
    original = (root / "Dockerfile").read_bytes()
    for args in (first, second):
        result = invoke(Run([*args, str(root if args[0] == "init" else root / "Dockerfile")]),
                        tmp_path / "home")
        assert_clean(result, Run(args), frozenset({0, 1}))
    backups = sorted(root.glob("Dockerfile.orig*"))
    assert any(b.read_bytes() == original for b in backups), (
        f"the original Dockerfile is lost; backups: {[b.name for b in backups]}")


def test_fix_twice_keeps_the_original(tmp_path: Path) -> None:
    project(tmp_path, UNSAFE)
    (tmp_path / "proj" / "app.py").write_text("print('hi')\n")
    (tmp_path / "proj" / "requirements.txt").write_text("flask\n")
    _sequence(tmp_path, ["fix", "--write"], ["fix", "--unsafe", "--write"], tmp_path / "proj")


def test_init_force_twice_keeps_the_original(tmp_path: Path) -> None:
    _init_project(tmp_path)
    (tmp_path / "proj" / "Dockerfile").write_text("FROM scratch\n# the user's own\n")
    _sequence(tmp_path, ["init", "--force"], ["init", "--force"], tmp_path / "proj")
