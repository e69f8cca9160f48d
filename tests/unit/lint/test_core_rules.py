"""Table-driven tests for the size, cache and security rules: snippet -> (code, line) findings."""

from __future__ import annotations

import pytest

from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_text


def codes(text: str, code: str, **cfg: object) -> list[int]:
    config = LintConfig(select=[code], **cfg)  # type: ignore[arg-type]
    return [f.line for f in lint_text(text, config) if f.code == code]


CASES: list[tuple[str, str, list[int]]] = [
    # SL101 fat base in the final stage only
    ("SL101", 'FROM python:3.11\nCMD ["python", "app.py"]\n', [1]),
    ("SL101", "FROM python:3.11-slim\n", []),
    ("SL101", "FROM python:3.11 AS b\nRUN true\nFROM python:3.11-slim\n", []),
    ("SL101", 'FROM node:20\nCMD ["node", "server.js"]\n', [1]),
    ("SL101", "FROM node:20-alpine\n", []),
    ("SL101", 'FROM golang:1.22\nRUN go build -o /s .\nCMD ["/s"]\n', [1]),
    ("SL101", 'FROM python:3.11 AS base\nFROM base\nCMD ["python", "app.py"]\n', [2]),
    ("SL101", 'ARG PY=3.11\nFROM python:${PY}\nCMD ["python", "app.py"]\n', [2]),
    ("SL101", "FROM ubuntu:22.04\n", []),
    ("SL101", "FROM registry.example.com/python:3.11\n", []),
    # SL102 toolchain installed in a shipped stage
    (
        "SL102",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev\nCMD [\"/app\"]\n",
        [2],
    ),
    (
        "SL102",
        "FROM debian:bookworm-slim AS b\nRUN apt-get install -y gcc\nFROM debian:bookworm-slim\n",
        [],
    ),
    (
        "SL102",
        "FROM alpine:3.19\nRUN apk add --no-cache --virtual .bd gcc musl-dev && make && apk del .bd\n",
        [],
    ),
    (
        "SL102",
        "FROM debian:bookworm-slim\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\n",
        [],
    ),
    ("SL102", "FROM debian:bookworm-slim\nRUN apt-get install -y curl ca-certificates\n", []),
    # SL103 single-stage build
    ("SL103", "FROM python:3.11\nCOPY r.txt .\nRUN pip install -r r.txt\n", [1]),
    ("SL103", "FROM python:3.11-slim\nRUN pip install -r r.txt\n", []),
    ("SL103", 'FROM python:3.11-slim\nRUN apt-get install -y gcc && pip install -r r.txt\nCMD ["gunicorn", "app:app"]\n', [1]),
    ("SL103", "FROM python:3.11 AS b\nRUN pip install x\nFROM python:3.11-slim\n", []),
    ("SL103", 'FROM golang:1.22\nRUN go build -o /s .\nCMD ["/s"]\n', [1]),
    # SL104 apt lists
    ("SL104", "FROM debian\nRUN apt-get update && apt-get install -y x\n", [2]),
    (
        "SL104",
        "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        [],
    ),
    (
        "SL104",
        "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x\n",
        [],
    ),
    ("SL104", "FROM debian AS b\nRUN apt-get update\nFROM scratch\nCOPY --from=b /x /x\n", []),
    ("SL104", "FROM debian\nRUN apt-get update && apt-get install -y x && apt-get clean\n", [2]),
    # SL105 apk
    ("SL105", "FROM alpine\nRUN apk add curl\n", [2]),
    ("SL105", "FROM alpine\nRUN apk add --no-cache curl\n", []),
    ("SL105", "FROM alpine\nRUN apk add curl && rm -rf /var/cache/apk/*\n", []),
    # SL106 rpm family
    ("SL106", "FROM fedora\nRUN dnf install -y httpd\n", [2]),
    ("SL106", "FROM fedora\nRUN dnf install -y httpd && dnf clean all\n", []),
    ("SL106", "FROM centos\nRUN yum install -y httpd && rm -rf /var/cache/yum\n", []),
    ("SL106", "FROM opensuse/leap\nRUN zypper install -y curl && zypper clean -a\n", []),
    # SL107 pip
    ("SL107", "FROM python\nRUN pip install flask\n", [2]),
    ("SL107", "FROM python\nRUN pip install --no-cache-dir flask\n", []),
    ("SL107", "FROM python\nRUN python -m pip install flask\n", [2]),
    ("SL107", "FROM python\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n", []),
    ("SL107", "FROM python\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n", []),
    (
        "SL107",
        "FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
        [],
    ),
    ("SL107", "FROM python\nRUN pip install flask && rm -rf /root/.cache\n", []),
    ("SL107", "FROM python AS b\nRUN pip install flask\nFROM python:3.11-slim\n", []),
    ("SL107", 'FROM python\nRUN ["pip", "install", "flask"]\n', [2]),
    ("SL107", "FROM python\nRUN <<EOF\npip install flask\nEOF\n", [2]),
    ("SL107", 'FROM python\nRUN sh -c "pip install flask"\n', [2]),
    (
        "SL107",
        "FROM python\nRUN pip install --upgrade --no-cache-dir pip && pip install flask\n",
        [2],
    ),
    # SL108 yarn
    ("SL108", "FROM node\nRUN yarn install\n", [2]),
    ("SL108", "FROM node\nRUN yarn install && yarn cache clean\n", []),
    # SL109 recommends
    ("SL109", "FROM debian\nRUN apt-get install -y curl\n", [2]),
    ("SL109", "FROM debian\nRUN apt-get install -y --no-install-recommends curl\n", []),
    ("SL109", "FROM debian\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n", []),
    # SL110 cleanup in a later layer
    ("SL110", "FROM debian\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n", [3]),
    ("SL110", "FROM debian\nRUN apt-get clean\n", [2]),
    ("SL110", "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n", []),
    ("SL110", "FROM debian\nRUN rm -rf /tmp/x && make\n", []),
    # SL111 consecutive RUNs in shipped stages
    ("SL111", "FROM debian\nRUN a\nRUN b\n", [3]),
    ("SL111", "FROM debian\nRUN a\nCOPY x /x\nRUN b\n", []),
    ("SL111", "FROM debian AS b\nRUN a\nRUN b\nFROM scratch\n", []),
    ("SL111", "FROM debian\nRUN a\nRUN --mount=type=cache,target=/c b\n", []),
    # SL112 / SL113 Go
    ("SL112", "FROM golang AS b\nRUN go build -o /s .\nFROM scratch\nCOPY --from=b /s /s\n", [2]),
    ("SL112", "FROM golang AS b\nRUN CGO_ENABLED=0 go build -o /s .\nFROM scratch\n", []),
    (
        "SL112",
        "FROM golang AS b\nENV CGO_ENABLED=0\nRUN go build -o /s .\nFROM gcr.io/distroless/static-debian12\n",
        [],
    ),
    ("SL112", "FROM golang AS b\nRUN go build -o /s .\nFROM debian:bookworm-slim\n", []),
    ("SL113", "FROM golang\nRUN go build -o /s .\n", [2]),
    ("SL113", 'FROM golang\nRUN go build -ldflags="-s -w" -o /s .\n', []),
    ("SL113", "FROM golang\nRUN go build -ldflags '-s -w -X main.v=1' -o /s .\n", []),
    # SL114 npm cache
    ("SL114", "FROM node\nRUN npm ci\n", [2]),
    ("SL114", "FROM node\nRUN npm ci && npm cache clean --force\n", []),
    ("SL114", "FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n", []),
    # SL115 shell form without a shell
    ("SL115", "FROM gcr.io/distroless/python3-debian12\nCMD python app.py\n", [2]),
    ("SL115", 'FROM gcr.io/distroless/python3-debian12\nCMD ["app.py"]\n', []),
    ("SL115", "FROM scratch\nRUN echo hi\n", [2]),
    ("SL115", "FROM gcr.io/distroless/base-debian12:debug\nCMD echo hi\n", []),
    # SL201 install after broad COPY
    ("SL201", "FROM python\nCOPY . .\nRUN pip install -r requirements.txt\n", [3]),
    (
        "SL201",
        "FROM python\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        [],
    ),
    ("SL201", "FROM node\nCOPY . /app\nRUN npm ci\n", [3]),
    ("SL201", "FROM node\nCOPY . /app\nRUN npm install -g pm2\n", []),
    ("SL201", "FROM golang\nCOPY . .\nRUN go mod download\n", [3]),
    ("SL201", "FROM python\nCOPY . .\nRUN pip install .\n", []),
    ("SL201", "FROM python\nCOPY --from=b . .\nRUN pip install -r r.txt\n", []),
    ("SL201", "FROM rust:1.63\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n", [4]),
    ("SL201", "FROM rust\nCOPY src ./src\nCOPY Cargo.toml .\nRUN cargo build\n", [4]),
    ("SL201", "FROM rust\nCOPY . .\nRUN cargo install --path .\n", [3]),
    ("SL201", "FROM rust\nCOPY . .\nRUN cargo install cargo-audit\n", []),
    (
        "SL201",
        "FROM rust\nCOPY Cargo.toml Cargo.lock ./\n"
        "RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release\n"
        "COPY . .\nRUN cargo build --release\n",
        [],
    ),
    ("SL201", "FROM rust\nCOPY Cargo.toml ./\nRUN cargo fetch\nCOPY . .\nRUN cargo build\n", []),
    ("SL201", "FROM node\nWORKDIR /app\nCOPY app-dir .\nRUN npm install\n", [4]),
    (
        "SL201",
        "FROM chef\nCOPY recipe.json .\nRUN cargo chef cook --release --recipe-path recipe.json\n"
        "COPY . .\nRUN cargo build --release\n",
        [],
    ),
    ("SL201", "FROM chef\nCOPY . .\nRUN cargo chef prepare --recipe-path recipe.json\n", []),
    (
        "SL201",
        "FROM rust\nCOPY . .\nRUN --mount=type=cache,target=/app/target cargo build --release\n",
        [],
    ),
    (
        "SL201",
        "FROM rust\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry cargo build\n",
        [3],
    ),
    # SL202 update alone
    ("SL202", "FROM debian\nRUN apt-get update\n", [2]),
    ("SL202", "FROM debian\nRUN apt-get update && apt-get install -y x\n", []),
    ("SL202", "FROM alpine\nRUN apk update\n", [2]),
    # SL301 root
    ("SL301", 'FROM debian\nCMD ["/app"]\n', [1]),
    ("SL301", "FROM debian\nUSER app\n", []),
    ("SL301", 'FROM debian\nUSER app\nUSER root\nCMD ["/app"]\n', [3]),
    ("SL301", "FROM debian AS b\nUSER app\nFROM b\n", []),
    ("SL301", "FROM gcr.io/distroless/static-debian12:nonroot\n", []),
    ("SL301", "FROM debian AS b\nFROM debian\nUSER 1000:1000\n", []),
    # SL302 secrets in ARG/ENV
    ("SL302", "FROM debian\nARG NPM_TOKEN\n", [2]),
    ("SL302", "FROM debian\nENV DB_PASSWORD=x API_URL=y\n", [2]),
    ("SL302", "FROM debian\nENV PASSWORD_FILE=/run/secrets/p\n", []),
    ("SL302", "FROM debian\nENV GPG_KEY=ABCDEF\n", []),
    ("SL302", "ARG AWS_SECRET_ACCESS_KEY\nFROM debian\n", [1]),
    # SL303 secret files
    ("SL303", "FROM debian\nCOPY .npmrc /root/.npmrc\n", [2]),
    ("SL303", "FROM debian\nCOPY id_rsa /root/.ssh/id_rsa\n", [2]),
    ("SL303", "FROM debian\nCOPY .env.example /app/.env.example\n", []),
    ("SL303", "FROM debian\nCOPY --from=b /etc/ssl/private/x.key /k\n", []),
    # SL304 credentials in URLs
    ("SL304", "FROM debian\nRUN curl https://user:pw@example.com/x\n", [2]),
    ("SL304", "FROM debian\nRUN curl https://example.com/x\n", []),
    # SL305 sudo
    ("SL305", "FROM debian\nRUN sudo apt-get update\n", [2]),
    ("SL305", "FROM debian\nRUN echo sudo\n", []),
]


@pytest.mark.parametrize(("code", "text", "lines"), CASES)
def test_rule(code: str, text: str, lines: list[int]) -> None:
    assert codes(text, code) == lines


def test_untrusted_registry_needs_config() -> None:
    text = "FROM quay.io/x/y:1\nFROM docker.io/library/debian:12\n"
    assert codes(text, "SL306") == []
    assert codes(text, "SL306", trusted_registries=["docker.io"]) == [1]


def test_hadolint_pragma_suppresses_mapped_rule() -> None:
    text = "FROM python\n# hadolint ignore=DL3042\nRUN pip install flask\nRUN pip install x\n"
    assert codes(text, "SL107") == [4]


def test_slimline_pragmas() -> None:
    text = (
        "# slimline: ignore-file=SL301\nFROM debian\n# slimline: ignore=SL202\nRUN apt-get update\n"
    )
    assert codes(text, "SL301") == []
    assert codes(text, "SL202") == []
