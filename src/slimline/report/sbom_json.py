"""``slimline sbom --format json``: the inventory as ``slimline.sbom/v1``.

Also the pieces every SBOM renderer shares: :class:`SbomOptions` and the package
URL of each entry. Within v1 fields are only added, never renamed or removed.
"""

from __future__ import annotations

import json
from typing import Any

from slimline import __version__
from slimline.inventory.collect import Inventory, Mismatch
from slimline.inventory.model import Component
from slimline.inventory.purl import purl_of
from slimline.report import RenderOptions

SCHEMA = "slimline.sbom/v1"
#: how many missing paths of a package are shown
MISSING_EXAMPLES = 5


#: The SBOM renderers read ``top`` (rows of the unowned-file and mismatch lists; None: all).
SbomOptions = RenderOptions


def purl_string(component: Component, inventory: Inventory) -> str:
    return str(purl_of(component, inventory.os).to_string())


def package_dict(component: Component, inventory: Inventory) -> dict[str, Any]:
    return {
        "ecosystem": component.ecosystem,
        "name": component.name,
        "version": component.version,
        "arch": component.arch,
        "source": component.source,
        "source_version": component.source_version,
        "purl": purl_string(component, inventory),
        "location": component.location,
        "size": component.size,
        "licenses": list(component.licenses),
        "files": len(component.files),
    }


def mismatch_dict(mismatch: Mismatch) -> dict[str, Any]:
    c = mismatch.component
    return {
        "ecosystem": c.ecosystem,
        "name": c.name,
        "version": c.version,
        "listed": mismatch.listed,
        "missing": len(mismatch.missing),
        "examples": list(mismatch.missing[:MISSING_EXAMPLES]),
    }


def _head(items: list[Any], top: int | None) -> list[Any]:
    return items if top is None else items[:top]


def sbom_json(inventory: Inventory, options: SbomOptions | None = None) -> str:
    top = (options or SbomOptions()).top
    os_release = inventory.os
    doc = {
        "schema": SCHEMA,
        "version": __version__,
        "target": {
            "reference": inventory.target,
            "kind": inventory.kind,
            "id": inventory.image_id or None,
            "platform": inventory.platform or None,
        },
        "os": None if os_release is None else {
            "id": os_release.id,
            "version_id": os_release.version_id,
            "codename": os_release.version_codename,
            "pretty_name": os_release.pretty_name,
        },
        "summary": {
            "packages": len(inventory.components),
            "by_ecosystem": inventory.counts(),
            "files": inventory.files,
            "bytes": inventory.bytes,
            "unowned_files": len(inventory.unowned),
            "unowned_bytes": inventory.unowned_bytes,
            "mismatched_packages": len(inventory.mismatches),
        },
        "packages": [package_dict(c, inventory) for c in inventory.components],
        "unowned": [{"path": i.path, "size": i.size, "layer": i.layer}
                    for i in _head(inventory.unowned, top)],
        "mismatches": [mismatch_dict(m) for m in _head(inventory.mismatches, top)],
        "notes": list(inventory.notes),
    }
    # ASCII escapes keep undecodable bytes of file names (\udcNN) writable anywhere
    return json.dumps(doc, indent=2) + "\n"
