"""``slimline sbom --format spdx``: SPDX 2.3 JSON, written by spdx-tools.

The document DESCRIBES one package, the image (or directory), which CONTAINS
every package of the inventory. Each package names its package URL as a
``PACKAGE-MANAGER purl`` external reference; its files are not analysed, and
licences, download locations and suppliers are NOASSERTION (the databases do
not say them reliably).
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime

from spdx_tools.spdx.model.actor import Actor, ActorType
from spdx_tools.spdx.model.document import CreationInfo, Document
from spdx_tools.spdx.model.package import (
    ExternalPackageRef,
    ExternalPackageRefCategory,
    Package,
    PackagePurpose,
)
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

from slimline import __version__
from slimline.inventory.collect import Inventory
from slimline.inventory.purl import purl_of
from slimline.report import StringFormat
from slimline.report.sbom_json import SbomOptions

#: SPDX identifiers allow letters, digits, ``.`` and ``-`` only
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9.-]+")
NAMESPACE = "https://spdx.org/spdxdocs/slimline"


def _spdx_id(*parts: str) -> str:
    return "SPDXRef-" + "-".join(_NOT_IN_ID.sub("-", part).strip("-") or "x" for part in parts)


def build_document(inventory: Inventory, created: datetime | None = None) -> Document:
    """The SPDX model of an inventory."""
    name = inventory.target or "rootfs"
    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=name,
        document_namespace=f"{NAMESPACE}/{_NOT_IN_ID.sub('-', name)}-{uuid.uuid4()}",
        creators=[Actor(ActorType.TOOL, f"slimline-{__version__}")],
        created=(created or datetime.now(UTC)).replace(microsecond=0, tzinfo=None),
    )
    root = Package(
        spdx_id=_spdx_id("target"),
        name=name,
        download_location=SpdxNoAssertion(),
        version=inventory.image_id or None,
        files_analyzed=False,
        primary_package_purpose=PackagePurpose.CONTAINER if inventory.kind == "image"
        else PackagePurpose.FILE,
    )
    packages = [root]
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, root.spdx_id)]
    if inventory.os is not None:
        system = Package(
            spdx_id=_spdx_id("os", inventory.os.id),
            name=inventory.os.id,
            download_location=SpdxNoAssertion(),
            version=inventory.os.version_id or None,
            files_analyzed=False,
            primary_package_purpose=PackagePurpose.OPERATING_SYSTEM,
            description=inventory.os.pretty_name or None,
        )
        packages.append(system)
        relationships.append(Relationship(root.spdx_id, RelationshipType.CONTAINS,
                                          system.spdx_id))
    for index, c in enumerate(inventory.components):
        purl = purl_of(c, inventory.os).to_string()
        package = Package(
            spdx_id=_spdx_id("package", c.ecosystem, c.name, str(index)),
            name=c.name,
            download_location=SpdxNoAssertion(),
            version=c.version or None,
            files_analyzed=False,
            source_info=f"{c.ecosystem} package, from {c.location}",
            license_concluded=SpdxNoAssertion(),
            license_declared=SpdxNoAssertion(),
            copyright_text=SpdxNoAssertion(),
            external_references=[ExternalPackageRef(
                ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)],
            primary_package_purpose=PackagePurpose.LIBRARY,
        )
        packages.append(package)
        relationships.append(Relationship(root.spdx_id, RelationshipType.CONTAINS,
                                          package.spdx_id))
    return Document(creation_info=info, packages=packages, relationships=relationships)


def sbom_spdx(inventory: Inventory, options: SbomOptions | None = None) -> str:
    buf = io.StringIO()
    write_document_to_stream(build_document(inventory), buf, validate=False)
    return buf.getvalue() + "\n"


FORMAT = StringFormat({"sbom": sbom_spdx})
