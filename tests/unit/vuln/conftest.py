"""Makes the helpers of this directory (and the image builder of tests/unit/image) importable;
``make_db``: a database made of records, opened for one test."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _path in (str(_HERE), str(_HERE.parent / "image")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from vulnrecords import database_maker  # noqa: E402

from slimline.vuln.db import Database  # noqa: E402


@pytest.fixture
def make_db(tmp_path: Path) -> Iterator[Callable[..., Database]]:
    yield from database_maker(tmp_path)
