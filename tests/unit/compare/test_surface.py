"""compare's attack surface: packages, shells, package managers, setuid/setgid files and
vulnerabilities before -> after, on small OCI layouts."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from imagebuilder import Spec, write_oci_layout

from slimline.cli.compare import compare_command as _registered  # noqa: F401
from slimline.cli.main import cli
from slimline.compare import CompareResult, compare
from slimline.image.streams import StreamSource
from slimline.image.tarscan import scan_tar
from slimline.report import RenderOptions
from slimline.report.html import compare_page
from slimline.report.json import compare_dict
from slimline.report.markdown import compare_markdown
from slimline.report.views import surface_note, surface_rows, vulnerability_rows
from slimline.vuln.db import DatabaseError, import_sources

SITE = "usr/local/lib/python3.11/site-packages"
STATUS_A = b"""Package: base-files
Status: install ok installed
Version: 12.4+deb12u5

Package: libssl3
Status: install ok installed
Source: openssl
Version: 3.0.11-1~deb12u2

Package: zlib1g
Status: install ok installed
Source: zlib (1:1.2.13.dfsg-1)
Version: 1:1.2.13.dfsg-1
"""
STATUS_B = STATUS_A.split(b"\n\nPackage: libssl3")[0] + b"\n\n" + \
    STATUS_A.split(b"\n\n")[2]


def metadata(name: str, version: str) -> bytes:
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n".encode()


Member = tuple[str, str, int, bytes | str]  # name, kind (file dir link hard), mode, data or target


def tar(members: list[Member], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    """A layer tar with the modes given (the image builder writes 0644 files only)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for name, kind, mode, payload in members:
            info = tarfile.TarInfo(name)
            info.mode, info.mtime = mode, 1700000000
            if kind == "file":
                assert isinstance(payload, bytes)
                info.size = len(payload)
                tf.addfile(info, io.BytesIO(payload))
                continue
            info.type = {"dir": tarfile.DIRTYPE, "link": tarfile.SYMTYPE,
                         "hard": tarfile.LNKTYPE}[kind]
            if isinstance(payload, str):
                info.linkname = payload
            tf.addfile(info)
    return buf.getvalue()


def dirs(*names: str) -> list[Member]:
    return [(name, "dir", 0o755, b"") for name in names]


def before() -> Spec:
    base = [
        *dirs("bin", "usr", "usr/bin", "var", "var/lib", "var/lib/dpkg", "usr/local",
              "usr/local/lib", "usr/local/lib/python3.11", SITE, f"{SITE}/jinja2-3.1.4.dist-info"),
        ("var/mail", "dir", 0o2775, b""),  # a setgid directory is not a setgid file
        ("bin/bash", "file", 0o755, b"bash"),
        ("bin/sh", "link", 0o777, "bash"),
        ("usr/bin/apt-get", "file", 0o755, b"apt"),
        ("usr/bin/su", "file", 0o4755, b"su"),
        ("usr/bin/wall", "file", 0o2755, b"wall"),
        ("usr/bin/sudo", "file", 0o6755, b"sudo"),
        ("usr/bin/sudoedit", "hard", 0o6755, "usr/bin/sudo"),
        ("usr/bin/passwd", "file", 0o4755, b"passwd"),
        ("usr/bin/newgrp", "file", 0o4755, b"newgrp"),
        ("usr/bin/sticky", "file", 0o1755, b"sticky"),
        ("var/lib/dpkg/status", "file", 0o644, STATUS_A),
        (f"{SITE}/jinja2-3.1.4.dist-info/METADATA", "file", 0o644, metadata("Jinja2", "3.1.4")),
    ]
    top = [
        ("usr/bin/.wh.passwd", "file", 0o644, b""),  # deleted above: not in the final tree
        ("usr/bin/newgrp", "file", 0o755, b"newgrp"),  # replaced without the bit
    ]
    return Spec([tar(base), tar(top)])


