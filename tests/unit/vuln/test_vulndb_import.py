"""``db import``: OSV zips, directories (JSON and YAML), the Debian tracker's JSON; limits,
malformed records and archives; the database replaced atomically; ``db status``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from vulnrecords import NOW, osv

from slimline.errors import SlimlineError
from slimline.inventory import Package
from slimline.vuln.db import Database, DatabaseError, import_sources, open_database
from slimline.vuln.inputs import InputError, Limits
from slimline.vuln.match import Releases, match_packages

RECORDS = [
    osv("PYSEC-2026-10", "PyPI", "jinja2", ("introduced", "0"), ("fixed", "3.1.5")),
    osv("GHSA-1111-2222-3333", "PyPI", "jinja2", ("introduced", "0"), ("fixed", "3.1.5"),
        aliases=("PYSEC-2026-10",)),
    osv("GO-2026-0001", "Go", "stdlib", ("introduced", "0"), ("fixed", "1.22.1"),
        range_type="SEMVER"),
]


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def osv_zip(path: Path, records: list[dict[str, object]]) -> Path:
    return write_zip(path, {f"{r['id']}.json": json.dumps(r).encode() for r in records})


def test_import_an_osv_zip_and_show_its_status(tmp_path: Path) -> None:
    archive = osv_zip(tmp_path / "all.zip", RECORDS)
    db_path = tmp_path / "cache" / "vulndb.sqlite3"
    [stats] = import_sources([archive], db_path, now=NOW)
    assert (stats.kind, stats.records, stats.withdrawn, stats.malformed) == ("osv", 3, 0, 0)
    with open_database(db_path) as db:
        status = db.status()
        assert status.built == NOW
        assert status.ecosystems == {"Go": 1, "PyPI": 2}
        assert status.advisories == 3
        assert [(s.path, s.records) for s in status.sources] == [(str(archive), 3)]
        found = match_packages([Package("python", "jinja2", "3.1.4", None)], db).findings
        assert [(f.id, f.aliases) for f in found] == [("GHSA-1111-2222-3333", ("PYSEC-2026-10",))]


def test_malformed_records_are_counted_and_skipped(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "all.zip", {
        "GOOD.json": json.dumps(RECORDS[0]).encode(),
        "broken.json": b"{not json",
        "no-id.json": json.dumps({"affected": []}).encode(),
        "bad-range.json": json.dumps(osv("X-1", "PyPI", "a", ("fixed", "1"))).encode(),
        "bad-events.json": json.dumps({"id": "X-2", "affected": [{
            "package": {"ecosystem": "PyPI", "name": "a"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1"}]}]}]
        }).encode(),
        "list.json": b"[1, 2]",
        "README.txt": b"not a record, not read",
    })
    [stats] = import_sources([archive], tmp_path / "db.sqlite3", now=NOW)
    assert (stats.records, stats.malformed) == (1, 5)
    assert len(stats.warnings) == 5
    assert any("broken.json" in w and "not valid JSON" in w for w in stats.warnings)
    assert any("no introduced event" in w for w in stats.warnings)


def test_a_directory_of_json_and_yaml_records(tmp_path: Path) -> None:
    records = tmp_path / "records" / "nested"
    records.mkdir(parents=True)
    (records / "a.json").write_text(json.dumps(RECORDS[0]))
    (records / "b.yaml").write_text(
        "id: RUSTSEC-2026-0001\naliases: [CVE-2026-2222]\naffected:\n"
        "  - package: {ecosystem: crates.io, name: smallvec}\n"
        "    ranges:\n      - type: SEMVER\n        events:\n"
        "          - introduced: '1.6.0'\n          - fixed: '1.6.1'\n")
    (records / "bomb.yml").write_text("a: &a [x, x]\nb: [*a, *a]\nid: Y\n")
    [stats] = import_sources([tmp_path / "records"], tmp_path / "db.sqlite3", now=NOW)
    assert (stats.records, stats.malformed) == (2, 1)
    assert "YAML aliases" in stats.warnings[0]
    with open_database(tmp_path / "db.sqlite3") as db:
        found = match_packages([Package("rust", "smallvec", "1.6.0", None)], db).findings
        assert [f.id for f in found] == ["CVE-2026-2222"]


def test_a_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = write_zip(tmp_path / "bomb.zip", {"big.json": b" " * (17 * 1024 * 1024)})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match="zip bomb"):
        import_sources([bomb], tmp_path / "db.sqlite3", now=NOW)
    many = osv_zip(tmp_path / "many.zip", RECORDS)
    with pytest.raises(InputError, match="more than the limit of 2"):
        import_sources([many], tmp_path / "db.sqlite3", Limits(members=2), now=NOW)
    with pytest.raises(InputError, match=r"inflate to .* zip bomb"):
        import_sources([many], tmp_path / "db.sqlite3", Limits(total_bytes=100), now=NOW)
    assert not (tmp_path / "db.sqlite3").exists()


def test_a_malformed_archive_is_an_error_and_the_old_database_stays(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    import_sources([osv_zip(tmp_path / "good.zip", RECORDS)], db_path, now=NOW)
    before = db_path.read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError) as info:
        import_sources([osv_zip(tmp_path / "other.zip", RECORDS[:1]), broken], db_path, now=NOW)
    assert isinstance(info.value, SlimlineError) and info.value.exit_code == 2
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.zip", "db.sqlite3",
                                                          "good.zip", "other.zip"]


def test_a_new_import_replaces_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    import_sources([osv_zip(tmp_path / "a.zip", RECORDS)], db_path, now=NOW)
    import_sources([osv_zip(tmp_path / "b.zip", RECORDS[2:])], db_path, now=NOW)
    with Database(db_path) as db:
        assert db.status().ecosystems == {"Go": 1}


TRACKER = {
    "openssl": {
        "CVE-2026-0100": {
            "description": "A flaw in openssl\nmore text",
            "releases": {
                "bookworm": {"status": "resolved", "fixed_version": "3.0.16-1~deb12u1",
                             "urgency": "high"},
                "bullseye": {"status": "open", "urgency": "low**"},
                "trixie": {"status": "resolved", "fixed_version": "0", "urgency": "high"},
                "sid": {"status": "resolved", "fixed_version": "3.4.0-1", "urgency": "high"},
            },
        },
        "CVE-2026-0101": {"releases": {"bookworm": {"status": "resolved"}}},
    },
    "zlib": {"CVE-2026-0100": {"releases": {"bookworm": {"status": "undetermined",
                                                          "urgency": "unimportant"}}}},
}


def test_debian_tracker_json(tmp_path: Path) -> None:
    path = tmp_path / "tracker.json"
    path.write_text(json.dumps(TRACKER))
    [stats] = import_sources([path], tmp_path / "db.sqlite3", now=NOW)
    assert (stats.kind, stats.records, stats.malformed) == ("debian-tracker", 2, 1)
    with open_database(tmp_path / "db.sqlite3") as db:
        assert db.status().ecosystems == {"Debian:11": 1, "Debian:12": 2}
        libssl = Package("deb", "libssl3", "3.0.15-1~deb12u1", None, "openssl",
                         "3.0.15-1~deb12u1")
        zlib = Package("deb", "zlib1g", "1:1.2.13.dfsg-1", None, "zlib", "1:1.2.13.dfsg-1")
        found = match_packages([libssl, zlib], db, Releases(debian="12")).findings
        assert [(f.package, f.id, f.fixed, f.level.label, f.summary) for f in found] == [
            ("libssl3", "CVE-2026-0100", ("3.0.16-1~deb12u1",), "high", "A flaw in openssl"),
            ("zlib1g", "CVE-2026-0100", (), "negligible", ""),
        ]
        fixed = Package("deb", "libssl3", "3.0.16-1~deb12u1", None, "openssl", "3.0.16-1~deb12u1")
        assert match_packages([fixed], db, Releases(debian="12")).findings == []
        assert [f.level.label for f in match_packages(
            [libssl], db, Releases(debian="11")).findings] == ["low"]


def test_no_database_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="slimline db update"):
        open_database(tmp_path / "missing.sqlite3")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(DatabaseError, match="not a slimline vulnerability database"):
        open_database(junk)


def test_default_path_honours_the_environment(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from slimline.vuln.db import default_path

    monkeypatch.setenv("SLIMLINE_VULNDB", str(tmp_path / "x.sqlite3"))
    assert default_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("SLIMLINE_VULNDB")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_path() == tmp_path / "cache" / "slimline" / "vulndb.sqlite3"
