"""npm packages: the ``package.json`` of each directory of a ``node_modules`` tree.

A package installed by npm (or yarn, pnpm) is the directory
``node_modules/NAME`` or ``node_modules/@SCOPE/NAME``; its ``package.json``
names it and its version. Other ``package.json`` files deeper in a package (test
fixtures, sub-path exports) are not packages.
"""

from __future__ import annotations

import json
import re

from slimline.inventory.model import Component

#: ``.../node_modules/NAME/package.json`` or ``.../node_modules/@SCOPE/NAME/package.json``
NPM_MANIFEST = re.compile(r"/node_modules/((?:@[^/]+/)?[^/@][^/]*)/package\.json$")
_PACKAGE_DIR = re.compile(r"^(.*/node_modules/(?:@[^/]+/)?[^/@][^/]*)/")


def is_npm_manifest(path: str) -> bool:
    """Whether ``path`` is the ``package.json`` of an installed npm package."""
    return NPM_MANIFEST.search(path) is not None


def package_dir(path: str) -> str | None:
    """The innermost ``node_modules/[@scope/]name`` directory that holds ``path``, if any."""
    cut = path.rfind("/node_modules/")
    if cut < 0:
        return None
    match = _PACKAGE_DIR.match(path[cut:])
    return path[:cut] + match.group(1) if match is not None else None


def parse_package_json(path: str, data: bytes) -> Component | None:
    """The package a ``package.json`` describes; None when it has no name or version or
    is not JSON."""
    try:
        doc = json.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    name, version = doc.get("name"), doc.get("version")
    if not isinstance(name, str) or not isinstance(version, str) or not name:
        return None
    license_field = doc.get("license")
    if isinstance(license_field, dict):
        license_field = license_field.get("type")
    licenses = (license_field,) if isinstance(license_field, str) and license_field else ()
    return Component("npm", name, version, path, licenses=licenses)
