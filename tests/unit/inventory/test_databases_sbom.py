"""The database readers the SBOM adds: dpkg's Source and file lists, path-exclude, apk
files, rpm's SQLite headers, os-release, package URLs."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import pytest

from slimline.inventory.apk import parse_apk_components
from slimline.inventory.dpkg import (
    PathFilter,
    dpkg_name,
    parse_dpkg_components,
    parse_list_file,
    parse_md5sums,
)
from slimline.inventory.model import Component
from slimline.inventory.osrelease import parse_os_release
from slimline.inventory.purl import purl_of
from slimline.inventory.rpm import HeaderError, parse_header, parse_rpmdb_sqlite


def test_dpkg_source_field_forms() -> None:
    text = (
        "Package: libbz2-1.0\nStatus: install ok installed\nArchitecture: amd64\n"
        "Source: bzip2\nVersion: 1.0.8-5+b1\n\n"
        "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nMulti-Arch: same\n"
        "Source: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4+b1\n\n"
        "Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-1\n"
    )
    got = {c.name: c for c in parse_dpkg_components(text, "/var/lib/dpkg/status")}
    assert (got["libbz2-1.0"].source, got["libbz2-1.0"].source_version) == \
        ("bzip2", "1.0.8-5+b1")
    assert (got["libc6"].source, got["libc6"].source_version) == ("glibc", "2.36-9+deb12u4")
    assert (got["tzdata"].source, got["tzdata"].source_version) == ("tzdata", "2024a-1")
    assert dpkg_name(got["libc6"]) == "libc6:i386"
    assert dpkg_name(got["libbz2-1.0"]) == "libbz2-1.0"


def test_list_and_md5sums_files() -> None:
    assert parse_list_file("/.\n/usr\n/usr/bin/bash\n\n") == ("/usr", "/usr/bin/bash")
    md5 = "d41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/libz.so.1.2.13\n"
    assert parse_md5sums(md5) == ("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13",)


def test_path_exclude_last_match_wins() -> None:
    rules = PathFilter.parse([
        "# comment\npath-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\n",
        "path-exclude=/usr/share/locale/*\n--path-exclude=/usr/share/man/*\nforce-unsafe-io\n",
    ])
    assert rules.excluded("/usr/share/doc/bash/CHANGES.gz")
    assert not rules.excluded("/usr/share/doc/bash/copyright")
    assert rules.excluded("/usr/share/locale/de/LC_MESSAGES/bash.mo")
    assert rules.excluded("/usr/share/man/man1/bash.1.gz")
    assert not rules.excluded("/usr/bin/bash")
    assert not PathFilter.parse([]).excluded("/usr/share/doc/x")


APK = """\
C:Q1abc=
P:musl
V:1.2.4-r2
A:x86_64
S:383152
I:622592
T:the musl c library (libc) implementation
L:MIT
o:musl
F:lib
R:ld-musl-x86_64.so.1
R:libc.musl-x86_64.so.1

