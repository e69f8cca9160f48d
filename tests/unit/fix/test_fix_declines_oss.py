"""Structural fixes that cannot know decline with the reason (sample-app/open-source half
of the real-world corpus): USER, the base swap and the Python multi-stage rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.dockerfile.parser import parse_file
from slimline.fix.engine import FixResult, fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig


def _fix(tmp_path: Path, text: str, code: str) -> FixResult:
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    config = LintConfig(select=[code])
    return fix_dockerfile(parse_file(path), config, None, unsafe=True, options=FixOptions())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (  # example-voting-app's vote: gunicorn on port 80
            'FROM python:3.11-slim\nCOPY . /app\nEXPOSE 80\nCMD ["gunicorn", "-b", "0.0.0.0:80"]\n',
            "port 80",
        ),
        ("FROM nginx:1.25\nCOPY nginx.conf /etc/nginx/conf.d/\n", "nginx"),
        (  # azure-voting-app's App Service image
            'FROM python:3.11-slim\nCOPY app /app\nCMD ["/usr/bin/supervisord"]\n',
            "`supervisord`",
        ),
        (
            'FROM alpine:3.20\nRUN apk add --no-cache docker-cli\nENTRYPOINT ["/bin/tool"]\n',
            "Docker daemon",
        ),
        # minio's images: the base's own user and start-up are not visible here
        ('FROM registry.example.com/custom:1\nCOPY app /app\nCMD ["/app"]\n', "does not know"),
        (  # nextcloud: the entrypoint fills the volume as root
            'FROM php:8.3-fpm-alpine\nVOLUME /var/www/html\nCMD ["php-fpm"]\n',
            "volume of line 2",
        ),
        ('FROM alpine:3.20\nCOPY watchtower /\nENTRYPOINT ["/watchtower"]\n', "Docker"),
        (  # awesome-compose: Docker Dev Environments targets
            'FROM python:3.11-slim AS builder\nFROM builder AS dev-envs\nCMD ["python"]\n',
            "development target",
        ),
        (  # an old mumble image: murmurd runs as the mumble-server user the package makes
            "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y mumble-server\n"
            'CMD ["/usr/sbin/murmurd"]\n',
            "`mumble-server`",
        ),
        # caddy's builder image: others build FROM it
        ("FROM golang:1.22-alpine\nRUN apk add --no-cache git\n", "no ENTRYPOINT or CMD"),
    ],
)
def test_user_is_not_guessed(tmp_path: Path, text: str, reason: str) -> None:
    result = _fix(tmp_path, text, "SL301")
    assert "USER" not in result.fixed
    if any(f.code == "SL301" for f in result.findings):
        # reported, then declined with the reason (the lint may also stay silent: images
        # made to be built on, a web-server base that drops its workers itself)
        assert any(code == "SL301" and reason in note for _, code, note in result.notes)


def test_user_added_where_nothing_says_root(tmp_path: Path) -> None:
    result = _fix(
        tmp_path, 'FROM python:3.11-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n', "SL301"
    )
    assert "USER 10001" in result.fixed


def test_busybox_gets_its_adduser(tmp_path: Path) -> None:
    # compose-go's test image: busybox has adduser, not useradd
    text = 'FROM busybox:1.31.0-uclibc\nCOPY server /server\nCMD ["/server"]\n'
    fixed = _fix(tmp_path, text, "SL301").fixed
    assert "RUN adduser -S -D -H -u 10001 app\n" in fixed


def test_deliberate_root_is_kept(tmp_path: Path) -> None:
    # sentry's cron image: `USER 0` with no other user before it
    text = 'FROM debian:bookworm-slim\nUSER 0\nENTRYPOINT ["/entrypoint.sh"]\n'
    result = _fix(tmp_path, text, "SL301")
    assert result.fixed == text
    assert any("on purpose" in note for _, _, note in result.notes)
    back = 'FROM debian:bookworm-slim\nUSER app\nRUN true\nUSER root\nCMD ["app"]\n'
    assert "USER root" not in _fix(tmp_path, back, "SL301").fixed


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("php:8.3-apache-trixie", "apache variant"),  # nextcloud: fpm-alpine is no drop-in
        ("php:8.3-fpm-trixie", "runs `apt-get`"),  # Debian script on an Alpine base
    ],
)
def test_base_swap_declines(tmp_path: Path, base: str, reason: str) -> None:
    text = (
        f"FROM {base}\nRUN apt-get update && apt-get install -y --no-install-recommends "
        'rsync && rm -rf /var/lib/apt/lists/*\nCMD ["php-fpm"]\n'
    )
    result = _fix(tmp_path, text, "SL101")
    assert f"FROM {base}\n" in result.fixed
    assert any(code == "SL101" and reason in note for _, code, note in result.notes)


_WHEELS = (
    "FROM python:3.11-slim AS builder\n"
    "RUN pip wheel --no-cache-dir --wheel-dir /wheels flask\n"
    "FROM python:3.11-slim\n"
    "RUN apt-get update && apt-get install -y gcc\n"
    "COPY --from=builder /wheels /wheels\n"
    "RUN pip install --no-cache /wheels/*\n"
    "COPY . /app\n"
    'CMD ["python", "/app/app.py"]\n'
)


def test_python_rewrite_needs_a_python_base(tmp_path: Path) -> None:
    # traefik's docs image: python3 comes from apk on alpine
    text = (
        "FROM alpine:3.20\nRUN apk add --no-cache py3-pip gcc musl-dev python3-dev \\\n"
        "  && python3 -m venv /venv && . /venv/bin/activate && pip3 install -r requirements.txt\n"
        'CMD ["mkdocs"]\n'
    )
    result = _fix(tmp_path, text, "SL103")
    assert "AS builder" not in result.fixed
    assert any("not a python image" in note for _, _, note in result.notes)


def test_python_rewrite_never_reuses_a_stage_name(tmp_path: Path) -> None:
    # testdriven's Dockerfile.prod: a wheels stage is called `builder` already
    fixed = _fix(tmp_path, _WHEELS, "SL103").fixed
    assert fixed.count(" AS builder\n") == 1
    assert "FROM python:3.11-slim AS builder2\n" in fixed


def test_python_rewrite_declines_when_users_are_set_up_before_install(tmp_path: Path) -> None:
    text = _WHEELS.replace(
        "COPY --from=builder",
        "RUN addgroup --system app && adduser --system app\nCOPY --from=builder",
    )
    result = _fix(tmp_path, text, "SL103")
    assert "builder2" not in result.fixed
    assert any("sets up users" in note for _, _, note in result.notes)
