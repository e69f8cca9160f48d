"""Tying history entries (and so layers) to Dockerfile lines."""

from __future__ import annotations

from slimline.analysis.dockerfile_map import match_dockerfile
from slimline.dockerfile import parse
from slimline.image.model import HistoryEntry

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG PY=3.11
FROM python:${PY} AS build
RUN pip wheel -w /w fastapi

FROM python:3.11
ARG APP=/app
WORKDIR /app
RUN apt-get update && \\
    apt-get install -y curl
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN pip install -r requirements.txt
CMD ["uvicorn", "main:app"]
"""

BASE = [
    HistoryEntry("/bin/sh -c #(nop) ADD file:aa in / "),
    HistoryEntry('/bin/sh -c #(nop)  CMD ["bash"]', empty_layer=True),
    HistoryEntry("/bin/sh -c pip install --upgrade pip"),
    HistoryEntry('/bin/sh -c #(nop)  CMD ["python3"]', empty_layer=True),
]


def lines(match) -> dict[int, int]:
    return {i: ref.line for i, ref in match.by_history.items()}


def test_buildkit_history():
    history = (*BASE,
               HistoryEntry("WORKDIR /app", comment="buildkit.dockerfile.v0"),
               HistoryEntry("RUN /bin/sh -c apt-get update &&     apt-get install -y curl # "
                            "buildkit"),
               HistoryEntry("COPY requirements.txt . # buildkit"),
               HistoryEntry("RUN /bin/sh -c pip install -r requirements.txt # buildkit"),
               HistoryEntry("COPY . . # buildkit"),
               HistoryEntry("RUN /bin/sh -c pip install -r requirements.txt # buildkit"),
               HistoryEntry('CMD ["uvicorn", "main:app"]', empty_layer=True))
    match = match_dockerfile(parse(DOCKERFILE), history, "Dockerfile")
    assert lines(match) == {4: 8, 5: 9, 6: 11, 7: 12, 8: 13, 9: 14, 10: 15}
    assert match.base_name == "python:3.11"
    assert match.plausible
    assert match.by_history[5].end_line == 10


def test_classic_builder_history():
    history = (*BASE,
               HistoryEntry("/bin/sh -c #(nop)  ARG APP=/app", empty_layer=True),
               HistoryEntry("/bin/sh -c #(nop) WORKDIR /app"),
               HistoryEntry("/bin/sh -c apt-get update &&     apt-get install -y curl"),
               HistoryEntry("/bin/sh -c #(nop) COPY file:0a1b2c in . "),
               HistoryEntry("|1 APP=/app /bin/sh -c pip install -r requirements.txt"),
               HistoryEntry("/bin/sh -c #(nop) COPY dir:99ff in . "),
               HistoryEntry("|1 APP=/app /bin/sh -c pip install -r requirements.txt"),
               HistoryEntry('/bin/sh -c #(nop)  CMD ["uvicorn" "main:app"]', empty_layer=True))
    match = match_dockerfile(parse(DOCKERFILE), history, "Dockerfile")
    assert lines(match) == {4: 7, 5: 8, 6: 9, 7: 11, 8: 12, 9: 13, 10: 14, 11: 15}


def test_repeated_instructions_match_in_order():
    history = (*BASE,
               HistoryEntry("RUN /bin/sh -c pip install -r requirements.txt # buildkit"),
               HistoryEntry("COPY . . # buildkit"),
               HistoryEntry("RUN /bin/sh -c pip install -r requirements.txt # buildkit"))
    text = "FROM python:3.11\nRUN pip install -r requirements.txt\nCOPY . .\n" \
           "RUN pip install -r requirements.txt\n"
    match = match_dockerfile(parse(text), history, "Dockerfile")
    assert lines(match) == {4: 2, 5: 3, 6: 4}


def test_unrelated_dockerfile_is_not_plausible():
    history = (*BASE, HistoryEntry("RUN /bin/sh -c make all # buildkit"))
    text = "FROM alpine\nRUN apk add curl\nRUN echo hi\nCOPY x /x\n"
    match = match_dockerfile(parse(text), history, "Dockerfile")
    assert not match.plausible
    assert match.base_name == "alpine"


def test_stage_built_on_a_stage():
    text = "FROM debian AS base\nRUN apt-get update\nFROM base\nCOPY app /app\n"
    history = (HistoryEntry("ADD file:x in /"), HistoryEntry("/bin/sh -c apt-get update"),
               HistoryEntry("/bin/sh -c #(nop) COPY dir:1 in /app "))
    match = match_dockerfile(parse(text), history, "Dockerfile")
    assert lines(match) == {1: 2, 2: 4}
    assert match.base_name == "debian"
