"""`slimline scan` on the python:3.11-slim stand-in against a database made from its own
package lists.

The ground truth is what dpkg and pip say inside a container of the image
(`dpkg-query -W` with the source package and version, `pip list`). From it the
test writes OSV records: the installed openssl source version affected with a fix
above it (twice, under two ids that alias one CVE), zlib fixed below its installed
version, openssl open in another Debian release, pip affected with a fix above it,
setuptools fixed below it. The scan must find exactly the binary packages built
from openssl, once each, and pip only where no deb owns it (the stand-in's pip comes
from python3-pip, so it is Debian's advisories that apply to it, as in Trivy).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from packaging.version import Version

from slimline.cli.commands import db as _db  # noqa: F401  (registers the command)
from slimline.cli.main import cli
from slimline.cli.scan import scan_command as _registered  # noqa: F401
from slimline.engine import Engine
from slimline.vuln.db import import_sources

pytestmark = [pytest.mark.e2e]

IMAGE = "python:3.11-slim"
DPKG_FORMAT = r"${Package}\t${Version}\t${source:Package}\t${source:Version}\t${db:Status-Abbrev}\n"


def run_in(engine: Engine, *command: str) -> str:
    out: bytes = engine.client.containers.run(IMAGE, list(command), remove=True)
    return out.decode()


def record(ident: str, ecosystem: str, name: str, *events: tuple[str, str],
           aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"id": ident, "aliases": list(aliases), "modified": "2026-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                          "ranges": [{"type": "ECOSYSTEM",
                                      "events": [{k: v} for k, v in events]}]}]}


@pytest.fixture(scope="module")
def truth(engine: Engine) -> tuple[dict[str, tuple[str, str, str]], dict[str, str], int]:
    """binary package -> (version, source, source version) from dpkg; name -> version
    from pip, for the Python packages no deb owns (a Python package whose files dpkg owns
    belongs to the deb, as Trivy decides: it is matched by Debian's advisories, not PyPI's);
    how many such ``*.dist-info`` directories the image has."""
    dpkg = {}
    for line in run_in(engine, "dpkg-query", "-W", "-f", DPKG_FORMAT).splitlines():
        name, version, source, source_version, status = line.split("\t")
        if status.startswith("ii"):
            dpkg[name] = (version, source, source_version)
    unowned = run_in(engine, "sh", "-c", "for d in $(find /usr -name '*.dist-info' -type d); "
                     "do dpkg -S \"$d\" >/dev/null 2>&1 || echo \"$d\"; done").split()
    names = {Path(d).name.split("-")[0].lower() for d in unowned}
    pip = {p["name"].lower(): p["version"] for p in json.loads(
        run_in(engine, "python", "-m", "pip", "list", "--format", "json",
               "--disable-pip-version-check")) if p["name"].lower() in names}
    return dpkg, pip, len(unowned)


def test_scan_finds_exactly_the_packages_marked_affected(
        engine: Engine, tmp_path: Path, truth: tuple[dict[str, tuple[str, str, str]], dict[str, str], int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    dpkg, pip, dist_infos = truth
    openssl_version = dpkg["libssl3"][2]
    zlib_version = dpkg["zlib1g"][2]
    assert dpkg["libssl3"][1] == "openssl" and dpkg["zlib1g"][1] == "zlib"
    pip_version = pip.get("pip") or run_in(engine, "python", "-m", "pip", "--version").split()[1]
    pip_fix = f"{Version(pip_version).major + 1}.0"
    records = [
        record("DSA-9001-1", "Debian:12", "openssl", ("introduced", "0"),
               ("fixed", openssl_version + "+1"), aliases=("CVE-2099-0001",)),
        record("DEBIAN-CVE-2099-0001", "Debian:12", "openssl", ("introduced", "0"),
               ("fixed", openssl_version + "+1"), aliases=("CVE-2099-0001",)),
        record("DSA-9002-1", "Debian:12", "zlib", ("introduced", "0"),
               ("fixed", zlib_version + "~")),
        record("DLA-9003-1", "Debian:11", "openssl", ("introduced", "0")),
        record("PYSEC-2099-1", "PyPI", "pip", ("introduced", "0"), ("fixed", pip_fix),
               aliases=("GHSA-e2e0-e2e0-e2e0",)),
        record("PYSEC-2099-2", "PyPI", "setuptools", ("introduced", "0"), ("fixed", "1.0")),
    ]
    source = tmp_path / "records"
    source.mkdir()
    for r in records:
        (source / f"{r['id']}.json").write_text(json.dumps(r))
    db = tmp_path / "vulndb.sqlite3"
    import_sources([source], db)
    monkeypatch.chdir(tmp_path)

    out = CliRunner().invoke(cli, ["scan", f"docker-daemon:{IMAGE}", "--db", str(db),
                                   "-f", "json", "--fail-on", "low"])
    assert out.exit_code == 0, out.output  # every finding's severity is unknown
    doc = json.loads(out.stdout)
    assert doc["distribution"] == "Debian:12"
    assert doc["packages"] == len(dpkg) + dist_infos
    got = sorted((v["package"]["name"], v["package"]["version"], v["id"], tuple(v["aliases"]),
                  tuple(v["fixed_in"])) for v in doc["vulnerabilities"])
    from_openssl = sorted(name for name, (_v, src, _sv) in dpkg.items() if src == "openssl")
    assert "libssl3" in from_openssl
    expected = sorted(
        [(name, dpkg[name][0], "CVE-2099-0001",
          ("DEBIAN-CVE-2099-0001", "DSA-9001-1"), (openssl_version + "+1",))
         for name in from_openssl]
        # pip matches the PyPI record only where no deb owns it (the stand-in's comes from
        # python3-pip, so there it is Debian's to report)
        + ([("pip", pip["pip"], "GHSA-e2e0-e2e0-e2e0", ("PYSEC-2099-1",), (pip_fix,))]
           if "pip" in pip else []))
    assert got == expected
    assert doc["warnings"] == []



ADVISORIES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


def test_verbatim_advisory_matches_the_setuptools_a_virtualenv_brings(
        build_image: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GHSA-cx63-2mw6-8hw5 (setuptools < 70.0.0, verbatim from the GitHub advisory
    database) matches the setuptools 66.1.1 that `python -m venv` copies into a
    virtualenv, and not Debian's python3-setuptools 66.1.1 beside it (a deb, matched by
    Debian's advisories); PYSEC-2024-60 (idna < 3.7) and GO-2023-1753 match nothing."""
    context = tmp_path / "venv-image"
    context.mkdir()
    (context / "Dockerfile").write_text("FROM python:3.11\nRUN python3 -m venv /opt/venv\n")
    image = build_image(context, name="venv-setuptools").tag
    db = tmp_path / "vulndb.sqlite3"
    imported = CliRunner().invoke(cli, ["db", "import", str(ADVISORIES), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["scan", f"docker-daemon:{image}", "--db", str(db), "-f", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    got = sorted((v["id"], v["package"]["ecosystem"], v["package"]["name"],
                  v["package"]["version"], tuple(v["fixed_in"]), tuple(v["aliases"]))
                 for v in doc["vulnerabilities"])
    assert [g[:5] for g in got] == [("CVE-2024-6345", "python", "setuptools", "66.1.1", ("70.0.0",))]
    assert "GHSA-cx63-2mw6-8hw5" in got[0][5]
