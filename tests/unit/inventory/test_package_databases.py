"""Which files are package databases, and the packages of a set of them."""

from __future__ import annotations

from slimline.image.files import FileInfo
from slimline.inventory import Package, is_package_database, is_package_file, packages_of

SITE = "/opt/venv/lib/python3.11/site-packages"


def test_which_paths_are_package_databases() -> None:
    assert is_package_database("/var/lib/dpkg/status")
    assert is_package_database("/var/lib/dpkg/status.d/libssl3")
    assert not is_package_database("/var/lib/dpkg/status.d/libssl3.md5sums")
    assert not is_package_database("/var/lib/dpkg/status.d/sub/libssl3")
    assert not is_package_database("/var/lib/dpkg/status-old")
    assert is_package_database("/lib/apk/db/installed")
    assert is_package_database(
        "/usr/local/lib/python3.11/site-packages/fastapi-0.104.1.dist-info/METADATA"
    )
    assert is_package_database("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA")
    assert not is_package_database("/app/fastapi-0.104.1.dist-info/METADATA")


def test_record_files_are_read_too() -> None:
    assert is_package_file(f"{SITE}/anyio-4.0.0.dist-info/RECORD")
    assert not is_package_database(f"{SITE}/anyio-4.0.0.dist-info/RECORD")
    assert not is_package_file("/app/anyio-4.0.0.dist-info/RECORD")


DPKG_STATUS = b"""\
Package: make
Status: install ok installed
Installed-Size: 1588
Architecture: amd64
Version: 4.3-4.1

Package: libssl3
Status: install ok installed
Installed-Size: 6000
Architecture: amd64
Version: 3.0.11-1
"""


def test_packages_of_every_database_sorted_and_once() -> None:
    files = {
        f"{SITE}/anyio-4.0.0.dist-info/METADATA": b"Name: anyio\nVersion: 4.0.0\n",
        f"{SITE}/anyio-4.0.0.dist-info/RECORD": (
            b"anyio/__init__.py,sha256=x,100\n"
            b"../../../bin/anyio-tool,sha256=z,7\n"
            b"anyio-4.0.0.dist-info/RECORD,,\n"
        ),
        "/usr/lib/python3/dist-packages/Six-1.16.0.dist-info/METADATA": (
            b"Name: Six\nVersion: 1.16.0\n"
        ),
        "/var/lib/dpkg/status": DPKG_STATUS,
        # The same package in status.d: the status file (first in sorted order) wins.
        "/var/lib/dpkg/status.d/libssl3": b"Package: libssl3\nVersion: 9\n",
        "/var/lib/dpkg/status.d/tzdata": b"Package: tzdata\nVersion: 2024a-0+deb12u1\n",
    }
    tree = {
        f"{SITE}/anyio/__init__.py": FileInfo(f"{SITE}/anyio/__init__.py", "file", 100, "", 0),
        "/opt/venv/bin/anyio-tool": FileInfo("/opt/venv/bin/anyio-tool", "file", 7, "", 1),
    }
    assert packages_of(files, tree) == [
        Package("deb", "libssl3", "3.0.11-1", 6000 * 1024),
        Package("deb", "make", "4.3-4.1", 1588 * 1024),
        Package("deb", "tzdata", "2024a-0+deb12u1", None),
        Package("python", "anyio", "4.0.0", 107),
        Package("python", "six", "1.16.0", None),  # no RECORD: no size
    ]
