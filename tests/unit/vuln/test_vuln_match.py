"""OSV matching: ranges and their events, version lists, Debian by source and release,
withdrawn records, aliases joined, severities, invalid versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vulnrecords import osv

from slimline.inventory import Package
from slimline.vuln.db import Database
from slimline.vuln.match import Releases, match_packages
from slimline.vuln.model import Level

MakeDb = Callable[..., Database]


def deb(name: str, version: str, source: str = "", source_version: str = "") -> Package:
    return Package("deb", name, version, None, source or name, source_version or version)


def py(name: str, version: str) -> Package:
    return Package("python", name, version, None, name, version)


def ids(db: Database, *packages: Package, releases: Releases | None = None) -> list[
        tuple[str, str]]:
    return [(f.package, f.id) for f in match_packages(packages, db, releases).findings]


def test_open_debian_cve_with_only_introduced_zero_matches_by_source_package(
        make_db: MakeDb) -> None:
    db = make_db([osv("DEBIAN-CVE-2026-0001", "Debian:12", "openssl", ("introduced", "0"),
                      aliases=("CVE-2026-0001",))])
    bookworm = Releases(debian="12")
    # libssl3 is built from openssl: the advisory names the source package
    libssl = deb("libssl3", "3.0.15-1~deb12u1", "openssl")
    got = match_packages([libssl, deb("openssl", "3.0.15-1~deb12u1")], db, bookworm).findings
    assert [(f.package, f.id, f.fixed, f.source_package) for f in got] == [
        ("libssl3", "CVE-2026-0001", (), "openssl"),
        ("openssl", "CVE-2026-0001", (), "openssl"),
    ]
    assert got[0].aliases == ("DEBIAN-CVE-2026-0001",)
    # another release's advisories do not apply; a package of that name from another source neither
    assert ids(db, libssl, releases=Releases(debian="11")) == []
    assert ids(db, deb("openssl-provider-legacy", "1", "other"), releases=bookworm) == []


def test_debian_fixed_version_with_an_epoch(make_db: MakeDb) -> None:
    db = make_db([osv("DSA-5000-1", "Debian:12", "foo", ("introduced", "0"),
                      ("fixed", "1:2.3-1"))])
    bookworm = Releases(debian="12")
    # 2.9-1 has epoch 0: older than 1:2.3-1 although "2.9" > "2.3"
    assert ids(db, deb("foo", "2.9-1"), releases=bookworm) == [("foo", "DSA-5000-1")]
    assert ids(db, deb("foo", "1:2.2-4"), releases=bookworm) == [("foo", "DSA-5000-1")]
    assert ids(db, deb("foo", "1:2.3-1"), releases=bookworm) == []
    assert ids(db, deb("foo", "1:2.10-1"), releases=bookworm) == []
    # a binary package whose Source: line names another version is matched by that one
    assert ids(db, deb("libfoo1", "1:9.0-1", "foo", "1:2.2-1"), releases=bookworm) == [
        ("libfoo1", "DSA-5000-1")]
    finding = match_packages([deb("foo", "2.9-1")], db, bookworm).findings[0]
    assert finding.fixed == ("1:2.3-1",) and finding.installed == "2.9-1"


def test_unknown_debian_release_matches_every_release(make_db: MakeDb) -> None:
    db = make_db([osv("DSA-1", "Debian:11", "foo", ("introduced", "0"), ("fixed", "2.0-1")),
                  osv("DSA-2", "Debian:12", "foo", ("introduced", "0"), ("fixed", "3.0-1"))])
    assert ids(db, deb("foo", "1.0-1")) == [("foo", "DSA-1"), ("foo", "DSA-2")]
    assert ids(db, deb("foo", "1.0-1"), releases=Releases(debian="12")) == [("foo", "DSA-2")]


def test_withdrawn_records_match_nothing(make_db: MakeDb) -> None:
    db = make_db([osv("GHSA-wwww-wwww-wwww", "PyPI", "requests", ("introduced", "0"),
                      withdrawn="2026-02-01T00:00:00Z"),
                  osv("GHSA-kkkk-kkkk-kkkk", "PyPI", "requests", ("introduced", "0"),
                      ("fixed", "3.0"))])
    assert ids(db, py("requests", "2.31.0")) == [("requests", "GHSA-kkkk-kkkk-kkkk")]
    assert db.status().sources[0].withdrawn == 1


def test_last_affected_is_inclusive(make_db: MakeDb) -> None:
    db = make_db([osv("PYSEC-2026-1", "PyPI", "Some_Package", ("introduced", "1.0"),
                      ("last_affected", "1.4"))])
    # PyPI names are compared in their canonical form
    assert ids(db, py("some-package", "1.4")) == [("some-package", "PYSEC-2026-1")]
    assert ids(db, py("some-package", "1.0")) == [("some-package", "PYSEC-2026-1")]
    assert ids(db, py("some-package", "1.4.1")) == []
    assert ids(db, py("some-package", "0.9")) == []
    assert match_packages([py("some-package", "1.2")], db).findings[0].fixed == ()


def test_limit_event_ends_the_range(make_db: MakeDb) -> None:
    db = make_db([osv("OSV-2026-7", "PyPI", "lib", ("introduced", "0"), ("fixed", "1.5"),
                      ("introduced", "2.0"), ("limit", "3.0"))])
    assert ids(db, py("lib", "1.0")) == [("lib", "OSV-2026-7")]
    assert ids(db, py("lib", "1.5")) == []
    assert ids(db, py("lib", "2.5")) == [("lib", "OSV-2026-7")]
    assert ids(db, py("lib", "3.1")) == []
    # 1.5 fixes the first stretch, not the second: 2.5 has no fix
    assert match_packages([py("lib", "2.5")], db).findings[0].fixed == ()
    assert match_packages([py("lib", "1.0")], db).findings[0].fixed == ("1.5",)


def test_semver_ranges_for_npm_and_go(make_db: MakeDb) -> None:
    db = make_db([
        osv("GHSA-npm1-npm1-npm1", "npm", "left-pad", ("introduced", "1.2.0"),
            ("fixed", "1.10.0"), range_type="SEMVER"),
        osv("GO-2023-1753", "Go", "stdlib", ("introduced", "0"), ("fixed", "1.19.9"),
            range_type="SEMVER"),
    ])
    npm = [Package("npm", "left-pad", v, None) for v in ("1.9.0", "1.10.0", "1.1.9")]
    assert ids(db, *npm) == [("left-pad", "GHSA-npm1-npm1-npm1")]
    assert match_packages(npm, db).findings[0].installed == "1.9.0"
    go = [Package("go", "stdlib", "1.19.8", None), Package("go", "stdlib", "1.19.10", None)]
    found = match_packages(go, db).findings
    assert [(f.installed, f.fixed) for f in found] == [("1.19.8", ("1.19.9",))]


def test_versions_list(make_db: MakeDb) -> None:
    db = make_db([osv("PYSEC-2026-2", "PyPI", "pkg", versions=("1.0", "1.1"))])
    assert ids(db, py("pkg", "1.1")) == [("pkg", "PYSEC-2026-2")]
    assert ids(db, py("pkg", "1.2")) == []


def test_aliases_across_databases_are_one_finding(make_db: MakeDb) -> None:
    db = make_db([
        osv("PYSEC-2026-3", "PyPI", "urllib3", ("introduced", "0"), ("fixed", "2.2.2"),
            aliases=("CVE-2026-1111", "GHSA-aaaa-bbbb-cccc")),
        osv("GHSA-aaaa-bbbb-cccc", "PyPI", "urllib3", ("introduced", "2.0.0"),
            ("fixed", "2.2.2"), aliases=("CVE-2026-1111",)),
        osv("GHSA-zzzz-zzzz-zzzz", "PyPI", "urllib3", ("introduced", "0"), ("fixed", "9")),
    ])
    found = match_packages([py("urllib3", "2.0.7")], db).findings
    assert [(f.id, f.aliases, f.advisories, f.fixed) for f in found] == [
        ("CVE-2026-1111", ("GHSA-aaaa-bbbb-cccc", "PYSEC-2026-3"),
         ("GHSA-aaaa-bbbb-cccc", "PYSEC-2026-3"), ("2.2.2",)),
        ("GHSA-zzzz-zzzz-zzzz", (), ("GHSA-zzzz-zzzz-zzzz",), ("9",)),
    ]


def test_idna_fixed_in_3_7_does_not_match_3_20(make_db: MakeDb) -> None:
    db = make_db([osv("PYSEC-2024-60", "PyPI", "idna", ("introduced", "0"), ("fixed", "3.7"),
                      aliases=("CVE-2024-3651", "GHSA-jjg7-2v4v-x38h"))])
    assert ids(db, py("idna", "3.20")) == []
    assert ids(db, py("idna", "3.6")) == [("idna", "CVE-2024-3651")]


def test_invalid_installed_version_is_a_warning_not_a_crash(make_db: MakeDb) -> None:
    db = make_db([osv("PYSEC-2026-4", "PyPI", "odd", ("introduced", "0"))])
    result = match_packages([py("odd", "not a version!")], db)
    assert result.findings == []
    assert result.warnings == ["python package odd: version 'not a version!' is not a valid "
                               "PyPI version, not matched"]


def test_invalid_event_version_skips_that_range_with_a_warning(make_db: MakeDb) -> None:
    db = make_db([osv("PYSEC-2026-5", "PyPI", "pkg", ("introduced", "0"), ("fixed", "??")),
                  osv("PYSEC-2026-6", "PyPI", "pkg", ("introduced", "0"), ("fixed", "2.0"))])
    result = match_packages([py("pkg", "1.0")], db)
    assert [f.id for f in result.findings] == ["PYSEC-2026-6"]
    assert "PYSEC-2026-5" in result.warnings[0]


def _severity_record(ident: str, **extra: Any) -> dict[str, Any]:
    return osv(ident, "PyPI", "sev", ("introduced", "0"), **extra)


def test_severity_from_cvss_vectors_or_the_records_own_words(make_db: MakeDb) -> None:
    db = make_db([
        _severity_record("GHSA-cvss-3333-3333", severity=[
            {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]),
        _severity_record("GHSA-cvss-4444-4444", severity=[
            {"type": "CVSS_V4",
             "score": "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"}]),
        _severity_record("GHSA-word-word-word", database_specific={"severity": "MODERATE"}),
        _severity_record("GHSA-none-none-none"),
        _severity_record("GHSA-badv-badv-badv", severity=[{"type": "CVSS_V3", "score": "junk"}]),
    ])
    found = {f.id: (f.level, f.score) for f in match_packages([py("sev", "1")], db).findings}
    assert found == {
        "GHSA-cvss-3333-3333": (Level.CRITICAL, 9.8),
        "GHSA-cvss-4444-4444": (Level.MEDIUM, 6.3),  # FIRST's calculator says 6.3 too
        "GHSA-word-word-word": (Level.MEDIUM, None),
        "GHSA-none-none-none": (Level.UNKNOWN, None),
        "GHSA-badv-badv-badv": (Level.UNKNOWN, None),
    }


def test_a_deb_without_source_line_is_its_own_source(make_db: MakeDb) -> None:
    db = make_db([osv("DSA-6000-1", "Debian:12", "libfoo", ("introduced", "0"),
                      ("fixed", "2.0-1"))])
    # dpkg writes no Source: line when the source has the binary's name; a foreign
    # Multi-Arch: same package is named name:arch
    foreign = Package("deb", "libfoo:i386", "1.0-1", None)
    found = match_packages([foreign], db, Releases(debian="12")).findings
    assert [(f.package, f.source_package, f.fixed) for f in found] == [
        ("libfoo:i386", "libfoo", ("2.0-1",))]


def test_the_debian_release_from_os_release_else_base_files_else_unknown() -> None:
    from slimline.vuln.scan import releases_of

    base_files = deb("base-files", "12.4+deb12u5")
    assert releases_of([base_files], "debian", "12")[0].debian == "12"
    # os-release wins over the dpkg data
    assert releases_of([base_files], "debian", "11")[0].debian == "11"
    releases, warnings = releases_of([base_files, deb("bash", "5.2.15-2")])
    assert (releases.debian, warnings) == ("12", [])
    assert releases_of([deb("base-files", "11.1+deb11u9")])[0].debian == "11"
    releases, warnings = releases_of([deb("bash", "5.2.15-2")])
    assert releases.debian is None
    assert warnings == ["the Debian release of the image is unknown (no os-release, and no "
                        "Debian base-files package in the dpkg data): advisories of every "
                        "Debian release were matched"]
    releases, warnings = releases_of([deb("base-files", "13ubuntu10")], "ubuntu", "24.04")
    assert releases.debian is None and "os-release says ubuntu 24.04" in warnings[0]
    # no Debian packages: nothing to say
    assert releases_of([py("pip", "24.0")]) == (Releases(), [])
