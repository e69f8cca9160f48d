"""Python distributions: ``*.dist-info/METADATA`` and ``RECORD``, ``*.egg-info``.

METADATA is an email-style header block (the core metadata specification says
to read it with :mod:`email`); RECORD is a CSV file of the distribution's files.
Older installs leave an ``*.egg-info`` directory (``PKG-INFO``, the same header
block, and ``installed-files.txt``, paths relative to the directory) or a single
``*.egg-info`` file. Names are compared in their canonical form (PEP 503), as pip
compares them.
"""

from __future__ import annotations

import csv
import posixpath
from email.parser import HeaderParser
from email.policy import compat32

from packaging.utils import canonicalize_name

from slimline.image.files import FileInfo
from slimline.inventory.model import Package


def canonical_name(name: str) -> str:
    """``Foo_Bar.baz`` -> ``foo-bar-baz``: the name pip and PyPI compare."""
    return str(canonicalize_name(name))


def parse_python_metadata(text: str) -> Package | None:
    """The Name and Version of a ``*.dist-info/METADATA`` (or ``PKG-INFO``) file.

    Only the headers are read (they end at the first blank line; the long
    description may follow as the body). None when there is no Name.
    """
    return python_metadata(text)[0]


def python_metadata(text: str) -> tuple[Package | None, tuple[str, ...]]:
    """:func:`parse_python_metadata` and the distribution's licence: ``License-Expression``
    (PEP 639), else a one-line ``License`` (the field often holds the whole licence text,
    which is left out)."""
    headers = HeaderParser(policy=compat32).parsestr(text, headersonly=True)
    name = str(headers.get("Name") or "").strip()
    if not name:
        return None, ()
    version = str(headers.get("Version") or "").strip()
    expression = str(headers.get("License-Expression") or "").strip()
    short = str(headers.get("License") or "").strip()
    if not expression and short and "\n" not in short and len(short) <= 100 \
            and short.upper() != "UNKNOWN":
        expression = short
    return Package("python", canonical_name(name), version, None), \
        (expression,) if expression else ()


def record_files(metadata_path: str, record: bytes) -> tuple[str, ...]:
    """The absolute paths a distribution's RECORD lists.

    RECORD paths are relative to the site-packages directory that holds the
    ``.dist-info`` directory of ``metadata_path`` (scripts are ``../../../bin/x``).
    """
    site = metadata_path.rsplit("/", 2)[0]
    out: list[str] = []
    for row in csv.reader(record.decode("utf-8", "replace").splitlines()):
        rel = row[0].strip() if row else ""
        if rel:
            out.append(posixpath.normpath(f"{site}/{rel}"))
    return tuple(out)


def installed_files(pkg_info_path: str, listing: bytes) -> tuple[str, ...]:
    """The absolute paths of an ``*.egg-info/installed-files.txt`` (relative to the directory)."""
    directory = pkg_info_path.rsplit("/", 1)[0]
    return tuple(
        posixpath.normpath(f"{directory}/{line.strip()}")
        for line in listing.decode("utf-8", "replace").splitlines()
        if line.strip()
    )


def record_size(metadata_path: str, record: bytes, tree: dict[str, FileInfo]) -> int:
    """The bytes of the files listed in a distribution's RECORD that are in ``tree``."""
    total = 0
    for path in record_files(metadata_path, record):
        info = tree.get(path)
        if info is not None:
            total += info.size
    return total
