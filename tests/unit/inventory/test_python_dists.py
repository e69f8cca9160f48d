"""Python distributions: METADATA headers, canonical names and RECORD sizes."""

from __future__ import annotations

import pytest

from slimline.image.files import FileInfo
from slimline.inventory import Package, canonical_name, parse_python_metadata, record_size

#: A setuptools-written METADATA: a License spanning lines, the description as the body.
#: The blank lines of a multi-line field are written as indentation only.
METADATA = """\
Metadata-Version: 2.1
Name: Foo_Bar.baz
Version: 2.31.0
Summary: Python HTTP for Humans.
Home-page: https://requests.readthedocs.io
Author: Kenneth Reitz
License: Apache License
        Version 2.0, January 2004
        http://www.apache.org/licenses/
{blank}
        Name: not-this
Classifier: License :: OSI Approved :: Apache Software License
Requires-Python: >=3.7
Description-Content-Type: text/markdown
License-File: LICENSE
Requires-Dist: charset-normalizer (<4,>=2)

# Foo Bar

Name: not-this-either
Version: 0

**Foo Bar** is a simple, yet elegant, HTTP library.
""".format(blank=" " * 8)  # a whitespace-only line inside License continues it


def test_metadata_name_and_version_from_the_headers_only() -> None:
    assert parse_python_metadata(METADATA) == Package("python", "foo-bar-baz", "2.31.0", None)


def test_metadata_without_a_name() -> None:
    assert parse_python_metadata("Metadata-Version: 2.1\nSummary: no name\n") is None
    assert parse_python_metadata("") is None


def test_metadata_without_a_version() -> None:
    assert parse_python_metadata("Name: six\n") == Package("python", "six", "", None)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Foo_Bar.baz", "foo-bar-baz"),
        ("Pydantic_Core", "pydantic-core"),
        ("zope.interface", "zope-interface"),
        ("A__b--C..d", "a-b-c-d"),
        ("PyYAML", "pyyaml"),
    ],
)
def test_canonical_names(name: str, canonical: str) -> None:
    assert canonical_name(name) == canonical


def _file(path: str, size: int) -> FileInfo:
    return FileInfo(path, "file", size, "", 0)


def test_record_size_counts_the_listed_files_in_the_tree() -> None:
    site = "/opt/venv/lib/python3.11/site-packages"
    record = (
        b"anyio/__init__.py,sha256=x,100\n"
        b'"anyio/odd,name.py",sha256=q,3\n'
        b"anyio/_core.py,sha256=y,50\n"
        b"anyio/gone.py,sha256=w,9\n"
        b"../../../bin/anyio-tool,sha256=z,7\n"
        b"anyio-4.0.0.dist-info/RECORD,,\n"
        b"\n"
    )
    tree = {
        p: _file(p, size)
        for p, size in (
            (f"{site}/anyio/__init__.py", 100),
            (f"{site}/anyio/odd,name.py", 3),
            (f"{site}/anyio/_core.py", 50),
            ("/opt/venv/bin/anyio-tool", 7),
        )
    }
    # anyio/gone.py is listed but not in the image (deleted in a later layer).
    assert record_size(f"{site}/anyio-4.0.0.dist-info/METADATA", record, tree) == 160


def test_licence_expression_first_then_a_short_license_field() -> None:
    from slimline.inventory.python import python_metadata

    both = "Name: x\nVersion: 1\nLicense: MIT License\nLicense-Expression: MIT OR Apache-2.0\n"
    assert python_metadata(both)[1] == ("MIT OR Apache-2.0",)
    assert python_metadata("Name: x\nVersion: 1\nLicense: BSD-3-Clause\n")[1] == ("BSD-3-Clause",)
    assert python_metadata("Name: x\nVersion: 1\nLicense: UNKNOWN\n")[1] == ()
    assert python_metadata("Version: 1\nLicense: MIT\n") == (None, ())
