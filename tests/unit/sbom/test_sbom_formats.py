"""The SBOM outputs of a small root filesystem: slimline.sbom/v1, CycloneDX 1.6 checked
against its JSON schema, SPDX 2.3 parsed back and validated by spdx-tools, the table."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from rootfs_fixture import write_image
from spdx_tools.spdx.parser.json.json_parser import parse_from_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from slimline.inventory.collect import Inventory
from slimline.inventory.target import inventory_of
from slimline.report.sbom_cyclonedx import sbom_cyclonedx
from slimline.report.sbom_json import SCHEMA, SbomOptions, sbom_json
from slimline.report.sbom_spdx import sbom_spdx
from slimline.report.sbom_text import write_sbom_text

PURLS = {
    "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12",
    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
    "pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12",
    "pkg:pypi/legacy-pkg@0.9",
    "pkg:pypi/requests@2.31.0",
    "pkg:npm/%40scope/pkg@2.0.0",
    "pkg:npm/inner@0.1.0",
    "pkg:npm/left-pad@1.3.0",
    "pkg:golang/example.com/server@v1.2.3",
    "pkg:golang/golang.org/x/net@v0.17.0",
    "pkg:golang/stdlib@1.21.5",
}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    archive = write_image(tmp_path_factory.mktemp("sbom") / "image.tar")
    return inventory_of(f"docker-archive:{archive}")


def test_slimline_json(inventory: Inventory) -> None:
    doc = json.loads(sbom_json(inventory))
    assert doc["schema"] == SCHEMA
    assert doc["target"]["kind"] == "image"
    assert doc["os"]["id"] == "debian"
    assert doc["summary"]["by_ecosystem"] == {"deb": 3, "go": 3, "npm": 3, "python": 2}
    assert {p["purl"] for p in doc["packages"]} == PURLS
    assert doc["unowned"][0] == {"path": "/app/big.bin", "size": 50_000, "layer": 1}
    assert doc["mismatches"] == [{"ecosystem": "deb", "name": "libc6", "version": "2.36-9+deb12u4",
                                  "listed": 2, "missing": 1,
                                  "examples": ["/lib/x86_64-linux-gnu/libc.so.6"]}]
    limited = json.loads(sbom_json(inventory, SbomOptions(top=1)))
    assert len(limited["unowned"]) == 1
    assert limited["summary"]["unowned_files"] == doc["summary"]["unowned_files"] == 4


def test_cyclonedx_is_valid_1_6(inventory: Inventory) -> None:
    text = sbom_cyclonedx(inventory)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    doc = json.loads(text)
    assert doc["specVersion"] == "1.6"
    assert doc["metadata"]["component"]["type"] == "container"
    components = doc["components"]
    assert {c["purl"] for c in components if "purl" in c} == PURLS
    system = [c for c in components if c["type"] == "operating-system"]
    assert [(c["name"], c["version"]) for c in system] == [("debian", "12")]
    libc = next(c for c in components if c["name"] == "libc6")
    props = {p["name"]: p["value"] for p in libc["properties"]}
    assert props["slimline:package:source"] == "glibc"
    left_pad = next(c for c in components if c["name"] == "left-pad")
    assert left_pad["licenses"] == [{"license": {"id": "WTFPL"}}]  # an SPDX id
    # the image depends on every component
    (root,) = [d for d in doc["dependencies"] if d["ref"] == "slimline-target"]
    assert len(root["dependsOn"]) == len(components)


def test_cyclonedx_validator_catches_a_broken_document(inventory: Inventory) -> None:
    doc = json.loads(sbom_cyclonedx(inventory))
    doc["components"][0]["type"] = "not-a-type"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc)) is not None


def test_spdx_is_valid_2_3(inventory: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "sbom.spdx.json"
    path.write_text(sbom_spdx(inventory))
    document = parse_from_file(str(path))
    assert validate_full_spdx_document(document) == []
    assert document.creation_info.spdx_version == "SPDX-2.3"
    purls = {ref.locator for p in document.packages for ref in p.external_references}
    assert purls == PURLS
    describes = [r for r in document.relationships if r.relationship_type.name == "DESCRIBES"]
    assert [r.related_spdx_element_id for r in describes] == ["SPDXRef-target"]
    contains = [r for r in document.relationships if r.relationship_type.name == "CONTAINS"]
    assert len(contains) == len(PURLS) + 1  # and the operating system


def test_table(inventory: Inventory) -> None:
    out = io.StringIO()
    write_sbom_text(inventory, out, SbomOptions(top=2))
    text = out.getvalue()
    assert "Debian GNU/Linux 12 (bookworm)" in text
    assert "11 (3 deb, 3 go, 3 npm, 2 python)" in text
    assert "glibc" in text and "/app/server" in text
    assert "Files no package owns (largest 2 of 4)" in text
    assert "/app/big.bin" in text and "/app/config.yaml" not in text
    assert "1 of 2" in text and "/lib/x86_64-linux-gnu/libc.so.6" in text


def test_names_are_never_read_as_markup(inventory: Inventory) -> None:
    hostile = Inventory(os=None, components=[], unowned=[], mismatches=[],
                        target="[bold red]x[/]")
    out = io.StringIO()
    write_sbom_text(hostile, out)
    assert "[bold red]x[/]" in out.getvalue()


def test_cyclonedx_with_several_licences_and_an_expression() -> None:
    from slimline.inventory.model import Component

    several = Component("deb", "libdb5.3", "5.3.28+dfsg2-1", "/var/lib/dpkg/status",
                        licenses=("Sleepycat", "GPL-2+ or Artistic", "MIT"))
    single = Component("python", "x", "1", "/m", licenses=("MIT OR Apache-2.0",))
    inventory = Inventory(os=None, components=[several, single], unowned=[], mismatches=[],
                          target="t", kind="image")
    doc = json.loads(sbom_cyclonedx(inventory))
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc)) is None
    by_name = {c["name"]: c["licenses"] for c in doc["components"]}
    # the library orders licences itself
    assert sorted(by_name["libdb5.3"], key=json.dumps) == sorted(
        [{"license": {"id": "Sleepycat"}}, {"license": {"name": "GPL-2+ or Artistic"}},
         {"license": {"id": "MIT"}}], key=json.dumps)
    assert by_name["x"] == [{"expression": "MIT OR Apache-2.0"}]
