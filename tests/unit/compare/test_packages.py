"""Package differences between two images (the databases are read in tests/unit/inventory)."""

from __future__ import annotations

from slimline.compare import diff_packages
from slimline.inventory import Package


def test_diff_packages_orders_removed_by_size_and_marks_the_toolchain() -> None:
    a = [Package("deb", "gcc-12", "12", 70_000_000), Package("deb", "make", "4.3", 1_600_000),
         Package("deb", "libc6-dev", "2.36", 12_000_000), Package("deb", "tzdata", "2024a", 1),
         Package("deb", "bash", "5.2", 7_000_000), Package("python", "pip", "23.0", None)]
    b = [Package("deb", "tzdata", "2024b", 1), Package("deb", "bash", "5.2", 7_000_000),
         Package("python", "setuptools", "66", None)]
    got = diff_packages(a, b)
    assert [(p.change, p.name, p.toolchain) for p in got] == [
        ("removed", "gcc-12", True),
        ("removed", "libc6-dev", True),
        ("removed", "make", True),
        ("removed", "pip", False),
        ("added", "setuptools", False),
        ("changed", "tzdata", False),
    ]
    assert got[-1].version_a == "2024a" and got[-1].version_b == "2024b"
