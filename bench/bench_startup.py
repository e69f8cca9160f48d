"""Benchmark: the start-up of ``slimline lint FILE`` and ``slimline --version`` (issue 12).

For every source tree given (default: this checkout's ``src``), runs ``python -m slimline``
with ``PYTHONPATH`` pointing at that tree, the trees alternating run by run so that a
change in the machine's load hits them alike, and prints:

* the median wall and CPU time (user + system) of ``slimline lint FILE`` (text output) and
  of ``slimline --version``;
* the median total import time of ``slimline lint FILE`` from ``python -X importtime``
  (the sum of the cumulative times of the top-level imports), steadier than wall time
  on a loaded machine;
* hadolint's wall and CPU time on the same file, and the ratio.

Usage::

    .venv/bin/python bench/bench_startup.py [--runs 20] [--file F] [--src LABEL=DIR ...]

Compare a branch with its base by giving both trees, e.g.
``--src before=/tmp/base/src --src after=src``. The target (under 0.15 s median wall for
``slimline lint FILE``) holds on an idle machine; read the CPU and import columns when
the machine is busy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench_lint import ROOT, bench_env, hadolint_binary, time_command

TARGET = 0.15
DEFAULT_FILE = ROOT / "tests" / "corpus" / "python" / "django-gunicorn.Dockerfile"


def env_for(src: Path) -> dict[str, str]:
    env = bench_env()
    env["PYTHONPATH"] = str(src)
    return env


def timed(argv: list[str], src: Path) -> tuple[float, float]:
    """Wall and CPU time of ``python -m slimline ARGV`` run from ``src``."""
    return time_command([sys.executable, "-m", "slimline", *argv], env=env_for(src))


def import_micros(path: Path, src: Path) -> int:
    """Total import time (µs) of ``slimline lint PATH``: the sum of the cumulative times
    of the imports at the top of ``-X importtime``'s tree."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slimline", "lint", str(path)],
        capture_output=True,
        env=env_for(src),
        text=True,
        check=False,
    )
    total = 0
    for line in out.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line.split(":", 1)[1].split("|")
        if len(fields) == 3 and fields[1].strip().isdigit() and not fields[2].startswith("  "):
            total += int(fields[1])
    return total


@dataclass
class Runs:
    """The measurements of one source tree: (wall, CPU) pairs and import totals."""

    lint: list[tuple[float, float]] = field(default_factory=list)
    version: list[tuple[float, float]] = field(default_factory=list)
    imports: list[int] = field(default_factory=list)


def med(runs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(r[index] for r in runs)


def parse_sources(values: list[str]) -> list[tuple[str, Path]]:
    if not values:
        return [("this checkout", ROOT / "src")]
    out = []
    for value in values:
        label, sep, directory = value.partition("=")
        if not sep:
            label, directory = value, value
        path = Path(directory).resolve()
        if not (path / "slimline" / "__init__.py").is_file():
            sys.exit(f"{directory}: not a source tree with slimline in it")
        out.append((label, path))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (medians)")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the Dockerfile to lint")
    parser.add_argument(
        "--src", action="append", default=[], metavar="LABEL=DIR", help="a source tree to time"
    )
    args = parser.parse_args()
    sources = parse_sources(args.src)
    hadolint = hadolint_binary()
    print(f"file: {args.file}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"runs: {args.runs} (medians; the trees alternate run by run)\n")

    lint = ["lint", str(args.file)]
    for _, src in sources:  # warm the byte-code caches
        timed(lint, src)
    results = {label: Runs() for label, _ in sources}
    hadolint_runs: list[tuple[float, float]] = []
    for _ in range(args.runs):
        for label, src in sources:
            runs = results[label]
            runs.lint.append(timed(lint, src))
            runs.version.append(timed(["--version"], src))
            runs.imports.append(import_micros(args.file, src))
        hadolint_runs.append(time_command([hadolint, str(args.file)]))

    h_wall, h_cpu = med(hadolint_runs, 0), med(hadolint_runs, 1)
    header = (
        f"{'tree':<16} {'lint wall':>9} {'lint cpu':>9} {'imports':>9} "
        f"{'--version':>9} {'ver cpu':>9} {'/hadolint':>9}"
    )
    print(header)
    print("-" * len(header))
    for label, _ in sources:
        runs = results[label]
        wall = med(runs.lint, 0)
        print(
            f"{label:<16} {wall:>9.3f} {med(runs.lint, 1):>9.3f} "
            f"{statistics.median(runs.imports) / 1e6:>9.3f} "
            f"{med(runs.version, 0):>9.3f} {med(runs.version, 1):>9.3f} {wall / h_wall:>8.1f}x"
        )
        verdict = "OK" if wall < TARGET else "over (see the load average and the CPU column)"
        print(f"{'':<16} target {TARGET:.2f} s wall for `slimline lint FILE`: {verdict}")
    print(f"{'hadolint':<16} {h_wall:>9.3f} {h_cpu:>9.3f}")
    print("\n(seconds; imports = total of `-X importtime`, which itself slows the imports)")


if __name__ == "__main__":
    main()
