"""Package URLs (purl) of inventory entries, built with packageurl-python.

``pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12``,
``pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4``,
``pkg:rpm/fedora/bash@5.2.15-3.fc38?arch=x86_64&distro=fedora-38``,
``pkg:pypi/fastapi@0.104.1``, ``pkg:npm/%40types/node@20.0.0``,
``pkg:golang/golang.org/x/net@v0.17.0``, ``pkg:cargo/serde@1.0.190``.
"""

from __future__ import annotations

from packageurl import PackageURL

from slimline.inventory.model import Component
from slimline.inventory.osrelease import OsRelease

_TYPES = {"deb": "deb", "apk": "apk", "rpm": "rpm", "python": "pypi", "npm": "npm",
          "go": "golang", "rust": "cargo"}


def purl_of(component: Component, os_release: OsRelease | None) -> PackageURL:
    """The package URL of ``component`` (system packages are qualified by the OS)."""
    kind = _TYPES[component.ecosystem]
    namespace: str | None = None
    name, version = component.name, component.version
    qualifiers: dict[str, str] = {}
    if kind in ("deb", "apk", "rpm"):
        namespace = os_release.id if os_release is not None else None
        if component.arch:
            qualifiers["arch"] = component.arch
        if kind == "rpm" and ":" in version:
            epoch, _, version = version.partition(":")
            qualifiers["epoch"] = epoch
        if os_release is not None:
            qualifiers["distro"] = os_release.distro
    elif kind == "npm" and name.startswith("@") and "/" in name:
        namespace, _, name = name.partition("/")
    elif kind == "golang" and "/" in name:
        namespace, _, name = name.rpartition("/")
    return PackageURL(type=kind, namespace=namespace, name=name, version=version or None,
                      qualifiers=qualifiers or None)
