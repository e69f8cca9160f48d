"""``slimline sbom --format cyclonedx``: CycloneDX 1.6 JSON, written by cyclonedx-python-lib.

The image (or directory) is the BOM's subject (``metadata.component``, a
container); the operating system is an ``operating-system`` component; every
package is a ``library`` with its
package URL. slimline's own facts are ``slimline:*`` properties.
"""

from __future__ import annotations

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.exception.factory import InvalidSpdxLicenseException
from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentType
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression
from cyclonedx.output.json import JsonV1Dot6

from slimline import __version__
from slimline.inventory.collect import Inventory
from slimline.inventory.purl import purl_of
from slimline.report import StringFormat
from slimline.report.sbom_json import SbomOptions


def _properties(inventory: Inventory, index: int) -> list[Property]:
    c = inventory.components[index]
    props = [Property(name="slimline:package:location", value=c.location),
             Property(name="slimline:package:ecosystem", value=c.ecosystem)]
    if c.source and (c.source, c.source_version) != (c.name, c.version):
        props.append(Property(name="slimline:package:source", value=c.source))
        props.append(Property(name="slimline:package:source-version", value=c.source_version))
    if c.size is not None:
        props.append(Property(name="slimline:package:size", value=str(c.size)))
    return props


def _licenses(names: tuple[str, ...]) -> list[LicenseExpression | DisjunctiveLicense]:
    """One licence: an SPDX expression, id or name, as it reads. Several (Debian's
    copyright files name one per group of files): each an SPDX id or a name, since
    CycloneDX allows an expression only alone."""
    factory = LicenseFactory()
    if len(names) == 1:
        return [factory.make_from_string(names[0])]
    out: list[LicenseExpression | DisjunctiveLicense] = []
    for name in names:
        try:
            out.append(factory.make_with_id(name))
        except InvalidSpdxLicenseException:
            out.append(factory.make_with_name(name))
    return out


def build_bom(inventory: Inventory) -> Bom:
    """The CycloneDX model of an inventory."""
    bom = Bom()
    bom.metadata.tools.components.add(
        CdxComponent(name="slimline", version=__version__, type=ComponentType.APPLICATION))
    subject = CdxComponent(
        name=inventory.target,
        version=inventory.image_id or None,
        type=ComponentType.CONTAINER if inventory.kind == "image" else ComponentType.FILE,
        bom_ref="slimline-target",
    )
    bom.metadata.component = subject
    dependencies: list[CdxComponent] = []
    if inventory.os is not None:
        system = CdxComponent(name=inventory.os.id, version=inventory.os.version_id or None,
                              type=ComponentType.OPERATING_SYSTEM,
                              description=inventory.os.pretty_name or None,
                              bom_ref=f"os:{inventory.os.distro}")
        bom.components.add(system)
        dependencies.append(system)
    for index, c in enumerate(inventory.components):
        purl = purl_of(c, inventory.os)
        component = CdxComponent(
            name=c.name,
            version=c.version or None,
            type=ComponentType.LIBRARY,
            purl=purl,
            bom_ref=f"{purl.to_string()}#{index}",
            licenses=_licenses(c.licenses),
            properties=_properties(inventory, index),
        )
        bom.components.add(component)
        dependencies.append(component)
    # what Bom.register_dependency(subject, dependencies) records, without its linear
    # search of the graph for each component (quadratic: CycloneDX/cyclonedx-python-lib#1006)
    bom.dependencies.update([
        Dependency(ref=subject.bom_ref, dependencies=[Dependency(ref=c.bom_ref)
                                                      for c in dependencies]),
        *(Dependency(ref=c.bom_ref) for c in dependencies),
    ])
    return bom


def sbom_cyclonedx(inventory: Inventory, options: SbomOptions | None = None) -> str:
    text: str = JsonV1Dot6(build_bom(inventory)).output_as_string(indent=2)
    return text + "\n"


FORMAT = StringFormat({"sbom": sbom_cyclonedx})
