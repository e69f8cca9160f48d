"""History: instruction rendering, alignment and the base-image boundary."""

from __future__ import annotations

import pytest

from slimline.analysis.history import (
    align_history,
    base_from_diff_ids,
    base_from_history,
    instruction_of,
    keyword_of,
)
from slimline.image.model import HistoryEntry


@pytest.mark.parametrize(
    ("created_by", "expected"),
    [
        ('/bin/sh -c #(nop)  CMD ["python3"]', 'CMD ["python3"]'),
        ("/bin/sh -c #(nop) ADD file:4b03b5 in / ", "ADD file:4b03b5 in /"),
        ("/bin/sh -c #(nop) COPY dir:12ab in /app ", "COPY dir:12ab in /app"),
        ("/bin/sh -c apt-get update && apt-get install -y gcc",
         "RUN apt-get update && apt-get install -y gcc"),
        ("|2 PY=3.11 USER=app /bin/sh -c pip install x", "RUN pip install x"),
        ("RUN /bin/sh -c pip install -r requirements.txt # buildkit",
         "RUN pip install -r requirements.txt"),
        ("RUN |1 VERSION=2 /bin/sh -c make # buildkit", "RUN make"),
        ("RUN /bin/bash -c set -o pipefail # buildkit", "RUN set -o pipefail"),
        ("COPY . . # buildkit", "COPY . ."),
        ("WORKDIR /app", "WORKDIR /app"),
        ("ENV PYTHONUNBUFFERED=1", "ENV PYTHONUNBUFFERED=1"),
        ("", ""),
    ],
)
def test_instruction_of(created_by, expected):
    assert instruction_of(created_by) == expected


def test_keyword_of():
    assert keyword_of("RUN make") == "RUN"
    assert keyword_of("copy a b") == "COPY"
    assert keyword_of("(Imported from -)") == ""
    assert keyword_of("") == ""


def H(created_by: str, empty: bool = False, comment: str = "") -> HistoryEntry:
    return HistoryEntry(created_by=created_by, empty_layer=empty, comment=comment)


def test_alignment_skips_empty_entries_and_fills_missing():
    history = (H("", comment="Imported from -"), H("/bin/sh -c #(nop) ENV A=1", True),
               H("/bin/sh -c make"))
    origins = align_history(history, 3)
    assert [o.instruction for o in origins] == ["(Imported from -)", "RUN make", "(missing)"]
    assert [o.history_index for o in origins] == [0, 2, -1]


def test_base_from_history_uses_the_last_cmd_followed_by_layers():
    history = (
        H("/bin/sh -c #(nop) ADD file:1 in / "),
        H('/bin/sh -c #(nop)  CMD ["bash"]', True),
        H("/bin/sh -c apt-get install python3"),
        H('/bin/sh -c #(nop)  CMD ["python3"]', True),
        H("RUN /bin/sh -c pip install app # buildkit"),
        H("COPY . /app # buildkit"),
        H('CMD ["app"]', True),
    )
    boundary = base_from_history(history, 4)
    assert (boundary.layers, boundary.history_entries, boundary.method) == (2, 4, "history")


def test_base_from_history_falls_back_to_the_first_layer():
    history = (H("/bin/sh -c #(nop) ADD file:1 in / "), H("/bin/sh -c make"))
    boundary = base_from_history(history, 2)
    assert (boundary.layers, boundary.history_entries, boundary.method) == (1, 1, "first-layer")
    assert base_from_history((), 0).method == "none"


def test_base_from_diff_ids():
    ids = ("sha256:" + "1" * 64, "sha256:" + "2" * 64, "sha256:" + "3" * 64)
    history = (H("ADD a /"), H("CMD x", True), H("RUN b"), H("RUN c"))
    found = base_from_diff_ids(ids, history, ids[:1], None, "debian:12")
    assert found is not None
    assert (found.layers, found.history_entries, found.method, found.name) == (
        1, 1, "base-image", "debian:12")
    found = base_from_diff_ids(ids, history, ids[:2], 3, "x")
    assert found is not None and (found.layers, found.history_entries) == (2, 3)
    assert base_from_diff_ids(ids, history, ids[1:2], None, "y") is None
