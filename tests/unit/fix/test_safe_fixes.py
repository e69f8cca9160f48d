"""Safe fixes: input -> exact output, and the properties every fix must keep."""

from __future__ import annotations

import pytest

from slimline.dockerfile.parser import parse
from slimline.fix.engine import fix_dockerfile
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile


def fixed(text: str, **cfg: object) -> str:
    df = parse(text, "Dockerfile")
    return fix_dockerfile(df, LintConfig(**cfg)).fixed  # type: ignore[arg-type]


CASES = [
    pytest.param(
        "FROM python:3.11-slim\nRUN pip install flask\nUSER 1\n",
        "FROM python:3.11-slim\nRUN pip install --no-cache-dir flask\nUSER 1\n",
        id="pip-no-cache-dir",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1\nFROM python:3.11-slim\nRUN --mount=type=cache,target=/root/.npm true\nRUN pip install flask\nUSER 1\n",
        "# syntax=docker/dockerfile:1\nFROM python:3.11-slim\nRUN --mount=type=cache,target=/root/.npm true\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\nUSER 1\n",
        id="pip-cache-mount-when-file-uses-mounts",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get clean\nRUN rm -rf /var/lib/apt/lists/*\nUSER 1\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends -y curl && apt-get clean && \\\n    rm -rf /var/lib/apt/lists/*\nUSER 1\n",
        id="seed-four-runs",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends \\\n        curl\nUSER 1\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends \\\n        curl && \\\n    rm -rf /var/lib/apt/lists/*\nUSER 1\n",
        id="apt-lists-multiline-trailing-operators",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl\nUSER 1\n",
        "FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nUSER 1\n",
        id="apt-lists-multiline-leading-operators",
    ),
    pytest.param(
        "FROM alpine:3.19\nRUN apk add curl\nUSER 1\n",
        "FROM alpine:3.19\nRUN apk add --no-cache curl\nUSER 1\n",
        id="apk-no-cache",
    ),
    pytest.param(
        "FROM fedora:40\nRUN dnf install -y httpd\nUSER 1\n",
        "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\nUSER 1\n",
        id="dnf-clean",
    ),
    pytest.param(
        "FROM node:20-slim\nRUN yarn install\nUSER 1\n",
        "FROM node:20-slim\nRUN yarn install && yarn cache clean\nUSER 1\n",
        id="yarn-cache",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN echo a\nRUN echo b\nUSER 1\n",
        "FROM debian:bookworm-slim\nRUN echo a && echo b\nUSER 1\n",
        id="join-runs",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN cd /tmp\nRUN echo b\nUSER 1\n",
        "FROM debian:bookworm-slim\nRUN cd /tmp\nRUN echo b\nUSER 1\n",
        id="no-join-after-cd",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN echo a\n# keep me\nRUN echo b\nUSER 1\n",
        "FROM debian:bookworm-slim\nRUN echo a\n# keep me\nRUN echo b\nUSER 1\n",
        id="no-join-across-comments",
    ),
    pytest.param(
        'FROM debian:bookworm-slim\nMAINTAINER Jane "JD" <j@x.org>\nUSER 1\n',
        'FROM debian:bookworm-slim\nLABEL org.opencontainers.image.authors="Jane \\"JD\\" <j@x.org>"\nUSER 1\n',
        id="maintainer-to-label",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nUSER 1\nCMD python -m app --port 80\n",
        "FROM debian:bookworm-slim\nUSER 1\nCMD python -m app --port 80\n",
        id="exec-form-cmd-is-unsafe",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nUSER 1\nCMD python app.py > /log 2>&1\n",
        "FROM debian:bookworm-slim\nUSER 1\nCMD python app.py > /log 2>&1\n",
        id="no-exec-form-with-redirect",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nUSER 1\nCMD exec python $APP\n",
        "FROM debian:bookworm-slim\nUSER 1\nCMD exec python $APP\n",
        id="no-exec-form-with-variable",
    ),
    pytest.param(
        "FROM golang:1.22\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags='-s -w' -o /s .\nUSER 1\n",
        "FROM golang:1.22\nWORKDIR /go\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags='-s -w' -o /s .\nUSER 1\n",
        id="workdir-of-the-base-made-explicit",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\r\nRUN apt-get update && apt-get install -y --no-install-recommends curl\r\nUSER 1\r\n",
        "FROM debian:bookworm-slim\r\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\r\nUSER 1\r\n",
        id="crlf-kept",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_fix(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(("before", "after"), CASES)
def test_fix_is_idempotent_and_clears_what_it_fixed(before: str, after: str) -> None:
    config = LintConfig()
    df = parse(before, "Dockerfile")
    result = fix_dockerfile(df, config)
    assert fixed(result.fixed) == result.fixed
    fixed_codes = {f.code for f in result.applied}
    before_codes = {f.code for f in lint_dockerfile(df, config)}
    after_codes = {f.code for f in lint_dockerfile(parse(result.fixed, "Dockerfile"), config)}
    assert not fixed_codes & after_codes
    assert after_codes <= before_codes


def test_unsafe_fixes_need_the_flag() -> None:
    df = parse("FROM python:3.11\nRUN pip install --no-cache-dir flask\n", "Dockerfile")
    result = fix_dockerfile(df, LintConfig(), unsafe=False)
    assert all(str(f.safety) == "safe" for f in result.applied)


def test_exec_form_cmd_with_unsafe() -> None:
    """SL411's fix changes how the container starts (PID 1, signals, arguments): unsafe."""
    df = parse("FROM debian:bookworm-slim\nUSER 1\nCMD python -m app --port 80\n", "Dockerfile")
    result = fix_dockerfile(df, LintConfig(), unsafe=True)
    assert result.fixed.endswith('CMD ["python", "-m", "app", "--port", "80"]\n')
    assert [(f.code, str(f.safety)) for f in result.applied] == [("SL411", "unsafe")]


def test_select_limits_fixes() -> None:
    text = "FROM debian:bookworm-slim\nRUN apt-get install -y curl\nRUN pip install x\nUSER 1\n"
    out = fixed(text, select=["SL107"])
    assert "--no-cache-dir" in out and "--no-install-recommends" not in out