P:busybox-binsh
V:1.36.1-r5
A:x86_64
I:1
L:GPL-2.0-only
o:busybox
F:bin
R:sh
"""


def test_apk_components_with_origin_licence_and_files() -> None:
    musl, binsh = parse_apk_components(APK, "/lib/apk/db/installed")
    assert (musl.name, musl.version, musl.arch, musl.size) == ("musl", "1.2.4-r2", "x86_64",
                                                                622592)
    assert musl.files == ("/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1")
    assert musl.licenses == ("MIT",)
    assert (binsh.source, binsh.files) == ("busybox", ("/bin/sh",))


def _header(tags: list[tuple[int, int, object]]) -> bytes:
    """An rpm header blob: counts, index entries (tag, type, offset, count), data store."""
    index, store = b"", b""
    for tag, kind, value in tags:
        if kind == 4:
            assert isinstance(value, list)
            store += b"\0" * (-len(store) % 4)
            payload, count = struct.pack(f">{len(value)}I", *value), len(value)
        elif kind == 8:
            assert isinstance(value, list)
            payload, count = b"".join(v.encode() + b"\0" for v in value), len(value)
        else:
            assert isinstance(value, str)
            payload, count = value.encode() + b"\0", 1
        index += struct.pack(">IIII", tag, kind, len(store), count)
        store += payload
    return struct.pack(">II", len(tags), len(store)) + index + store


BASH_HEADER = _header([
    (1000, 6, "bash"), (1001, 6, "5.2.15"), (1002, 6, "3.fc38"), (1003, 4, [1]),
    (1009, 4, [8031237]), (1014, 6, "GPL-3.0-or-later"), (1022, 6, "x86_64"),
    (1044, 6, "bash-5.2.15-3.fc38.src.rpm"),
    (1116, 4, [0, 0, 1]), (1117, 8, ["bash", "sh", "README"]),
    (1118, 8, ["/usr/bin/", "/usr/share/doc/bash/"]),
])
KEY_HEADER = _header([(1000, 6, "gpg-pubkey"), (1001, 6, "5323552a"), (1002, 6, "6112bcdc")])


def test_rpm_sqlite_database(tmp_path: Path) -> None:
    db_path = tmp_path / "rpmdb.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
    db.executemany("INSERT INTO Packages (blob) VALUES (?)", [(BASH_HEADER,), (KEY_HEADER,)])
    db.commit()
    db.close()
    (bash,) = parse_rpmdb_sqlite(db_path.read_bytes(), "/var/lib/rpm/rpmdb.sqlite")
    assert (bash.name, bash.version, bash.arch) == ("bash", "1:5.2.15-3.fc38", "x86_64")
    assert (bash.source, bash.source_version) == ("bash", "5.2.15-3.fc38")
    assert bash.files == ("/usr/bin/bash", "/usr/bin/sh", "/usr/share/doc/bash/README")
    assert (bash.size, bash.licenses) == (8031237, ("GPL-3.0-or-later",))
    purl = purl_of(bash, parse_os_release('ID=fedora\nVERSION_ID=38\n'))
    assert purl.to_string() == "pkg:rpm/fedora/bash@5.2.15-3.fc38?arch=x86_64&distro=fedora-38&epoch=1"


def test_rpm_errors() -> None:
    with pytest.raises(HeaderError):
        parse_header(b"\0\0")
    with pytest.raises(HeaderError):
        parse_header(struct.pack(">II", 5, 100))
    with pytest.raises(HeaderError, match="not an rpm SQLite database"):
        parse_rpmdb_sqlite(b"SQLite format 3\0" + b"\0" * 100, "/var/lib/rpm/rpmdb.sqlite")


def test_os_release_quoting() -> None:
    got = parse_os_release("# c\nNAME='Alpine Linux'\nID=alpine\nVERSION_ID=3.19.1\n"
                           'PRETTY_NAME="Alpine Linux v3.19"\nBROKEN="unterminated\n')
    assert got is not None
    assert (got.id, got.version_id, got.pretty_name, got.distro) == \
        ("alpine", "3.19.1", "Alpine Linux v3.19", "alpine-3.19.1")
    assert parse_os_release("NAME=nothing\n") is None


@pytest.mark.parametrize(("component", "expected"), [
    (Component("deb", "bash", "5.2.15-2+b2", "", arch="amd64"),
     "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"),
    (Component("python", "fastapi", "0.104.1", ""), "pkg:pypi/fastapi@0.104.1"),
    (Component("npm", "@types/node", "20.0.0", ""), "pkg:npm/%40types/node@20.0.0"),
    (Component("npm", "left-pad", "1.3.0", ""), "pkg:npm/left-pad@1.3.0"),
    (Component("go", "golang.org/x/net", "v0.17.0", ""), "pkg:golang/golang.org/x/net@v0.17.0"),
    (Component("go", "stdlib", "1.19.8", ""), "pkg:golang/stdlib@1.19.8"),
    (Component("rust", "serde", "1.0.190", ""), "pkg:cargo/serde@1.0.190"),
])
def test_package_urls(component: Component, expected: str) -> None:
    debian = parse_os_release("ID=debian\nVERSION_ID=\"12\"\n")
    assert purl_of(component, debian).to_string() == expected


def test_apk_purl_without_os_release() -> None:
    musl = Component("apk", "musl", "1.2.4-r2", "", arch="x86_64")
    assert purl_of(musl, None).to_string() == "pkg:apk/musl@1.2.4-r2?arch=x86_64"


#: an rpm database written by rpm 4.18 itself (Debian's rpm package): ``rpmbuild -bb
#: data/hello-sbom.spec``, then ``rpm --dbpath DB --initdb`` and ``rpm --dbpath DB -i
#: --justdb --nodeps --noscripts hello-sbom-1.2.3-4.fc40.noarch.rpm``
REAL_RPMDB = Path(__file__).parent / "data" / "rpmdb.sqlite.gz"


def test_a_database_rpm_wrote(tmp_path: Path) -> None:
    import gzip

    from slimline.inventory.target import inventory_of

    (hello,) = parse_rpmdb_sqlite(gzip.decompress(REAL_RPMDB.read_bytes()), "/x")
    assert (hello.name, hello.version, hello.arch) == ("hello-sbom", "2:1.2.3-4.fc40", "noarch")
    assert hello.files == ("/usr/bin/hello-sbom", "/usr/share/hello-sbom",
                           "/usr/share/hello-sbom/greeting.txt")
    assert hello.regular_files == ("/usr/bin/hello-sbom", "/usr/share/hello-sbom/greeting.txt")
    assert (hello.licenses, hello.source_version) == (("MIT",), "1.2.3-4.fc40")

    # in a root filesystem where the greeting was deleted afterwards
    root = tmp_path / "root"
    (root / "var/lib/rpm").mkdir(parents=True)
    (root / "var/lib/rpm/rpmdb.sqlite").write_bytes(gzip.decompress(REAL_RPMDB.read_bytes()))
    (root / "etc").mkdir()
    (root / "etc/os-release").write_text('ID=fedora\nVERSION_ID=40\n')
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/hello-sbom").write_text("#!/bin/sh\necho hello\n")
    (root / "usr/share/hello-sbom").mkdir(parents=True)
    inventory = inventory_of(str(root))
    assert [c.name for c in inventory.components] == ["hello-sbom"]
    assert [(m.component.name, m.missing, m.listed) for m in inventory.mismatches] == [
        ("hello-sbom", ("/usr/share/hello-sbom/greeting.txt",), 2)]
    assert [info.path for info in inventory.unowned] == ["/etc/os-release"]
    assert inventory.notes == []


def test_a_berkeleydb_rpm_database_is_named_not_read(tmp_path: Path) -> None:
    from slimline.inventory.target import inventory_of

    (tmp_path / "var/lib/rpm").mkdir(parents=True)
    (tmp_path / "var/lib/rpm/Packages").write_bytes(b"\0\x06\x15\x61" + b"\0" * 4092)
    inventory = inventory_of(str(tmp_path))
    assert inventory.components == []
    assert inventory.notes == ["/var/lib/rpm/Packages is a BerkeleyDB rpm database, which "
                               "slimline does not read: its packages are not listed"]


def test_debian_copyright_licences() -> None:
    from slimline.inventory.copyright import copyright_licenses

    # bash's file as Debian 12 ships it (machine-readable, several Files paragraphs)
    text = (Path(__file__).parent / "data" / "bash.copyright").read_text()
    assert copyright_licenses(text)[:3] == ("GPL-3+", "GPL-3+ with Bison exception", "GPL-2+")
    assert copyright_licenses("This is the Debian prepackaged version of glibc.\n") == ()
    old_url = ("Format: http://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
               "Files: *\nCopyright: 2020 A\nLicense: Expat\n")
    assert copyright_licenses(old_url) == ("Expat",)


def test_a_header_pointing_past_its_data_is_an_error(tmp_path: Path) -> None:
    # one INT32 entry with count 1000 in a 4-byte store
    blob = struct.pack(">II", 1, 4) + struct.pack(">IIII", 1003, 4, 0, 1000) + b"\0" * 4
    db_path = tmp_path / "rpmdb.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB)")
    db.execute("INSERT INTO Packages (blob) VALUES (?)", (blob,))
    db.commit()
    db.close()
    with pytest.raises(HeaderError, match="cannot be read"):
        parse_rpmdb_sqlite(db_path.read_bytes(), "/var/lib/rpm/rpmdb.sqlite")
