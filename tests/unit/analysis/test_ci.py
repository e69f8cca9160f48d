"""CI gates: dive's .dive-ci rules and values, slimline's own gates, size parsing."""

from __future__ import annotations

import math

import pytest

from slimline.analysis.ci import Gate, evaluate, read_dive_ci, resolve_gates
from slimline.analysis.model import (
    AnalysisResult,
    BaseFacts,
    DiveFacts,
    ImageFacts,
)
from slimline.errors import SlimlineError
from slimline.units import human_size, parse_size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20MB", 20_000_000), ("20 MB", 20_000_000), ("20mb", 20_000_000), ("20M", 20_000_000),
        ("20MiB", 20 * 1024**2), ("1.5GB", 1_500_000_000), ("512k", 512_000), ("512KiB", 524_288),
        ("1,000", 1000), ("42", 42), ("42B", 42), ("0.5 kB", 500), ("2Gi", 2 * 1024**3),
    ],
)
def test_parse_size_like_go_humanize(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "MB", "12 parsecs", "1e3MB", "-5MB"])
def test_parse_size_rejects(text):
    with pytest.raises(SlimlineError):
        parse_size(text)


def test_human_size():
    assert human_size(0) == "0 B"
    assert human_size(999) == "999 B"
    assert human_size(1_234_567) == "1.23 MB"
    assert human_size(959_060_482) == "959 MB"
    assert human_size(1_030_000_000) == "1.03 GB"


def result(efficiency=0.95, wasted=5_000_000, user=100_000_000, size=200_000_000,
           reclaimable=3_000_000) -> AnalysisResult:
    image = ImageFacts("r", "oci", "n", "sha256:" + "0" * 64, None, "linux/amd64", None, "",
                       None, None, "", (), 2, 2)
    return AnalysisResult(
        image=image, total_size=size, final_size=size - reclaimable, wasted_bytes=reclaimable,
        reclaimable_bytes=reclaimable, tar_size=size, blob_size=None, compressed_size=None,
        final_files=1, final_dirs=1, layers=[], base=BaseFacts(1, 1, "first-layer", None, 0),
        dive=DiveFacts(efficiency, wasted, wasted / user if user else None, size, user, []),
        largest_files=[], largest_dirs=[], categories=[], present=[],
    )


def test_dive_ci_file(tmp_path):
    path = tmp_path / ".dive-ci"
    path.write_text("rules:\n  lowest-efficiency: 0.95\n  highest-wasted-bytes: 20MB\n"
                    "  highest-user-wasted-percent: disabled\n")
    assert read_dive_ci(path) == {"lowest-efficiency": "0.95", "highest-wasted-bytes": "20MB",
                                  "highest-user-wasted-percent": "disabled"}
    path.write_text("rules:\n  lowestEfficiency: 0.5\n  max-size: 1GB\n")
    assert read_dive_ci(path) == {"lowest-efficiency": "0.5", "max-size": "1GB"}
    path.write_text("rules:\n  lowest-efficency: 0.5\n")
    with pytest.raises(SlimlineError, match="unknown CI rule"):
        read_dive_ci(path)
    path.write_text("rules: [1, 2\n")
    with pytest.raises(SlimlineError, match="invalid YAML"):
        read_dive_ci(path)
    path.write_text("")
    assert read_dive_ci(path) == {}


def test_defaults_only_with_ci():
    assert resolve_gates(False, {}, {"max-size": None}) == []
    gates = resolve_gates(True, {}, {})
    assert gates == [Gate("lowest-efficiency", "0.9"), Gate("highest-wasted-bytes", "disabled"),
                     Gate("highest-user-wasted-percent", "0.1")]
    gates = resolve_gates(True, {"lowest-efficiency": "0.5"}, {"lowest-efficiency": "0.7",
                                                                "max-size": "1GB"})
    assert Gate("lowest-efficiency", "0.7") in gates and Gate("max-size", "1GB") in gates


@pytest.mark.parametrize("bad", [("lowest-efficiency", "1.5"), ("lowest-efficiency", "high"),
                                 ("highest-wasted-bytes", "lots"), ("max-size", "10 parsecs")])
def test_invalid_values(bad):
    with pytest.raises(SlimlineError):
        resolve_gates(False, {}, {bad[0]: bad[1]})


def test_evaluation():
    gates = [Gate("lowest-efficiency", "0.9"), Gate("highest-wasted-bytes", "4MB"),
             Gate("highest-user-wasted-percent", "0.1"), Gate("max-size", "150MB"),
             Gate("max-reclaimable", "disabled")]
    out = {g.key: g.status for g in evaluate(result(), gates)}
    assert out == {"lowest-efficiency": "pass", "highest-wasted-bytes": "fail",
                   "highest-user-wasted-percent": "pass", "max-size": "fail",
                   "max-reclaimable": "disabled"}
    out = {g.key: g.status for g in evaluate(result(efficiency=0.5, wasted=20_000_000), gates)}
    assert out["lowest-efficiency"] == "fail" and out["highest-user-wasted-percent"] == "fail"


def test_user_wasted_percent_of_a_single_layer_image_follows_dive():
    gate = [Gate("highest-user-wasted-percent", "0.1")]
    # wasted / 0 is +Inf in Go (fails) and 0 / 0 is NaN (passes)
    assert evaluate(result(user=0, wasted=10), gate)[0].status == "fail"
    assert evaluate(result(user=0, wasted=0), gate)[0].status == "pass"
    assert not math.isnan(result().dive.efficiency)
