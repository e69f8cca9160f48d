"""Where package databases live in an image, and the packages they list."""

from __future__ import annotations

import re

from slimline.image.files import FileInfo
from slimline.inventory.apk import parse_apk_installed
from slimline.inventory.dpkg import parse_dpkg_status
from slimline.inventory.model import Package
from slimline.inventory.python import parse_python_metadata, record_size

#: package databases larger than this are not read
MAX_DATABASE_BYTES = 32 * 1024 * 1024

DPKG_STATUS = "/var/lib/dpkg/status"
DPKG_STATUS_D = "/var/lib/dpkg/status.d/"
APK_INSTALLED = "/lib/apk/db/installed"
_PY_METADATA = re.compile(r"/(?:site|dist)-packages/[^/]+\.dist-info/METADATA$")


def is_package_database(path: str) -> bool:
    """Whether ``path`` is a package database file that :func:`packages_of` reads."""
    if path in (DPKG_STATUS, APK_INSTALLED):
        return True
    if path.startswith(DPKG_STATUS_D):
        rest = path[len(DPKG_STATUS_D) :]
        return "/" not in rest and not rest.endswith(".md5sums")
    return bool(_PY_METADATA.search(path))


def is_package_file(path: str) -> bool:
    """Whether :func:`packages_of` wants ``path``: a database, or a RECORD that sizes one."""
    return is_package_database(path) or (
        path.endswith("/RECORD") and bool(_PY_METADATA.search(path[:-6] + "METADATA"))
    )


def packages_of(files: dict[str, bytes], tree: dict[str, FileInfo]) -> list[Package]:
    """The packages that the database files in ``files`` list, by ecosystem and name.

    A package listed twice counts once (the first path in sorted order wins).
    Python distributions are sized by the files of their ``RECORD`` that are in
    the final tree, when the RECORD is among ``files``.
    """
    found: dict[tuple[str, str], Package] = {}
    for path in sorted(files):
        text = files[path].decode("utf-8", "replace")
        items: list[Package] = []
        if path == DPKG_STATUS:
            items = parse_dpkg_status(text)
        elif path.startswith(DPKG_STATUS_D):
            items = parse_dpkg_status(text, require_installed=False)
        elif path == APK_INSTALLED:
            items = parse_apk_installed(text)
        elif path.endswith("/METADATA"):
            meta = parse_python_metadata(text)
            if meta is not None:
                record = files.get(path[: -len("METADATA")] + "RECORD")
                size = record_size(path, record, tree) if record is not None else None
                items = [Package(meta.ecosystem, meta.name, meta.version, size)]
        for item in items:
            found.setdefault((item.ecosystem, item.name), item)
    return sorted(found.values(), key=lambda p: (p.ecosystem, p.name))
