"""Hostile and broken input through the real command line: exit 2 with one line naming the
file, never a hang (every run has a timeout), a traceback or a lost file.

Each case runs ``python -m slimline`` in a subprocess, so a regression that hangs fails
on the timeout instead of hanging the test run, and memory can be capped.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TIMEOUT = 60
#: This checkout's sources, so the subprocess runs the code under test.
SRC = Path(__file__).resolve().parents[3] / "src"


def slimline(
    *args: str,
    cwd: Path,
    stdin: int | None = subprocess.DEVNULL,
    setup: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "slimline", *args],
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
        env=env,
        preexec_fn=setup,
        check=False,
    )


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    """The run's single `slimline:` error line (exit 2, no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("slimline:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def umask(mask: int) -> Callable[[], None]:
    return lambda: os.umask(mask) and None


def memory_cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def file_size_cap() -> None:
    # Writes past 4 KiB fail (EFBIG) instead of killing the process: a disk that fills.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


APP = 'FROM python:3.11\nCOPY . /app\nRUN pip install flask\nCMD python /app/app.py\n'


# -- reading -----------------------------------------------------------------------------------


def test_fifo_named_dockerfile_does_not_hang_and_others_are_linted(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "app.Dockerfile").write_text(APP)
    result = slimline("lint", "--format", "json", str(tmp_path), cwd=tmp_path)
    line = one_error(result)
    assert line == f"slimline: {tmp_path / 'Dockerfile'}: cannot read Dockerfile: it is a FIFO (named pipe), not a regular file"
    assert "app.Dockerfile" in result.stdout and '"code": "SL' in result.stdout


def test_dev_zero(tmp_path: Path) -> None:
    assert "character device" in one_error(slimline("lint", "/dev/zero", cwd=tmp_path))
    with open("/dev/zero", "rb") as zero:
        line = one_error(slimline("lint", "-", cwd=tmp_path, stdin=zero.fileno()))
    assert line == "slimline: <stdin>: Dockerfile is larger than the 1 MiB limit (see docs/limits.md)"


def test_arg_doubling_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    lines = ["ARG A1=xx"] + [f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(2, 41)]
    (tmp_path / "Dockerfile").write_text("\n".join(lines) + "\nFROM alpine\n")
    result = slimline("lint", str(tmp_path), cwd=tmp_path, setup=memory_cap)
    assert one_error(result).endswith(
        "Dockerfile:17: ARG/ENV expansion is longer than the 64 KiB limit (see docs/limits.md)"
    )


def test_thousand_command_chain_is_analysed_with_the_other_files(tmp_path: Path) -> None:
    chain = " && ".join(f"echo {i}" for i in range(1000))
    (tmp_path / "Dockerfile").write_text(f"FROM debian:12\nRUN {chain} && apt-get install -y curl\n")
    (tmp_path / "b.Dockerfile").write_text(APP)
    result = slimline("lint", "--format", "json", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count('"path"') >= 2 and "SL109" in result.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Dockerfile:1: file with no instructions"),
        (b"RUN echo hi\n", "Dockerfile:1: no build stage in current context: RUN before any FROM"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 8, "Dockerfile:1: not a Dockerfile: binary data (a NUL byte)"),
    ],
    ids=["empty", "no-from", "binary"],
)
def test_files_that_cannot_be_built(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "Dockerfile").write_bytes(data)
    for command in ("lint", "fix"):
        line = one_error(slimline(command, str(tmp_path / "Dockerfile"), cwd=tmp_path))
        assert line.endswith(message), line


