"""``slimline scan`` and ``slimline db`` on a small image archive written for the test."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from imagebuilder import E, Spec, d, layer, write_legacy_archive
from sarif_pydantic import Sarif
from vulnrecords import osv, write_records

import slimline.cli.commands  # noqa: F401  (registers the commands)
from slimline.cli.main import cli
from slimline.vuln.db import import_sources

STATUS = b"""Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib (1:1.2.13.dfsg-1)
Version: 1:1.2.13.dfsg-1

Package: oldpkg
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0
"""
METADATA = b"Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.4\n\n"
SITE = "usr/local/lib/python3.11/site-packages"

RECORDS = [
    # fixed in bookworm after the installed version: a finding with a fix
    osv("DSA-5000-1", "Debian:12", "openssl", ("introduced", "0"), ("fixed", "3.0.13-1~deb12u1"),
        aliases=("CVE-2026-1000",), database_specific={"severity": "high"}),
    # open in bookworm: only introduced 0
    osv("DEBIAN-CVE-2026-2000", "Debian:12", "zlib", ("introduced", "0"),
        aliases=("CVE-2026-2000",)),
    # fixed below the installed version: no finding
    osv("DSA-4000-1", "Debian:12", "openssl", ("introduced", "0"), ("fixed", "3.0.9-1")),
    # another release: no finding
    osv("DLA-3000-1", "Debian:11", "openssl", ("introduced", "0"), ("fixed", "9:9")),
    osv("GHSA-h5c8-rqwp-cp95", "PyPI", "jinja2", ("introduced", "0"), ("fixed", "3.1.5"),
        aliases=("CVE-2024-56201",), severity=[
            {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H"}]),
]


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "image.tar"
    write_legacy_archive(path, Spec([layer([
        d("var"), d("var/lib"), d("var/lib/dpkg"), E("var/lib/dpkg/status", data=STATUS),
        d("usr"), d("usr/local"), d("usr/local/lib"), d("usr/local/lib/python3.11"),
        d(SITE), d(f"{SITE}/jinja2-3.1.4.dist-info"),
        E(f"{SITE}/jinja2-3.1.4.dist-info/METADATA", data=METADATA),
    ])]))
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "vulndb.sqlite3"
    import_sources([write_records(tmp_path / "records", RECORDS)], path,
                   now=datetime.now(UTC))
    return path


@pytest.fixture(autouse=True)
def _clean_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No configuration of the checkout applies: the scans run in an empty directory."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")


def scan(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["scan", *args])


def scan_json(tmp_path: Path, image: Path, db: Path, *args: str,
              code: int = 0) -> dict[str, Any]:
    out = scan(tmp_path, str(image), "--db", str(db), "-f", "json", *args)
    assert out.exit_code == code, out.output
    doc: dict[str, Any] = json.loads(out.stdout)
    return doc


def rows(doc: dict[str, Any], key: str = "vulnerabilities") -> list[tuple[str, ...]]:
    return [(v["package"]["name"], v["id"], ",".join(v["fixed_in"]), v["severity"])
            for v in doc[key]]


def test_scan_json_finds_exactly_the_affected_packages(tmp_path: Path, image: Path,
                                                       db: Path) -> None:
    doc = scan_json(tmp_path, image, db)
    assert doc["schema"] == "slimline.scan/v1"
    assert doc["distribution"] == "Debian:12"
    assert doc["packages"] == 4
    assert rows(doc) == [
        ("jinja2", "CVE-2024-56201", "3.1.5", "high"),
        ("libssl3", "CVE-2026-1000", "3.0.13-1~deb12u1", "high"),
        ("zlib1g", "CVE-2026-2000", "", "unknown"),
    ]
    libssl = doc["vulnerabilities"][1]
    assert libssl["package"] == {"ecosystem": "deb", "name": "libssl3",
                                 "version": "3.0.11-1~deb12u2", "source": "openssl"}
    assert libssl["aliases"] == ["DSA-5000-1"]
    assert doc["vulnerabilities"][0]["cvss_score"] == 7.5
    assert doc["counts"] == {"critical": 0, "high": 2, "medium": 0, "low": 0, "negligible": 0,
                             "unknown": 1}
    assert doc["distinct_vulnerabilities"] == 3
    assert doc["warnings"] == []


def test_fail_on_and_only_fixed(tmp_path: Path, image: Path, db: Path) -> None:
    assert scan_json(tmp_path, image, db, "--fail-on", "high", code=1)["failed"] is True
    assert scan_json(tmp_path, image, db, "--fail-on", "critical")["failed"] is False
    doc = scan_json(tmp_path, image, db, "--only-fixed")
    assert [r[1] for r in rows(doc)] == ["CVE-2024-56201", "CVE-2026-1000"]


def test_ignore_list_needs_reasons_and_expires(tmp_path: Path, image: Path, db: Path) -> None:
    config = tmp_path / "scan.toml"
    config.write_text('[scan]\nignore = [\n'
                      '  {id = "DSA-5000-1", reason = "we never use TLS", expires = "2999-01-01"},\n'
                      '  {id = "CVE-2026-2000", reason = "was accepted", expires = 2020-01-01},\n'
                      ']\n')
    doc = scan_json(tmp_path, image, db, "--config", str(config))
    assert [r[1] for r in rows(doc)] == ["CVE-2024-56201", "CVE-2026-2000"]
    assert [(i["id"], i["reason"]) for i in doc["ignored"]] == [("CVE-2026-1000",
                                                                 "we never use TLS")]
    assert doc["expired_ignores"] == [{"id": "CVE-2026-2000", "reason": "was accepted",
                                       "expires": "2020-01-01"}]
    assert doc["warnings"] == ["ignore entry for CVE-2026-2000 expired on 2020-01-01 and no "
                               "longer applies"]
    config.write_text('[scan]\nignore = [{id = "CVE-2026-1000"}]\n')
    out = scan(tmp_path, str(image), "--db", str(db), "--config", str(config))
    assert out.exit_code == 2
    assert "scan.ignore[0] (CVE-2026-1000) needs a reason" in out.output


def test_ignore_list_in_the_nearest_slimline_toml(tmp_path: Path, image: Path, db: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".slimline.toml").write_text(
        'select = ["SL1"]\n[scan]\nignore = [{id = "GHSA-h5c8-rqwp-cp95", reason = "sandboxed"}]\n')
    monkeypatch.chdir(project)
    out = CliRunner().invoke(cli, ["scan", str(image), "--db", str(db), "-f", "json"])
    assert out.exit_code == 0, out.output
    assert [i["id"] for i in json.loads(out.stdout)["ignored"]] == ["CVE-2024-56201"]
    lint = CliRunner().invoke(cli, ["lint", "-"], input="FROM debian:12\n")
    assert "unknown setting" not in lint.output


def test_scan_without_a_database_is_exit_2_and_says_how_to_get_one(tmp_path: Path,
                                                                   image: Path) -> None:
    out = scan(tmp_path, str(image), "--db", str(tmp_path / "none.sqlite3"))
    assert out.exit_code == 2
    assert "no vulnerability database at" in out.output
    assert "slimline db update" in out.output and "slimline db import PATH" in out.output


def test_an_old_database_gives_a_warning(tmp_path: Path, image: Path) -> None:
    old = tmp_path / "old.sqlite3"
    import_sources([write_records(tmp_path / "r", RECORDS)], old,
                   now=datetime(2020, 1, 1, tzinfo=UTC))
    out = scan(tmp_path, str(image), "--db", str(old), "-f", "json")
    assert out.exit_code == 0
    doc = json.loads(out.stdout)
    assert doc["warnings"][0].startswith("the vulnerability database is ")
    assert "days old (built 2020-01-01)" in out.stderr
    out = scan(tmp_path, str(image), "--db", str(old), "-f", "json", "--max-db-age", "100000")
    assert json.loads(out.stdout)["warnings"] == []


def test_text_and_sarif(tmp_path: Path, image: Path, db: Path) -> None:
    text = scan(tmp_path, str(image), "--db", str(db))
    assert text.exit_code == 0, text.output
    for word in ("severity", "package", "installed", "fixed in", "id", "aliases",
                 "libssl3 (openssl)", "3.0.13-1~deb12u1", "3 findings of 3 vulnerabilities: 2 high, 1 unknown"):
        assert word in text.output
    sarif = scan(tmp_path, str(image), "--db", str(db), "-f", "sarif")
    assert sarif.exit_code == 0
    doc = json.loads(sarif.stdout)
    Sarif.model_validate(doc)
    run = doc["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["CVE-2024-56201", "CVE-2026-1000",
                                                     "CVE-2026-2000"]
    assert run["tool"]["driver"]["rules"][0]["properties"]["security-severity"] == "7.5"


def test_db_import_and_status_commands(tmp_path: Path) -> None:
    records = write_records(tmp_path / "records", RECORDS)
    (records / "bad.json").write_text("{")
    target = tmp_path / "db.sqlite3"
    out = CliRunner().invoke(cli, ["db", "import", str(records), "--db", str(target)])
    assert out.exit_code == 0, out.output
    assert "5 records, 0 withdrawn skipped, 1 malformed skipped" in out.stdout
    assert "skipped a malformed record: bad.json" in out.stderr
    status = CliRunner().invoke(cli, ["db", "status", "--db", str(target), "--json"])
    assert status.exit_code == 0
    doc = json.loads(status.stdout)
    assert doc["ecosystems"] == {"Debian:11": 1, "Debian:12": 3, "PyPI": 1}
    assert doc["age_days"] < 1
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(b"PK\x05\x06" + b"\0" * 10)
    out = CliRunner().invoke(cli, ["db", "import", str(bomb), "--db", str(target)])
    assert out.exit_code == 2 and out.output.startswith("slimline: ")
    missing = CliRunner().invoke(cli, ["db", "status", "--db", str(tmp_path / "no.sqlite3")])
    assert missing.exit_code == 2 and "slimline db update" in missing.output


def test_names_from_the_image_cannot_drive_the_terminal() -> None:
    from slimline.report import render
    from slimline.vuln.model import Finding, Level, ScanResult

    evil = "pkg\x1b[2J\nname"
    finding = Finding("CVE-2026-9", ("GHSA-\x07",), "python", evil, "1.0\r", ("2.0",),
                      Level.HIGH, None, "summary\x1b]0;title\x07")
    text = render("text", "scan", ScanResult("img\x1b", [finding], 1))
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "pkg\\x1b[2J\\nname" in text
    doc = json.loads(render("json", "scan", ScanResult("img", [finding], 1)))
    assert doc["vulnerabilities"][0]["package"]["name"] == evil
