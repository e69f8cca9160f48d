"""`fix --unsafe` changes judged to break the original on the labelled real-world corpus
(tests/realworld): each with a case that must stay as written and one that is still fixed."""

from __future__ import annotations

from pathlib import Path

from slimline.dockerfile.parser import parse_file
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig


def _fixed(tmp_path: Path, text: str, where: str = "Dockerfile", select: str = "SL301") -> str:
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    (path.parent / "app").write_text("")
    config = LintConfig(select=[select])
    return fix_dockerfile(
        parse_file(path), config, path.parent, unsafe=True, options=FixOptions()
    ).fixed


_SERVER = "FROM debian:bookworm-slim\n{body}CMD {cmd}\n"


def test_no_user_for_servers_installed_from_packages_or_on_privileged_ports(tmp_path: Path) -> None:
    for body, cmd in [
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends tomcat10\n",
            '["catalina.sh", "run"]',
        ),
        ("COPY app /usr/local/bin/app\nEXPOSE 80\n", '["app"]'),
        ("COPY dockerd-entrypoint.sh /usr/local/bin/\nCOPY app /srv/app\n", '["dockerd"]'),
        ("RUN groupadd -r www-data\nCOPY --chown=www-data:www-data app /var/www/\n", '["php-fpm"]'),
        ("COPY docker-entrypoint.sh /usr/local/bin/\n", '["prometheus"]'),
    ]:
        text = _SERVER.format(body=body, cmd=cmd)
        assert _fixed(tmp_path, text) == text, body
    app = _SERVER.format(body="COPY app /srv/app\nEXPOSE 8080\n", cmd='["/srv/app"]')
    assert "USER 10001" in _fixed(tmp_path, app)


def test_no_base_swap_to_another_platform(tmp_path: Path) -> None:
    apache = 'FROM php:8.3-apache\nRUN apt-get update && apt-get install -y --no-install-recommends libzip-dev && rm -rf /var/lib/apt/lists/*\nCOPY app /var/www/html/\nCMD ["apache2-foreground"]\n'
    assert _fixed(tmp_path, apache, select="SL101") == apache
    fpm = 'FROM php:8.3-fpm\nRUN apt-get update && apt-get install -y --no-install-recommends libzip-dev && rm -rf /var/lib/apt/lists/*\nCOPY app /var/www/html/\nCMD ["php-fpm"]\n'
    assert _fixed(tmp_path, fpm, select="SL101") == fpm
    plain = 'FROM php:8.3-fpm\nCOPY app /var/www/html/\nCMD ["php-fpm"]\n'
    assert "FROM php:8.3-fpm-alpine" in _fixed(tmp_path, plain, select="SL101")


def test_a_flag_is_not_added_where_a_variable_may_hold_it(tmp_path: Path) -> None:
    text = (
        "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y $noInstallRecommends curl "
        '&& rm -rf /var/lib/apt/lists/*\nCMD ["/app"]\n'
    )
    assert _fixed(tmp_path, text, select="SL109") == text
    assert "--no-install-recommends" in _fixed(
        tmp_path, text.replace("$noInstallRecommends ", ""), select="SL109"
    )


def test_a_dev_container_is_not_rewritten_into_stages(tmp_path: Path) -> None:
    text = "FROM python:3.12\nRUN python3 -m pip install --upgrade setuptools==80.0.0\n"
    assert "AS builder" not in _fixed(tmp_path, text, ".devcontainer/Dockerfile", select="SL1")
    assert "AS builder" in _fixed(
        tmp_path / "x", text + 'COPY . /app\nCMD ["python3", "/app/main.py"]\n', select="SL1"
    )


def test_a_clean_up_runs_as_the_install_did(tmp_path: Path) -> None:
    text = 'FROM cimg/base:2024.01\nRUN sudo npm install -g pnpm\nCMD ["/app"]\n'
    assert "RUN sudo npm install -g pnpm && sudo npm cache clean --force\n" in _fixed(
        tmp_path, text, select="SL114"
    )
    plain = text.replace("sudo ", "")
    assert "RUN npm install -g pnpm && npm cache clean --force\n" in _fixed(
        tmp_path, plain, select="SL114"
    )
