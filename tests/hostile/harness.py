"""Run slimline on a hostile input in a subprocess and judge what it did.

A :class:`Case` is one table row: a ``make(work)`` function that writes the input
into an empty directory and returns the :class:`Run` (arguments, working directory,
outputs), the exit codes allowed, and optional extra checks. :func:`run_case`:

* snapshots ``work`` (type, mode and SHA-256 of every file, symlink targets; FIFOs and
  devices are never opened) before and after;
* runs ``python -m slimline ARGS`` with a time limit (killing its process group when it
  is over), an address-space limit (``RLIMIT_AS``, so "unbounded memory" is a
  ``MemoryError`` or a crash, both failures), no Docker engine (``DOCKER_HOST`` points
  nowhere) and no credentials (an empty ``DOCKER_CONFIG``);
* asserts: it ended in time, no ``Traceback`` (nor ``MemoryError``/``RecursionError``),
  no raw escape character in its output, an allowed exit code; for exit 2 exactly one
  line on stderr that names the input (``Run.names``); and that nothing in ``work``
  changed except the declared outputs.

Cases that fail on main are marked ``xfail(strict=True)`` with the class of the issue
(:func:`params`), so a fix that makes one pass turns the run red until the mark goes.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

import slimline

GIB = 1024**3
#: Wall-clock limit of one slimline run (a correct one takes a second or two).
TIME_LIMIT = 15.0
#: Address-space limit of one slimline run.
MEMORY_LIMIT = 3 * GIB // 2
#: What a run may print on stderr when it fails; anything else is not "one clear line".
BAD_OUTPUT = ("Traceback", "MemoryError", "RecursionError", "Fatal Python error")
#: Environment of every run that makes registry operations give up quickly, so that the
#: deadline and stall cases finish inside TIME_LIMIT. (The option's name is whatever
#: the transport fix documents; keep this in step with docs/security.md.)
REGISTRY_TIMEOUTS = {"SLIMLINE_REGISTRY_TIMEOUT": "6", "SLIMLINE_REGISTRY_STALL_TIMEOUT": "3"}


@dataclass(frozen=True)
class Run:
    """One invocation of ``slimline``."""

    args: Sequence[str | os.PathLike[str] | bytes]
    #: text the error line must contain (the file name or the reference)
    names: str | bytes = ""
    cwd: Path | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    stdin: Path | None = None
    #: paths under the work directory that the run may create or change (with their
    #: contents when they are directories; ``*`` patterns allowed, as in ``X.orig*``)
    outputs: Sequence[Path] = ()
    #: RLIMIT_FSIZE for the run: writes past it fail with EFBIG (a full disk)
    fsize: int | None = None
    #: False for commands that report progress on stderr first (``init``): then only
    #: the last line must be the error
    one_line: bool = True


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: bytes
    stderr: bytes
    seconds: float

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")


Check = Callable[[Result, Path], None]


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, and what slimline must do with it."""

    id: str
    make: Callable[..., Run]
    #: allowed exit codes: 2 for bad input; 0 or 1 for valid but odd input
    exit: frozenset[int] = frozenset({2})
    #: extra checks on the result (stdout content, files written)
    check: Check | None = None
    #: the class of issue 9 this case fails on today (strict xfail), or None
    xfail: str | None = None
    time_limit: float = TIME_LIMIT
    memory_limit: int = MEMORY_LIMIT


def case(id: str, make: Callable[..., Run], exit: int | Iterable[int] = 2,
         check: Check | None = None, xfail: str | None = None, **kw: Any) -> Case:
    codes = frozenset({exit}) if isinstance(exit, int) else frozenset(exit)
    return Case(id, make, codes, check, xfail, **kw)


def params(cases: Sequence[Case]) -> list[Any]:
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(
        strict=True, reason=f"issue 9: {c.xfail}")] if c.xfail else []) for c in cases]


# -- the run ------------------------------------------------------------------------


def _environment(home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    source = str(Path(slimline.__file__).resolve().parents[1])
    pythonpath = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    docker_config = home / ".docker"
    docker_config.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": pythonpath,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUTF8": "0",
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "DOCKER_CONFIG": str(docker_config),
        "DOCKER_HOST": f"unix://{home}/no-engine.sock",
        "TERM": "dumb",
        "COLUMNS": "120",
    }
    env.update(extra)
    return env


def _limits(memory: int, fsize: int | None) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return apply


def invoke(run: Run, home: Path, time_limit: float = TIME_LIMIT,
           memory_limit: int = MEMORY_LIMIT) -> Result:
    """Run slimline; fail the test when it does not end within ``time_limit``."""
    argv = [sys.executable, "-m", "slimline", *(os.fsdecode(a) if isinstance(a, bytes)
                                                 else os.fspath(a) for a in run.args)]
    stdin = open(run.stdin, "rb") if run.stdin is not None else subprocess.DEVNULL  # noqa: SIM115
    start = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=run.cwd, env=_environment(home, run.env), stdin=stdin,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=_limits(memory_limit, run.fsize),
    )
    try:
        out, err = proc.communicate(timeout=time_limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"slimline did not finish in {time_limit:.0f} s (a hang): "
                    f"{argv[3:]}\nstderr: {err[-1500:]!r}", pytrace=False)
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    return Result(proc.returncode, out, err, time.monotonic() - start)


