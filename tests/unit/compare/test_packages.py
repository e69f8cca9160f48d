"""Package databases: dpkg status and status.d, apk installed, Python METADATA/RECORD."""

from __future__ import annotations

from slimline.compare import (
    Package,
    diff_packages,
    is_package_database,
    packages_of,
    parse_apk_installed,
    parse_dpkg_status,
    parse_python_metadata,
)
from slimline.image.files import FileInfo

DPKG_STATUS = """\
Package: gcc-12
Status: install ok installed
Priority: optional
Installed-Size: 68236
Architecture: amd64
Version: 12.2.0-14
Description: GNU C compiler
 This is the GNU C compiler, a fairly portable optimizing compiler for C.
 .
 A second paragraph of the description: Version: 99 must not count.

Package: make
Status: install ok installed
Installed-Size: 1588
Architecture: amd64
Version: 4.3-4.1

Package: old-thing
Status: deinstall ok config-files
Installed-Size: 10
Version: 1.0

Package: libc6
Status: install ok installed
Multi-Arch: same
Architecture: i386
Installed-Size: 12000
Version: 2.36-9
"""


def test_dpkg_status_lists_installed_packages_with_sizes() -> None:
    got = parse_dpkg_status(DPKG_STATUS)
    assert got == [
        Package("deb", "gcc-12", "12.2.0-14", 68236 * 1024),
        Package("deb", "make", "4.3-4.1", 1588 * 1024),
        Package("deb", "libc6:i386", "2.36-9", 12000 * 1024),  # a foreign architecture
    ]


def test_distroless_status_d_entries_have_no_status_field() -> None:
    text = "Package: libssl3\nVersion: 3.0.11-1\nArchitecture: amd64\n"
    assert parse_dpkg_status(text) == []
    assert parse_dpkg_status(text, require_installed=False) == [
        Package("deb", "libssl3", "3.0.11-1", None)]


def test_apk_installed() -> None:
    text = ("C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nS:383152\nI:622592\nT:the C library\n"
            "\nC:Q1def=\nP:apk-tools\nV:2.14.0-r2\nI:307200\nF:sbin\nR:apk\n")
    assert parse_apk_installed(text) == [
        Package("apk", "musl", "1.2.4-r2", 622592),
        Package("apk", "apk-tools", "2.14.0-r2", 307200),
    ]


def test_python_metadata_headers_only() -> None:
    text = ("Metadata-Version: 2.1\nName: Pydantic_Core\nVersion: 2.14.1\n"
            "Summary: x\n\nName: not-this\nVersion: 0\n")
    assert parse_python_metadata(text) == Package("python", "pydantic-core", "2.14.1", None)
    assert parse_python_metadata("Summary: no name\n") is None


def test_which_paths_are_package_databases() -> None:
    assert is_package_database("/var/lib/dpkg/status")
    assert is_package_database("/var/lib/dpkg/status.d/libssl3")
    assert not is_package_database("/var/lib/dpkg/status.d/libssl3.md5sums")
    assert not is_package_database("/var/lib/dpkg/status-old")
    assert is_package_database("/lib/apk/db/installed")
    assert is_package_database(
        "/usr/local/lib/python3.11/site-packages/fastapi-0.104.1.dist-info/METADATA")
    assert is_package_database(
        "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA")
    assert not is_package_database("/app/fastapi-0.104.1.dist-info/METADATA")


def test_packages_of_sizes_python_distributions_from_record() -> None:
    site = "/opt/venv/lib/python3.11/site-packages"
    files = {
        f"{site}/anyio-4.0.0.dist-info/METADATA": b"Name: anyio\nVersion: 4.0.0\n",
        f"{site}/anyio-4.0.0.dist-info/RECORD": (
            b"anyio/__init__.py,sha256=x,100\n"
            b"anyio/_core.py,sha256=y,50\n"
            b"../../../bin/anyio-tool,sha256=z,7\n"
            b"anyio-4.0.0.dist-info/RECORD,,\n"),
        "/var/lib/dpkg/status": DPKG_STATUS.encode(),
    }
    tree = {
        f"{site}/anyio/__init__.py": FileInfo(f"{site}/anyio/__init__.py", "file", 100, "", 0),
        f"{site}/anyio/_core.py": FileInfo(f"{site}/anyio/_core.py", "file", 50, "", 1),
        "/opt/venv/bin/anyio-tool": FileInfo("/opt/venv/bin/anyio-tool", "file", 7, "", 1),
    }
    got = {(p.ecosystem, p.name): p for p in packages_of(files, tree)}
    assert got[("python", "anyio")] == Package("python", "anyio", "4.0.0", 157)
    assert got[("deb", "make")].version == "4.3-4.1"
    assert len(got) == 4


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
