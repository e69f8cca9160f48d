"""Table-driven tests for the correctness rules (SL401-SL421): snippet -> lines reported."""

from __future__ import annotations

import pytest

from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_text
from slimline.lint.model import FixKind, Severity
from slimline.lint.registry import rules_by_code
from slimline.lint.rules.exec_form import looks_like_json_array


def lines(code: str, text: str) -> list[int]:
    return [f.line for f in lint_text(text, LintConfig(select=[code])) if f.code == code]


CASES: list[tuple[str, str, list[int]]] = [
    # SL401 relative WORKDIR (DL3000)
    ("SL401", "FROM alpine:3.20\nWORKDIR app\n", [2]),
    ("SL401", "FROM alpine:3.20\nWORKDIR /app\n", []),
    ("SL401", "FROM alpine:3.20\nWORKDIR /app\nWORKDIR static\n", []),
    ("SL401", "FROM alpine:3.20\nENV D=rel\nWORKDIR $D/x\n", [3]),
    ("SL401", "FROM alpine:3.20\nENV D=/srv\nWORKDIR ${D}/x\n", []),
    ("SL401", "FROM alpine:3.20\nARG D\nWORKDIR $D\n", []),
    ("SL401", 'FROM alpine:3.20\nWORKDIR "/quoted dir"\n', []),
    ("SL401", "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n", []),
    ("SL401", "FROM alpine:3.20 AS base\nWORKDIR /app\nFROM base\nWORKDIR sub\n", []),
    ("SL401", "FROM alpine:3.20 AS base\nWORKDIR /app\nFROM alpine:3.20\nWORKDIR sub\n", [4]),
    ("SL401", "FROM alpine:3.20\nONBUILD WORKDIR sub\n", [2]),
    ("SL401", "FROM alpine:3.20\nWORKDIR /srv\nONBUILD WORKDIR sub\n", []),
    # SL402 cd in RUN (DL3003)
    ("SL402", "FROM alpine:3.20\nRUN cd /src && make\n", [2]),
    ("SL402", "FROM alpine:3.20\nRUN make -C /src\n", []),
    ("SL402", "FROM alpine:3.20\nRUN (cd /src && make) && make -C /other\n", []),
    ("SL402", "FROM alpine:3.20\nRUN for d in a b; do cd $d && make; done\n", []),
    ("SL402", "FROM alpine:3.20\nRUN if [ -d x ]; then cd x; fi\n", []),
    ("SL402", "FROM alpine:3.20\nRUN echo $(cd /x && pwd)\n", []),
    ("SL402", "FROM alpine:3.20\nRUN sh -c 'cd /x && make'\n", [2]),
    ("SL402", "FROM alpine:3.20\nRUN <<EOF\nset -e\ncd /src\nmake\nEOF\n", [2]),
    ("SL402", "FROM alpine:3.20\nRUN --mount=type=cache,target=/c \\\n    cd /x && ls\n", [2]),
    ("SL402", "FROM alpine:3.20\nONBUILD RUN cd /x && make\n", []),
    # SL403 untagged FROM (DL3006)
    ("SL403", "FROM ubuntu\n", [1]),
    ("SL403", "FROM ubuntu:24.04\n", []),
    ("SL403", "FROM scratch\n", []),
    ("SL403", "FROM ubuntu@sha256:" + "0" * 64 + "\n", []),
    ("SL403", "FROM ubuntu:24.04 AS base\nFROM base\n", []),
    ("SL403", "FROM ubuntu:24.04 AS Base\nFROM base\n", []),
    ("SL403", "ARG PY=3.12\nFROM python:${PY}-slim\n", []),
    ("SL403", "ARG BASE=ubuntu\nFROM $BASE\n", [2]),
    ("SL403", "ARG BASE\nFROM $BASE\n", []),
    ("SL403", "ARG BASE=debian:12\nFROM ${BASE}\n", []),
    ("SL403", "FROM --platform=$BUILDPLATFORM golang AS b\nFROM b\n", [1]),
    ("SL403", "FROM alpine:3.20 AS bin-linux\nFROM bin-${TARGETOS}\n", []),
    ("SL403", "FROM ghcr.io/org/tool\n", [1]),
    # SL404 :latest (DL3007)
    ("SL404", "FROM node:latest\n", [1]),
    ("SL404", "FROM node:20\n", []),
    ("SL404", "FROM node:latest@sha256:" + "a" * 64 + "\n", []),
    ("SL404", "ARG TAG=latest\nFROM node:$TAG\n", [2]),
    ("SL404", "ARG TAG\nFROM node:$TAG\n", []),
    ("SL404", "FROM ubuntu\n", []),
    # SL405 apt-get without -y (DL3014)
    ("SL405", "FROM debian:12\nRUN apt-get update && apt-get install curl\n", [2]),
    ("SL405", "FROM debian:12\nRUN apt-get install -y curl\n", []),
    ("SL405", "FROM debian:12\nRUN apt-get -qq install curl\n", []),
    ("SL405", "FROM debian:12\nRUN apt-get -q -q install curl\n", []),
    ("SL405", "FROM debian:12\nRUN apt-get -q install curl\n", [2]),
    ("SL405", "FROM debian:12\nRUN apt-get install --yes curl\n", []),
    ("SL405", "FROM debian:12\nRUN apt-get install --assume-yes curl\n", []),
    ("SL405", "FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n", []),
    ("SL405", "FROM debian:12\nRUN yes | apt-get install curl\n", []),
    ("SL405", "FROM debian:12\nRUN sudo apt-get install curl\n", [2]),
    ("SL405", "FROM debian:12\nRUN /usr/bin/apt-get install curl\n", [2]),
    ("SL405", "FROM debian:12\nRUN apt install curl\n", [2]),
    ("SL405", "FROM debian:12\nRUN apt-get upgrade\n", [2]),
    ("SL405", "FROM debian:12\nRUN apt-get update\n", []),
    ("SL405", "FROM debian:12\nONBUILD RUN apt-get install curl\n", [2]),
    ("SL405", 'FROM debian:12\nRUN ["apt-get", "install", "curl"]\n', [2]),
    ("SL405", "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n", [2]),
    # SL406 ADD for local files (DL3020)
    ("SL406", "FROM alpine:3.20\nADD app.py /app/\n", [2]),
    ("SL406", "FROM alpine:3.20\nADD https://example.com/x.tgz /opt/\n", []),
    ("SL406", "FROM alpine:3.20\nADD rootfs.tar.gz /\n", []),
    ("SL406", "FROM alpine:3.20\nADD git@github.com:org/repo.git /src\n", []),
    ("SL406", "FROM alpine:3.20\nADD --keep-git-dir=true https://github.com/org/r.git#v1 /s\n", []),
    ("SL406", "FROM alpine:3.20\nADD a.tar.gz b.txt /x/\n", [2]),
    ("SL406", 'FROM alpine:3.20\nADD ["a.txt", "/x/"]\n', [2]),
    ("SL406", "FROM alpine:3.20\nARG URL=https://example.com/f\nADD $URL /f\n", []),
    ("SL406", "FROM alpine:3.20\nARG SRC\nADD $SRC /f\n", []),
    ("SL406", "FROM alpine:3.20\nADD <<EOF /etc/motd\nhello\nEOF\n", [2]),
    ("SL406", "FROM alpine:3.20\nONBUILD ADD . /app\n", [2]),
    ("SL406", "FROM alpine:3.20\nCOPY app.py /app/\n", []),
    # SL407 several sources, destination not a directory (DL3021)
    ("SL407", "FROM alpine:3.20\nCOPY a b /app\n", [2]),
    ("SL407", "FROM alpine:3.20\nCOPY a b /app/\n", []),
    ("SL407", "FROM alpine:3.20\nWORKDIR /app\nCOPY a b .\n", []),
    ("SL407", "FROM alpine:3.20\nCOPY a /app\n", []),
    ("SL407", "FROM alpine:3.20\nADD a b /app\n", [2]),
    ("SL407", 'FROM alpine:3.20\nCOPY ["a", "b", "/app"]\n', [2]),
    ("SL407", "FROM alpine:3.20\nENV D=/app/\nCOPY a b $D\n", []),
    ("SL407", "FROM alpine:3.20\nCOPY <<one <<two /etc\n1\none\n2\ntwo\n", [2]),
    ("SL407", "FROM alpine:3.20\nONBUILD COPY a b /app\n", [2]),
    # SL408 COPY --from names no stage (DL3022)
    ("SL408", "FROM alpine:3.20 AS builder\nFROM alpine:3.20\nCOPY --from=buidler /a /b\n", [3]),
    ("SL408", "FROM alpine:3.20 AS builder\nFROM alpine:3.20\nCOPY --from=builder /a /b\n", []),
    ("SL408", "FROM alpine:3.20 AS Builder\nFROM alpine:3.20\nCOPY --from=BUILDER /a /b\n", []),
    ("SL408", "FROM alpine:3.20\nCOPY --from=0 /a /b\nFROM alpine:3.20\nCOPY --from=5 /a /b\n", [4]),
    ("SL408", "FROM alpine:3.20\nCOPY --from=nginx:1.27 /a /b\n", []),
    ("SL408", "FROM alpine:3.20\nCOPY --from=ghcr.io/astral-sh/uv /uv /uv\n", []),
    ("SL408", "FROM alpine:3.20\nCOPY --from=nginx /a /b\n", [2]),
    ("SL408", "FROM alpine:3.20\nCOPY --from=later /a /b\nFROM alpine:3.20 AS later\n", []),
    ("SL408", "FROM alpine:3.20 AS assets\nFROM alpine:3.20\nARG S=assets\nCOPY --from=$S /a /b\n", []),
    ("SL408", "FROM alpine:3.20\nARG S\nCOPY --from=$S /a /b\n", []),
    ("SL408", "FROM alpine:3.20\nCOPY --from /a /b\n", [2]),
    ("SL408", "FROM alpine:3.20\nONBUILD COPY --from=nope /a /b\n", []),
    # SL409 COPY --from its own stage (DL3023)
    ("SL409", "FROM alpine:3.20 AS app\nCOPY --from=app /a /b\n", [2]),
    ("SL409", "FROM alpine:3.20\nCOPY --from=0 /a /b\n", [2]),
    ("SL409", "FROM alpine:3.20 AS app\nCOPY --from=APP /a /b\n", [2]),
    ("SL409", "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\nCOPY --from=a /x /y\n", []),
    (
        "SL409",
        "FROM alpine:3.20 AS s0\nCOPY --from=s2 /f /\nFROM alpine:3.20 AS s1\nCOPY --from=s0 /f /\n"
        "FROM alpine:3.20 AS s2\nCOPY --from=s1 /f /\n",
        [2, 4, 6],
    ),
    ("SL409", "FROM alpine:3.20 AS a\nFROM a AS b\nFROM alpine:3.20 AS a2\nCOPY --from=b /x /y\n", []),
    ("SL409", "FROM alpine:3.20 AS a\nRUN true\nFROM a AS b\nCOPY --from=b /x /y\n", [4]),
    ("SL409", "FROM golang:1.22 AS build\nRUN --mount=from=build,target=/x ls /x\n", [2]),
    # SL410 duplicate stage names (DL3024)
    ("SL410", "FROM alpine:3.20 AS build\nFROM alpine:3.20 AS build\n", [2]),
    ("SL410", "FROM alpine:3.20 AS build\nFROM alpine:3.20 AS Build\n", [2]),
    ("SL410", "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\n", []),
    ("SL410", "FROM alpine:3.20\nFROM alpine:3.20\n", []),
    # SL411 shell-form CMD/ENTRYPOINT (DL3025)
    ("SL411", "FROM alpine:3.20\nCMD python app.py\n", [2]),
    ("SL411", "FROM alpine:3.20\nENTRYPOINT /entrypoint.sh\n", [2]),
    ("SL411", 'FROM alpine:3.20\nCMD ["python", "app.py"]\n', []),
    ("SL411", "FROM alpine:3.20\nCMD exec gunicorn app:app\n", []),
    ("SL411", "FROM alpine:3.20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n", []),
    ("SL411", "FROM alpine:3.20\nCMD ['python', 'app.py']\n", []),
    ("SL411", "FROM alpine:3.20\nONBUILD CMD python app.py\n", []),
    ("SL411", "FROM alpine:3.20 AS a\nCMD x\nFROM alpine:3.20\nCMD y\n", [2, 4]),
    # SL412 apt instead of apt-get (DL3027)
    ("SL412", "FROM debian:12\nRUN apt update && apt install -y curl\n", [2]),
    ("SL412", "FROM debian:12\nRUN apt-get update\n", []),
    ("SL412", "FROM debian:12\nRUN sudo apt install -y curl\n", [2]),
    ("SL412", "FROM debian:12\nONBUILD RUN apt install -y curl\n", [2]),
    ("SL412", "FROM debian:12\nRUN echo apt\n", []),
    # SL413 ENV reads a variable set by the same ENV (DL3044)
    ("SL413", "FROM alpine:3.20\nENV A=1 B=$A\n", [2]),
    ("SL413", "FROM alpine:3.20\nENV A=1 B=${A}/bin\n", [2]),
    ("SL413", "FROM alpine:3.20\nENV A=1\nENV B=$A\n", []),
    ("SL413", "FROM alpine:3.20\nENV PATH=/x:$PATH A=1\n", []),
    ("SL413", "FROM alpine:3.20\nENV C=1 D=$Cx\n", []),
    ("SL413", "FROM alpine:3.20\nENV A=1 B='$A'\n", []),
    ("SL413", "FROM alpine:3.20\nENV A=1 B=\\$A\n", []),
    ("SL413", "FROM alpine:3.20\nENV A=1\nENV A=1 B=$A\n", []),
    ("SL413", "FROM alpine:3.20\nENV A=1\nENV A=2 B=$A\n", [3]),
    ("SL413", "FROM alpine:3.20\nENV B=$A A=1\n", [2]),
    ("SL413", "FROM alpine:3.20\nENV A 1 $A\n", []),
    ("SL413", "FROM alpine:3.20\nONBUILD ENV A=1 B=$A\n", [2]),
    ("SL413", "FROM alpine:3.20 AS a\nENV A=1\nFROM alpine:3.20\nENV A=1 B=$A\n", [4]),
    # SL414 COPY to a relative destination without WORKDIR (DL3045)
    ("SL414", "FROM alpine:3.20\nCOPY app.py .\n", [2]),
    ("SL414", "FROM alpine:3.20\nWORKDIR /app\nCOPY app.py .\n", []),
    ("SL414", "FROM alpine:3.20\nCOPY app.py /app/\n", []),
    ("SL414", "FROM alpine:3.20 AS base\nWORKDIR /app\nFROM base\nCOPY a .\n", []),
    ("SL414", "FROM alpine:3.20 AS base\nWORKDIR /app\nFROM alpine:3.20\nCOPY --from=base /a b\n", [4]),
    ("SL414", "FROM alpine:3.20\nADD app.py app/\n", [2]),
    ("SL414", "FROM alpine:3.20\nENV D=/srv\nCOPY a $D\n", []),
    ("SL414", "FROM alpine:3.20\nENV D=srv\nCOPY a $D\n", [3]),
    ("SL414", "FROM alpine:3.20\nARG D\nCOPY a ${D}x\n", []),
    ("SL414", "FROM alpine:3.20\nCOPY <<EOF motd\nhi\nEOF\n", [2]),
    ("SL414", "FROM alpine:3.20\nONBUILD COPY a .\n", []),
    ("SL414", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a C:\\app\\\n", []),
    # SL415 instruction before the first FROM (DL3061)
    ("SL415", "RUN echo\nFROM alpine:3.20\n", [1]),
    ("SL415", "ARG V=1\nFROM alpine:$V\n", []),
    ("SL415", "# syntax=docker/dockerfile:1\n# comment\nARG V=1\nLABEL a=b\nFROM alpine\n", [4]),
    ("SL415", "RUN apt-get update\nRUN apt-get install -y curl\n", []),
    # SL417 / SL418 several CMD / ENTRYPOINT in a stage (DL4003 / DL4004)
    ("SL417", 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]\n', [3, 4]),
    ("SL417", 'FROM alpine:3.20\nCMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\n', []),
    ("SL417", 'FROM alpine:3.20\nONBUILD CMD ["a"]\nCMD ["b"]\n', []),
    ("SL418", 'FROM alpine:3.20\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n', [3]),
    ("SL418", 'FROM alpine:3.20\nENTRYPOINT ["a"]\nCMD ["b"]\n', []),
    # SL419 pipe without pipefail (DL4006)
    ("SL419", "FROM alpine:3.20\nRUN curl -fsSL https://x | sh\n", [2]),
    ("SL419", "FROM alpine:3.20\nRUN set -o pipefail && curl -fsSL https://x | sh\n", []),
    ("SL419", "FROM alpine:3.20\nRUN set -euo pipefail; curl -fsSL https://x | sh\n", []),
    ("SL419", 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl x | sh\n', []),
    ("SL419", 'FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN curl x | sh\n', []),
    ("SL419", 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN curl x | sh\n', [3]),
    ("SL419", 'FROM alpine:3.20\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a | b\n', []),
    (
        "SL419",
        'FROM debian:12 AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM a\nRUN x | y\n',
        [],
    ),
    (
        "SL419",
        'FROM debian:12 AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM debian:12\nRUN x | y\n',
        [4],
    ),
    ("SL419", 'FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-c"]\nRUN Get-Item x | Out-Null\n', []),
    ("SL419", "FROM alpine:3.20\nRUN echo 'abc  file' | sha256sum -c -\n", []),
    ("SL419", "FROM alpine:3.20\nRUN a || b\n", []),
    ("SL419", 'FROM alpine:3.20\nRUN ["sh", "-c", "a | b"]\n', [2]),
    ("SL419", 'FROM alpine:3.20\nRUN ["grep", "a|b", "/f"]\n', []),
    ("SL419", "FROM alpine:3.20\nRUN <<EOF\ncurl x | tar -x\nEOF\n", [2]),
    ("SL419", "FROM alpine:3.20\nRUN <<EOF\nset -o pipefail\ncurl x | tar -x\nEOF\n", []),
    ("SL419", "FROM alpine:3.20\nRUN x=$(curl -s u | head -1) && echo $x\n", [2]),
    ("SL419", "FROM alpine:3.20\nRUN { a; b; } | c\n", [2]),
    ("SL419", "FROM alpine:3.20\nONBUILD RUN a | b\n", []),
    # SL420 unknown instruction
    ("SL420", "FROM alpine:3.20\nRUNN echo\n", [2]),
    ("SL420", "FROM alpine:3.20\nrun echo\n", []),
    ("SL420", "FROM alpine:3.20\nONBUILD COPPY . /app\n", [2]),
    ("SL420", "FROM alpine:3.20\n<<<<<<< HEAD\n", [2]),
    # SL421 arguments that look like JSON but are not
    ("SL421", "FROM alpine:3.20\nCMD ['python', 'app.py']\n", [2]),
    ("SL421", 'FROM alpine:3.20\nCMD ["python", "app.py",]\n', [2]),
    ("SL421", 'FROM alpine:3.20\nCMD ["python", "app.py"\n', [2]),
    ("SL421", 'FROM alpine:3.20\nENTRYPOINT ["a" "b"]\n', [2]),
    ("SL421", 'FROM alpine:3.20\nCMD ["sleep", 10]\n', [2]),
    ("SL421", "FROM alpine:3.20\nCMD [python, app.py]\n", [2]),
    ("SL421", 'FROM alpine:3.20\nCOPY ["a", \'b\', "/c/"]\n', [2]),
    ("SL421", "FROM alpine:3.20\nHEALTHCHECK CMD ['curl', '-f', 'http://localhost/']\n", [2]),
    ("SL421", 'FROM alpine:3.20\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n', []),
    ("SL421", "FROM alpine:3.20\nSHELL /bin/bash -c\n", [2]),
    ("SL421", "FROM alpine:3.20\nONBUILD CMD ['a']\n", [2]),
    ("SL421", 'FROM alpine:3.20\nCMD ["python", "app.py"]\n', []),
    ("SL421", "FROM alpine:3.20\nCMD []\n", []),
    ("SL421", "FROM alpine:3.20\nRUN [ -f /etc/os-release ] && cat /etc/os-release\n", []),
    ("SL421", 'FROM alpine:3.20\nRUN [ "$A" = "b" ] && echo same\n', []),
    ("SL421", 'FROM alpine:3.20\nRUN [ "$A" = "b" ]\n', []),
    ("SL421", 'FROM bash:5\nRUN [[ "$BASH_VERSION" == 5* ]] && echo bash5\n', []),
    ("SL421", 'FROM alpine:3.20\nCMD [ "$HOME" != "" ] && echo home set\n', []),
    ("SL421", "FROM alpine:3.20\nRUN [abc]\n", []),
    ("SL421", "FROM alpine:3.20\nVOLUME [/data]\n", [2]),
    ("SL421", 'FROM alpine:3.20\nVOLUME ["/data"]\n', []),
    ("SL421", "FROM alpine:3.20\nENV X=['a']\n", []),
    # template placeholders are not values
    ("SL407", "FROM alpine:3.20\nCOPY {{ src }} {{ dest }}\n", []),
    ("SL414", "FROM alpine:3.20\nCOPY %%SRC%% %%DEST%%\n", []),
    ("SL419", 'FROM alpine:3.20\nRUN {{ pm }} install -y {{ pkgs | join(" ") }}\n', []),
    ("SL419", "FROM alpine:3.20\nRUN docker inspect -f '{{.Id}}' x | cut -c1-12\n", [2]),
]


@pytest.mark.parametrize(("code", "text", "expected"), CASES)
def test_rule(code: str, text: str, expected: list[int]) -> None:
    assert lines(code, text) == expected


def test_every_new_rule_has_cases() -> None:
    covered = {code for code, _text, _lines in CASES}
    codes = {f"SL4{n:02d}" for n in range(1, 22) if n != 16}
    assert codes <= covered
    for code in codes:
        assert any(lines_ for c, _t, lines_ in CASES if c == code), f"{code}: no positive case"
        assert any(not lines_ for c, _t, lines_ in CASES if c == code), f"{code}: no negative case"


@pytest.mark.parametrize(
    ("code", "severity", "hadolint"),
    [
        ("SL401", Severity.ERROR, ("DL3000",)),
        ("SL402", Severity.WARNING, ("DL3003",)),
        ("SL403", Severity.WARNING, ("DL3006",)),
        ("SL404", Severity.WARNING, ("DL3007",)),
        ("SL405", Severity.WARNING, ("DL3014",)),
        ("SL406", Severity.ERROR, ("DL3020",)),
        ("SL407", Severity.ERROR, ("DL3021",)),
        ("SL408", Severity.WARNING, ("DL3022",)),
        ("SL409", Severity.ERROR, ("DL3023",)),
        ("SL410", Severity.ERROR, ("DL3024",)),
        ("SL411", Severity.WARNING, ("DL3025",)),
        ("SL412", Severity.WARNING, ("DL3027",)),
        ("SL413", Severity.ERROR, ("DL3044",)),
        ("SL414", Severity.WARNING, ("DL3045",)),
        ("SL415", Severity.ERROR, ("DL3061",)),
        ("SL417", Severity.WARNING, ("DL4003",)),
        ("SL418", Severity.ERROR, ("DL4004",)),
        ("SL419", Severity.WARNING, ("DL4006",)),
        ("SL420", Severity.ERROR, ()),
        ("SL421", Severity.ERROR, ()),
    ],
)
def test_severity_and_mapping(code: str, severity: Severity, hadolint: tuple[str, ...]) -> None:
    r = rules_by_code()[code]
    assert r.severity is severity
    assert r.hadolint == hadolint
    assert r.default_enabled


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("SL405", FixKind.SAFE),
        ("SL406", FixKind.SAFE),
        ("SL412", FixKind.SAFE),
        ("SL411", FixKind.UNSAFE),
        ("SL407", FixKind.NONE),
        ("SL417", FixKind.NONE),
        ("SL418", FixKind.NONE),
        ("SL401", FixKind.NONE),
    ],
)
def test_fix_kinds_of_correctness_rules(code: str, kind: FixKind) -> None:
    assert rules_by_code()[code].fix is kind


def test_hadolint_pragma_suppresses_mapped_rule() -> None:
    text = "FROM ubuntu\n# hadolint ignore=DL3003\nRUN cd /x && make\nRUN cd /y && make\n"
    assert lines("SL402", text) == [4]
    assert lines("SL403", "# hadolint ignore=DL3006\nFROM ubuntu\n") == []


def test_messages_name_what_is_wrong() -> None:
    findings = lint_text(
        "FROM alpine:3.20 AS builder\nFROM alpine:3.20\nCOPY --from=buidler /a /b\nRUNN x\n",
        LintConfig(select=["SL408", "SL420"]),
    )
    by_code = {f.code: f for f in findings}
    assert "buidler" in by_code["SL408"].message
    assert by_code["SL408"].hint == "did you mean `--from=builder`?"
    assert by_code["SL420"].hint == "did you mean `RUN`?"


def test_add_heredoc_is_named() -> None:
    [finding] = lint_text("FROM a:1\nADD <<EOF /etc/motd\nhi\nEOF\n", LintConfig(select=["SL406"]))
    assert "heredoc EOF" in finding.message


def test_unknown_instruction_shows_invisible_characters() -> None:
    [finding] = lint_text("FROM a:1\nRUN\u00a0echo\n", LintConfig(select=["SL420"]))
    assert "\\xa0" in finding.message


def test_add_finding_says_when_keyword_swap_is_safe() -> None:
    [mixed] = lint_text("FROM a:1\nADD x.tar.gz y.txt /d/\n", LintConfig(select=["SL406"]))
    [plain] = lint_text("FROM a:1\nADD y.txt /d/\n", LintConfig(select=["SL406"]))
    assert mixed.data["replace_keyword"] is False
    assert plain.data["replace_keyword"] is True


@pytest.mark.parametrize(
    ("args", "flagged"),
    [
        ("['a', 'b']", True),
        ("[\u201ca\u201d, \u201cb\u201d]", True),
        ('["a", "b"]', False),
        ('["C:\\app\\x.exe"]', True),
        ("[1,2", True),
        ("[ -n x ]", False),
        ("[ ! -f x ]", False),
        ('[ "$x" ] || exit 1', False),
        ("{not: array}", False),
    ],
)
def test_looks_like_json_array(args: str, flagged: bool) -> None:
    assert (looks_like_json_array(args) is not None) is flagged