def snapshot(root: Path, outputs: Sequence[Path] = ()) -> dict[str, tuple[object, ...]]:
    """Every path under ``root`` (outputs excluded): kind, mode and content or target."""
    skip = [str(o) for o in outputs]
    state: dict[str, tuple[object, ...]] = {}
    for directory, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(directory, name)
            if any(fnmatch.fnmatchcase(str(p), s) for s in skip for p in (path, *path.parents)):
                continue
            info = path.lstat()
            mode = stat.S_IMODE(info.st_mode)
            key = os.fsdecode(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                state[key] = ("symlink", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(chunk)
                state[key] = ("file", mode, digest.hexdigest())
            else:
                state[key] = (stat.S_IFMT(info.st_mode), mode)
    return state


def assert_clean(result: Result, run: Run, allowed: frozenset[int]) -> None:
    """The verdict on one run (see the module's docstring)."""
    shown = f"exit {result.returncode}\nstderr: {result.err[-3000:]}\nstdout: {result.out[-600:]}"
    for marker in BAD_OUTPUT:
        assert marker not in result.err, f"{marker} on stderr\n{shown}"
    assert b"\x1b" not in result.stderr + result.stdout, f"raw escape character\n{shown}"
    assert result.returncode in allowed, f"expected exit {sorted(allowed)}\n{shown}"
    if result.returncode == 2:
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 or (lines and not run.one_line), f"not one line\n{shown}"
        line = lines[-1]
        assert len(line) <= 600, f"error line too long\n{shown}"
        want = os.fsdecode(run.names) if isinstance(run.names, bytes) else run.names
        assert want.lower() in line.lower(), f"the error does not name {want!r}\n{shown}"


def run_case(c: Case, tmp_path: Path, **make_args: Any) -> Result:
    """Make the input, run slimline on it, and check the run (see the docstring)."""
    work = tmp_path / "work"
    work.mkdir()
    home = tmp_path / "home"
    run = c.make(work, **make_args)
    if run.cwd is None:
        run = replace(run, cwd=work)
    before = snapshot(work, run.outputs)
    result = invoke(run, home, c.time_limit, c.memory_limit)
    assert_clean(result, run, c.exit)
    after = snapshot(work, run.outputs)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"files outside the outputs changed: {changed[:20]}"
    if c.check is not None:
        c.check(result, work)
    return result


def stdout_has(*texts: str) -> Check:
    """A check: each text appears on stdout, literally."""

    def check(result: Result, work: Path) -> None:
        for text in texts:
            assert text in result.out, f"{text!r} is not shown:\n{result.out[-2000:]}"

    return check


def stderr_has(*words: str) -> Check:
    """A check: each word appears in the error (case-insensitive)."""

    def check(result: Result, work: Path) -> None:
        for word in words:
            assert word.lower() in result.err.lower(), f"{word!r} not in {result.err!r}"

    return check


def stderr_lacks(*words: str) -> Check:
    def check(result: Result, work: Path) -> None:
        for word in words:
            assert word.lower() not in result.err.lower(), f"{word!r} in {result.err!r}"

    return check


def json_output(source: str = "-") -> Check:
    """A check: after exit 0 or 1, the JSON report (stdout, or the file ``source`` under
    the work directory) is valid UTF-8 and valid JSON."""

    def check(result: Result, work: Path) -> None:
        if result.returncode in (0, 1):
            data = result.stdout if source == "-" else (work / source).read_bytes()
            json.loads(data.decode("utf-8"))

    return check


def both(*checks: Check) -> Check:
    def check(result: Result, work: Path) -> None:
        for one in checks:
            one(result, work)

    return check


# -- in-process bounds, for the Hypothesis properties ----------------------------------


class OutOfTime(Exception):
    """Raised in the main thread when a :func:`bounded` block runs past its time."""


@contextlib.contextmanager
def bounded(seconds: float = 5.0, memory: int = GIB) -> Iterator[None]:
    """Run a block of this process with a time bound (SIGALRM raises :class:`OutOfTime`)
    and at most ``memory`` more bytes of address space (a bomb is a ``MemoryError``
    here instead of the end of the test run). Main thread only."""
    def expire(signum: int, frame: object) -> None:
        raise OutOfTime(f"over {seconds} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        in_use = int(fh.read().split()[0]) * resource.getpagesize()
    cap = in_use + memory
    previous = signal.signal(signal.SIGALRM, expire)
    resource.setrlimit(resource.RLIMIT_AS,
                       (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