def test_invalid_utf8_config(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(APP)
    (tmp_path / ".slimline.toml").write_bytes(b'ignore = ["SL1\xff"]\n')
    line = one_error(slimline("lint", str(tmp_path), cwd=tmp_path))
    assert line == f"slimline: {tmp_path / '.slimline.toml'}:1: config is not valid UTF-8 (byte 0xff)"


def test_invalid_utf8_dive_ci(tmp_path: Path) -> None:
    (tmp_path / ".dive-ci").write_bytes(b"rules:\n  lowest-efficiency: \xfe\n")
    line = one_error(slimline("analyze", "--ci", "missing.tar", cwd=tmp_path))
    assert line == "slimline: .dive-ci:2: CI config is not valid UTF-8 (byte 0xfe)"


def test_yaml_alias_bomb_in_dive_ci(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    lines.append("rules: {lowest-efficiency: *i}")
    (tmp_path / ".dive-ci").write_text("\n".join(lines) + "\n")
    result = slimline("analyze", "--ci", "missing.tar", cwd=tmp_path, setup=memory_cap)
    assert one_error(result) == (
        "slimline: .dive-ci:2: invalid YAML in CI config: aliases (*name) are not allowed"
    )


# -- writing -----------------------------------------------------------------------------------


def python_project(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    (root / "requirements.txt").write_text("flask\ngunicorn\n")
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    return root


def test_init_force_twice_keeps_the_users_dockerfile(tmp_path: Path) -> None:
    root = python_project(tmp_path / "p")
    (root / "Dockerfile").write_text("# mine\n" + APP)
    for _ in range(3):
        result = slimline("init", "--force", str(root), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (root / "Dockerfile.orig").read_text() == "# mine\n" + APP
    generated = (root / "Dockerfile").read_text()
    assert (root / "Dockerfile.orig.1").read_text() == generated
    # The third run found its content already kept: no third backup.
    assert not (root / "Dockerfile.orig.2").exists()
    assert "kept as" in result.stderr


def test_init_force_over_a_directory(tmp_path: Path) -> None:
    root = python_project(tmp_path / "p")
    (root / "Dockerfile").mkdir()
    line = one_error(slimline("init", "--force", str(root), cwd=tmp_path))
    assert line == f"slimline: {root / 'Dockerfile'}: is a directory; not replaced even with --force"


def test_init_creates_files_with_the_umask(tmp_path: Path) -> None:
    root = python_project(tmp_path / "p")
    result = slimline("init", str(root), cwd=tmp_path, setup=umask(0o022))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((root / "Dockerfile").stat().st_mode) == 0o644
    assert stat.S_IMODE((root / ".dockerignore").stat().st_mode) == 0o644


def test_fix_then_unsafe_fix_keeps_every_version(tmp_path: Path) -> None:
    root = python_project(tmp_path / "p")
    (root / "Dockerfile").write_text(APP)
    (root / "Dockerfile").chmod(0o640)
    first = slimline("fix", "--write", str(root / "Dockerfile"), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    safe = (root / "Dockerfile").read_text()
    assert safe != APP
    second = slimline("fix", "--unsafe", "--write", str(root / "Dockerfile"), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert (root / "Dockerfile.orig").read_text() == APP
    assert (root / "Dockerfile.orig.1").read_text() == safe
    assert stat.S_IMODE((root / "Dockerfile").stat().st_mode) == 0o640
    assert f"original kept as {root / 'Dockerfile.orig.1'}" in second.stderr


def test_fix_writes_through_a_symlink(tmp_path: Path) -> None:
    root = python_project(tmp_path / "p")
    (root / "docker").mkdir()
    (root / "docker" / "Dockerfile").write_text(APP)
    (root / "Dockerfile").symlink_to(Path("docker") / "Dockerfile")
    result = slimline("fix", "--write", "--no-backup", str(root / "Dockerfile"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (root / "Dockerfile").is_symlink()
    assert (root / "docker" / "Dockerfile").read_text() != APP


@pytest.mark.parametrize("no_backup", [False, True], ids=["backup", "no-backup"])
def test_fix_on_a_full_disk_keeps_the_original(tmp_path: Path, no_backup: bool) -> None:
    root = python_project(tmp_path / "p")
    original = APP + "# padding\n" * 1000  # larger than the 4 KiB the writer may write
    (root / "Dockerfile").write_text(original)
    args = ["fix", "--write", *(["--no-backup"] if no_backup else []), str(root / "Dockerfile")]
    line = one_error(slimline(*args, cwd=tmp_path, setup=file_size_cap))
    what = "cannot write" if no_backup else "cannot keep a backup"
    assert line.startswith(f"slimline: {root / 'Dockerfile'}: {what}: File too large"), line
    assert (root / "Dockerfile").read_text() == original
    assert sorted(p.name for p in root.iterdir()) == ["Dockerfile", "app.py", "requirements.txt"]


def test_fifos_in_the_build_context_do_not_hang_fix_or_init(tmp_path: Path) -> None:
    root = python_project(tmp_path / "p")
    (root / "Dockerfile").write_text(APP)
    (root / ".env").write_text("TOKEN=x\n")  # a secret: fix wants a .dockerignore
    os.mkfifo(root / ".dockerignore")
    line = one_error(slimline("fix", str(root / "Dockerfile"), cwd=tmp_path))
    assert line.endswith(".dockerignore: cannot read ignore file: it is a FIFO (named pipe), not a regular file")
    # Files read only for hints are skipped: a FIFO among the sources changes nothing.
    go = tmp_path / "go"
    go.mkdir()
    (go / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (go / "main.go").write_text('package main\n\nfunc main() {}\n')
    os.mkfifo(go / "cgo.go")
    (go / "Dockerfile").write_text("FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n")
    result = slimline("fix", "--unsafe", "--runtime", "scratch", str(go / "Dockerfile"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    os.mkfifo(root / "worker.py")
    os.unlink(root / "Dockerfile")
    result = slimline("init", "--stdout", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "gunicorn" in result.stdout


def test_optimize_context_copy_refuses_a_fifo_with_one_error(tmp_path: Path) -> None:
    from slimline.dockerfile.parser import parse_file
    from slimline.errors import SlimlineError
    from slimline.fix.engine import fix_dockerfile
    from slimline.lint.config import LintConfig
    from slimline.optimize import copy_context

    root = python_project(tmp_path / "p")
    (root / "Dockerfile").write_text(APP)
    os.mkfifo(root / "pipe")
    fix = fix_dockerfile(parse_file(root / "Dockerfile"), LintConfig(), root)
    (tmp_path / "copy").mkdir()
    with pytest.raises(SlimlineError, match="cannot copy the build context") as err:
        copy_context(root, root / "Dockerfile", fix, tmp_path / "copy")
    assert err.value.path == str(root / "pipe")