def after() -> Spec:
    return Spec([tar([
        *dirs("usr", "usr/bin", "var", "var/lib", "var/lib/dpkg", "usr/local", "usr/local/lib",
              "usr/local/lib/python3.11", SITE, f"{SITE}/jinja2-3.1.5.dist-info",
              f"{SITE}/newpkg-1.0.dist-info"),
        ("usr/bin/su", "file", 0o4755, b"su"),
        ("var/lib/dpkg/status", "file", 0o644, STATUS_B),
        (f"{SITE}/jinja2-3.1.5.dist-info/METADATA", "file", 0o644, metadata("Jinja2", "3.1.5")),
        (f"{SITE}/newpkg-1.0.dist-info/METADATA", "file", 0o644, metadata("newpkg", "1.0")),
    ])])


def record(ident: str, ecosystem: str, name: str, fixed: str, severity: str) -> dict[str, object]:
    events: list[dict[str, str]] = [{"introduced": "0"}]
    if fixed:
        events.append({"fixed": fixed})
    return {"schema_version": "1.6.0", "id": ident, "modified": "2026-01-01T00:00:00Z",
            "summary": ident, "database_specific": {"severity": severity},
            "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                          "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}


RECORDS = [
    record("DSA-5000-1", "Debian:12", "openssl", "3.0.13-1~deb12u1", "high"),  # removed in B
    record("DEBIAN-CVE-2026-2000", "Debian:12", "zlib", "", "low"),  # in both
    record("GHSA-aaaa-bbbb-cccc", "PyPI", "jinja2", "3.1.5", "critical"),  # fixed in B
    record("GHSA-dddd-eeee-ffff", "PyPI", "newpkg", "2.0", "medium"),  # added by B
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    tmp = tmp_path_factory.mktemp("surface")
    write_oci_layout(tmp / "a", before(), "gzip")
    write_oci_layout(tmp / "b", after(), "none")
    db = tmp / "vulndb.sqlite3"
    (tmp / "records").mkdir()
    for rec in RECORDS:
        (tmp / "records" / f"{rec['id']}.json").write_text(json.dumps(rec))
    import_sources([tmp / "records"], db, now=datetime.now(UTC))
    return f"oci:{tmp / 'a'}", f"oci:{tmp / 'b'}", db


@pytest.fixture(scope="module")
def result(pair: tuple[str, str, Path]) -> CompareResult:
    return compare(pair[0], pair[1], measure_pulls=False, db_path=pair[2])


@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
def test_tar_scanner_flags_setuid_and_setgid_files_only(fmt: int) -> None:
    data = tar([*dirs("d"), ("d/g", "dir", 0o2755, b""), ("d/s", "file", 0o4755, b"x"),
                ("d/h", "hard", 0o2755, "d/s"), ("d/n", "file", 0o1755, b"x"),
                ("d/l", "link", 0o777, "s"), ("d/p", "file", 0o644, b"x"),
                ("d/" + "a" * 120 + "/s2", "file", 0o6711, b"y")], fmt)
    scan = scan_tar(StreamSource(io.BytesIO(data)), where="test")
    assert scan.setid == ["d/s", "d/h", "d/" + "a" * 120 + "/s2"]


def test_counts_before_and_after(result: CompareResult) -> None:
    surface = result.surface
    assert surface is not None
    a, b = surface.a, surface.b
    assert (a.packages, b.packages) == (4, 4)  # 3 deb + jinja2; 2 deb + jinja2 + newpkg
    assert a.shells == ("bash", "sh") and b.shells == ()
    assert a.package_managers == ("apt-get",) and b.package_managers == ()
    assert a.setid_files == ("/usr/bin/su", "/usr/bin/sudo", "/usr/bin/sudoedit",
                             "/usr/bin/wall")
    assert b.setid_files == ("/usr/bin/su",)


def test_vulnerabilities_removed_and_added_by_severity(result: CompareResult) -> None:
    assert result.surface is not None
    vulns = result.surface.vulnerabilities
    assert vulns is not None and result.surface.vulnerabilities_note == ""
    nonzero = {name: {k: v for k, v in counts.items() if v}
               for name, counts in (("before", vulns.before), ("after", vulns.after),
                                    ("removed", vulns.removed), ("added", vulns.added))}
    assert nonzero == {"before": {"critical": 1, "high": 1, "low": 1},
                       "after": {"medium": 1, "low": 1},
                       "removed": {"critical": 1, "high": 1},
                       "added": {"medium": 1}}
    rows = surface_rows(result.surface)
    assert ("vulnerabilities", "3", "2", "-2 +1") in rows
    assert ("  critical", "1", "0", "-1 +0") in rows
    assert ("setuid/setgid files", "4", "1", "-3") in rows
    assert ("packages", "4", "4", "+0") in rows


def test_without_a_database_the_rest_is_still_reported(
        pair: tuple[str, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLIMLINE_VULNDB", str(tmp_path / "none.sqlite3"))  # the default one
    res = compare(pair[0], pair[1], measure_pulls=False)
    assert res.surface is not None and res.surface.vulnerabilities is None
    note = surface_note(res.surface)
    assert note.startswith("vulnerabilities not compared: no vulnerability database at")
    assert "\n" not in note
    assert [row[0] for row in surface_rows(res.surface)] == [
        "packages", "shells", "package managers", "setuid/setgid files"]
    doc = compare_dict(res)["attack_surface"]
    assert doc["vulnerabilities"] is None and doc["vulnerabilities_note"] == note
    assert note in compare_markdown(res)


def test_reports(result: CompareResult) -> None:
    doc = json.loads(json.dumps(compare_dict(result)))["attack_surface"]
    assert doc["a"]["setid_files"] == ["/usr/bin/su", "/usr/bin/sudo", "/usr/bin/sudoedit",
                                       "/usr/bin/wall"]
    assert doc["b"] == {"packages": 4, "shells": [], "package_managers": [],
                        "setid_files": ["/usr/bin/su"]}
    assert doc["vulnerabilities"]["removed"]["critical"] == 1
    assert doc["vulnerabilities"]["added"]["medium"] == 1
    md = compare_markdown(result, RenderOptions(top=5))
    assert "**Attack surface**" in md and "| setuid/setgid files | 4 | 1 | -3 |" in md
    page = compare_page(result)
    assert "<h2>Attack surface</h2>" in page and "<td>setuid/setgid files</td>" in page


def test_cli_text(pair: tuple[str, str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLIMLINE_VULNDB", str(pair[2]))
    out = CliRunner().invoke(cli, ["compare", pair[0], pair[1], "--no-measure-pull"])
    assert out.exit_code == 0, out.output
    assert "Attack surface" in out.output and "setuid/setgid files" in out.output
    assert "critical" in out.output


def test_a_database_named_must_exist(pair: tuple[str, str, Path], tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no vulnerability database at"):
        compare(pair[0], pair[1], measure_pulls=False, db_path=tmp_path / "none.sqlite3")
    out = CliRunner().invoke(cli, ["compare", pair[0], pair[1], "--no-measure-pull",
                                   "--db", str(tmp_path / "none.sqlite3")])
    assert out.exit_code == 2 and "no vulnerability database at" in out.output


def test_no_vulns_skips_the_database(pair: tuple[str, str, Path]) -> None:
    res = compare(pair[0], pair[1], measure_pulls=False, db_path=pair[2], vulnerabilities=False)
    assert res.surface is not None and res.surface.vulnerabilities is None
    assert surface_note(res.surface) == "vulnerabilities not compared (--no-vulns)"
    out = CliRunner().invoke(cli, ["compare", pair[0], pair[1], "--no-measure-pull",
                                   "--db", str(pair[2]), "--no-vulns", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["attack_surface"]["vulnerabilities"] is None


def test_vulnerabilities_listed_by_id(result: CompareResult) -> None:
    assert result.surface is not None and result.surface.vulnerabilities is not None
    vulns = result.surface.vulnerabilities
    assert [v.severity for v in vulns.removed_list] == ["critical", "high"]
    assert [v.severity for v in vulns.added_list] == ["medium"]
    rows = vulnerability_rows(result.surface)
    assert [row[0] for row in rows] == ["removed", "removed", "added"]
    doc = compare_dict(result)["attack_surface"]["vulnerabilities"]
    assert [v["id"] for v in doc["removed_vulnerabilities"]] == [v.id for v in vulns.removed_list]
    assert all(v["packages"] for v in doc["added_vulnerabilities"])
    assert vulns.added_list[0].id in compare_markdown(result)
    assert vulns.added_list[0].id in compare_page(result)


def test_optimize_reports_the_surface_of_its_two_images(pair: tuple[str, str, Path],
                                                        tmp_path: Path) -> None:
    from slimline.compare import surface_change
    from slimline.fix.engine import FixResult
    from slimline.optimize import ImageSide, OptimizeResult
    from slimline.report.html import optimize_html
    from slimline.report.json import optimize_dict
    from slimline.report.markdown import optimize_markdown
    from slimline.report.safe import report_console
    from slimline.report.text.optimize import render_text

    change = surface_change(pair[0], pair[1], db_path=pair[2])
    assert [p.name for p in change.removed] == ["libssl3"]
    assert [p.name for p in change.added] == ["newpkg"]
    result = OptimizeResult(
        dockerfile=tmp_path / "Dockerfile", context=tmp_path, findings=[],
        fix=FixResult("Dockerfile", "FROM a\n", "FROM b\n"), diff="", status="optimized",
        message="smaller", before=ImageSide("app:before", size=2000),
        after=ImageSide("app:after", size=1000), surface=change)
    doc = json.loads(json.dumps(optimize_dict(result)))
    assert doc["attack_surface"] == compare_dict(
        compare(pair[0], pair[1], measure_pulls=False, db_path=pair[2]))["attack_surface"]
    assert {p["name"]: p["change"] for p in doc["packages"]} == {
        "libssl3": "removed", "newpkg": "added", "jinja2": "changed"}
    removed = doc["attack_surface"]["vulnerabilities"]["removed_vulnerabilities"]
    assert [v["severity"] for v in removed] == ["critical", "high"]
    md = optimize_markdown(result)
    assert "| | before | after | change |" in md and "| setuid/setgid files | 4 | 1 | -3 |" in md
    assert removed[0]["id"] in md and "libssl3" in md
    page = optimize_html(result)
    assert "<h2>Attack surface</h2>" in page and removed[0]["id"] in page
    out = io.StringIO()
    render_text(report_console(out), result)
    text = out.getvalue()
    assert "Attack surface" in text and removed[0]["id"] in text and "libssl3" in text
    bare = OptimizeResult(dockerfile=tmp_path / "Dockerfile", context=tmp_path, findings=[],
                          fix=result.fix, diff="", status="no-engine", message="not built")
    assert optimize_dict(bare)["attack_surface"] is None
    assert "Attack surface" not in optimize_markdown(bare)


def test_optimize_refuses_a_missing_database_before_building(tmp_path: Path) -> None:
    from slimline.cli.optimize import optimize_command as _optimize  # noqa: F401

    (tmp_path / "Dockerfile").write_text("FROM debian:bookworm-slim\nCMD [\"true\"]\n")
    missing = tmp_path / "none.sqlite3"
    out = CliRunner().invoke(cli, ["optimize", str(tmp_path), "--no-build", "--db", str(missing)])
    assert out.exit_code == 2 and "no vulnerability database at" in out.output
    out = CliRunner().invoke(cli, ["optimize", str(tmp_path), "--no-build", "--db", str(missing),
                                   "--no-vulns", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["attack_surface"] is None  # nothing was built
