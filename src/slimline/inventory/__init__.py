"""What is installed in an image, read from its package databases.

dpkg's ``status`` and distroless' ``status.d`` entries, apk's ``installed``
database and Python distributions' ``*.dist-info/METADATA`` (sized by their
``RECORD``). ``slimline compare`` lists the packages of both images with
:func:`packages_of`; the files to read are those :func:`is_package_file` picks.
"""

from slimline.inventory.apk import parse_apk_installed
from slimline.inventory.databases import (
    MAX_DATABASE_BYTES,
    is_package_database,
    is_package_file,
    packages_of,
)
from slimline.inventory.dpkg import parse_dpkg_status
from slimline.inventory.model import Package
from slimline.inventory.python import canonical_name, parse_python_metadata, record_size

__all__ = [
    "MAX_DATABASE_BYTES",
    "Package",
    "canonical_name",
    "is_package_database",
    "is_package_file",
    "packages_of",
    "parse_apk_installed",
    "parse_dpkg_status",
    "parse_python_metadata",
    "record_size",
]
