"""The fixture database: real advisory records (tests/fixtures/advisories, verbatim, see
ATTRIBUTION.md there) imported with ``slimline db import`` and matched against the
versions the example images really hold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from slimline.cli.db import db_group as _registered  # noqa: F401
from slimline.cli.main import cli
from slimline.inventory.model import Component
from slimline.vuln.db import Database, open_database
from slimline.vuln.match import match_packages

ADVISORIES = Path(__file__).resolve().parents[2] / "fixtures" / "advisories"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("fixturedb") / "vulndb.sqlite3"
    out = CliRunner().invoke(cli, ["db", "import", str(ADVISORIES), "--db", str(path)])
    assert out.exit_code == 0, out.output
    status = CliRunner().invoke(cli, ["db", "status", "--db", str(path), "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["advisories"] == 3
    with open_database(path) as db:
        yield db


def component(ecosystem: str, name: str, version: str) -> Component:
    return Component(ecosystem, name, version, f"/{name}")


def found(db: Database, *components: Component) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.package, f.id, f.advisories)
            for f in match_packages(components, db).findings]


def test_setuptools_of_a_copied_virtualenv(fixture_db: Database) -> None:
    # 66.1.1: the setuptools `python -m venv` puts in a bookworm virtualenv
    assert found(fixture_db, component("python", "setuptools", "66.1.1")) == [
        ("setuptools", "CVE-2024-6345", ("GHSA-cx63-2mw6-8hw5",))]
    assert found(fixture_db, component("python", "setuptools", "70.0.0")) == []


def test_go_standard_library_of_a_binary_built_with_go_1_19_8(fixture_db: Database) -> None:
    assert found(fixture_db, component("go", "stdlib", "1.19.8")) == [
        ("stdlib", "CVE-2023-29400", ("GO-2023-1753",))]
    assert found(fixture_db, component("go", "stdlib", "1.19.9")) == []
    assert found(fixture_db, component("go", "stdlib", "1.20.3")) == [
        ("stdlib", "CVE-2023-29400", ("GO-2023-1753",))]


def test_idna_3_20_is_newer_than_3_7(fixture_db: Database) -> None:
    assert found(fixture_db, component("python", "idna", "3.20")) == []
    assert found(fixture_db, component("python", "idna", "3.6")) == [
        ("idna", "CVE-2024-3651", ("PYSEC-2024-60",))]


def test_records_are_stored_verbatim() -> None:
    # the attribution names every record file, and nothing else is in the directory
    records = sorted(p.relative_to(ADVISORIES).as_posix() for p in ADVISORIES.rglob("*")
                     if p.is_file() and p.name != "ATTRIBUTION.md")
    attribution = (ADVISORIES / "ATTRIBUTION.md").read_text()
    assert records == ["github/GHSA-cx63-2mw6-8hw5.json", "go/GO-2023-1753.json",
                       "pypa/PYSEC-2024-60.yaml"]
    for record in records:
        assert f"`{record}`" in attribution
