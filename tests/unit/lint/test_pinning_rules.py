"""Table-driven tests for the version-pinning rules (SL501-SL506), which are off by default."""

from __future__ import annotations

import pytest

from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_text
from slimline.lint.registry import rules_by_code
from slimline.lint.rules.pinning import (
    apk_pinned,
    apt_pinned,
    npm_pinned,
    pip_pinned,
    rpm_pinned,
)


def lines(code: str, text: str) -> list[int]:
    return [f.line for f in lint_text(text, LintConfig(select=[code])) if f.code == code]


CASES: list[tuple[str, str, list[int]]] = [
    # SL501 apt (DL3008)
    ("SL501", "FROM debian:12\nRUN apt-get install -y curl\n", [2]),
    ("SL501", "FROM debian:12\nRUN apt-get install -y curl=7.88.1-10\n", []),
    ("SL501", "FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl/bookworm-backports\n", []),
    ("SL501", "FROM debian:12\nRUN apt-get install -y ./local.deb\n", []),
    ("SL501", "FROM debian:12\nRUN apt-get install -y $PKGS\n", []),
    ("SL501", "FROM debian:12\nRUN apt-get install -y curl=1 git\n", [2]),
    ("SL501", "FROM debian:12\nRUN apt install -y git\n", [2]),
    ("SL501", "FROM debian:12\nRUN sudo apt-get install -y git\n", [2]),
    ("SL501", "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n", []),
    ("SL501", "FROM debian:12\nONBUILD RUN apt-get install -y git\n", [2]),
    ("SL501", "FROM debian:12\nRUN <<EOF\napt-get install -y git\nEOF\n", [2]),
    # SL502 pip (DL3013)
    ("SL502", "FROM python:3.12\nRUN pip install flask\n", [2]),
    ("SL502", "FROM python:3.12\nRUN pip install flask==3.0.3 'gunicorn>=22,<23'\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install -r requirements.txt\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install -c constraints.txt flask\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install .\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install -e .\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install ./dist/app-1.0-py3-none-any.whl\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install git+https://github.com/org/r.git@v1.2\n", []),
    ("SL502", "FROM python:3.12\nRUN pip install git+https://github.com/org/r.git\n", [2]),
    ("SL502", "FROM python:3.12\nRUN python -m pip install --upgrade pip\n", [2]),
    ("SL502", "FROM python:3.12\nRUN uv pip install --system httpx\n", [2]),
    ("SL502", "FROM python:3.12\nRUN pip3 install --no-cache-dir --index-url https://x/simple flask==3\n", []),
    ("SL502", "FROM python:3.12\nRUN pipenv install --deploy\n", []),
    # SL503 npm (DL3016)
    ("SL503", "FROM node:20\nRUN npm install -g typescript\n", [2]),
    ("SL503", "FROM node:20\nRUN npm install -g typescript@5.5.4\n", []),
    ("SL503", "FROM node:20\nRUN npm install\n", []),
    ("SL503", "FROM node:20\nRUN npm ci --omit=dev\n", []),
    ("SL503", "FROM node:20\nRUN npm install @angular/cli\n", [2]),
    ("SL503", "FROM node:20\nRUN npm install @angular/cli@17\n", []),
    ("SL503", "FROM node:20\nRUN npm install git+https://github.com/org/r.git#v1\n", []),
    ("SL503", "FROM node:20\nRUN npm install ./local-pkg\n", []),
    ("SL503", "FROM node:20\nRUN npm i -g pnpm\n", [2]),
    # SL504 apk (DL3018)
    ("SL504", "FROM alpine:3.20\nRUN apk add --no-cache curl\n", [2]),
    ("SL504", "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n", []),
    ("SL504", "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n", []),
    ("SL504", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps gcc=13.2.1-r0\n", []),
    ("SL504", "FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/pkg.apk\n", []),
    ("SL504", "FROM alpine:3.20\nRUN apk update\n", []),
    # SL505 gem (DL3028)
    ("SL505", "FROM ruby:3.3\nRUN gem install bundler\n", [2]),
    ("SL505", "FROM ruby:3.3\nRUN gem install --no-document bundler\n", [2]),
    ("SL505", "FROM ruby:3.3\nRUN gem install bundler -v 2.5.16\n", []),
    ("SL505", "FROM ruby:3.3\nRUN gem install bundler --version=2.5.16\n", []),
    ("SL505", "FROM ruby:3.3\nRUN gem install bundler:2.5.16\n", []),
    ("SL505", "FROM ruby:3.3\nRUN bundle install\n", []),
    # SL506 yum / dnf / microdnf / zypper (DL3033 / DL3041 / DL3037)
    ("SL506", "FROM rockylinux:9\nRUN dnf install -y httpd\n", [2]),
    ("SL506", "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.62\n", []),
    ("SL506", "FROM centos:7\nRUN yum -y install epel-release\n", [2]),
    ("SL506", "FROM centos:7\nRUN yum -y install nginx-1.20.1-10.el7\n", []),
    ("SL506", "FROM ubi9\nRUN microdnf install -y --nodocs shadow-utils\n", [2]),
    ("SL506", "FROM ubi9\nRUN dnf install -y https://example.com/x-1.0-1.x86_64.rpm\n", []),
    ("SL506", "FROM rockylinux:9\nRUN dnf module install -y nodejs:20\n", []),
    ("SL506", "FROM rockylinux:9\nRUN dnf module install -y nodejs\n", [2]),
    ("SL506", "FROM rockylinux:9\nRUN dnf groupinstall -y 'Development Tools'\n", []),
    ("SL506", "FROM opensuse/leap:15.6\nRUN zypper install -y curl\n", [2]),
    ("SL506", "FROM opensuse/leap:15.6\nRUN zypper in -y curl=8.0.1\n", []),
    ("SL506", "FROM rockylinux:9\nRUN dnf clean all\n", []),
]


@pytest.mark.parametrize(("code", "text", "expected"), CASES)
def test_rule(code: str, text: str, expected: list[int]) -> None:
    assert lines(code, text) == expected


@pytest.mark.parametrize("code", ["SL501", "SL502", "SL503", "SL504", "SL505", "SL506"])
def test_off_by_default(code: str) -> None:
    rule = rules_by_code()[code]
    assert not rule.default_enabled
    text = "FROM debian:12\nRUN apt-get install -y curl && pip install x && npm i -g y && apk add z\n"
    assert not [f for f in lint_text(text) if f.code == code]
    assert not [f for f in lint_text(text, LintConfig(select=["SL5"])) if f.code == code]
    enabled = LintConfig(extend_select=[code])
    assert rule in enabled.enabled_rules()


def test_hadolint_code_selects_the_rule() -> None:
    text = "FROM debian:12\nRUN apt-get install -y curl\n"
    assert [f.code for f in lint_text(text, LintConfig(select=["DL3008"]))] == ["SL501"]


@pytest.mark.parametrize(
    ("check", "name", "expected"),
    [
        (apt_pinned, "curl", False),
        (apt_pinned, "curl=7.88", True),
        (pip_pinned, "requests[socks]", False),
        (pip_pinned, "requests[socks]~=2.31", True),
        (pip_pinned, "https://example.com/pkg.tar.gz", True),
        (npm_pinned, "@scope/pkg", False),
        (npm_pinned, "@scope/pkg@1.0.0", True),
        (npm_pinned, "pkg.tgz", True),
        (apk_pinned, "python3", False),
        (apk_pinned, "python3<3.13", True),
        (rpm_pinned, "python3-devel", False),
        (rpm_pinned, "java-17-openjdk-headless", True),
        (rpm_pinned, "nginx-1:1.26.1-1.el9", True),
        (rpm_pinned, "@development-tools", False),
    ],
)
def test_pinned_predicates(check: object, name: str, expected: bool) -> None:
    assert callable(check)
    assert check(name) is expected
