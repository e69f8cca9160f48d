"""The non-root fix (SL301) on real-world shapes (issue 12): where USER must not be added,
and where the user is created."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.dockerfile.parser import parse_file
from slimline.fix.engine import fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig

_SCRIPT = (
    "FROM debian:bookworm-slim\n"
    "RUN set -eux; \\\n"
    "    apt-get update; \\\n"
    "    apt-get install -y --no-install-recommends ca-certificates; \\\n"
    "    rm -rf /var/lib/apt/lists/*\n"
    "COPY app /usr/local/bin/app\n"
    'CMD ["app"]\n'
)


def _fixed(tmp_path: Path, text: str, where: str = "Dockerfile") -> str:
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    config = LintConfig(select=["SL301"])
    return fix_dockerfile(parse_file(path), config, path.parent, unsafe=True, options=FixOptions()).fixed


def test_useradd_is_its_own_run_before_user(tmp_path: Path) -> None:
    fixed = _fixed(tmp_path, _SCRIPT)
    assert fixed.startswith(_SCRIPT.split("COPY")[0])  # the set -eux script is untouched
    assert (
        "COPY app /usr/local/bin/app\n"  # a system path stays root's
        "RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app\n"
        "USER 10001\n"
        'CMD ["app"]\n'
    ) in fixed


def test_the_new_user_owns_what_the_stage_copies_from_the_context(tmp_path: Path) -> None:
    text = (
        "FROM builder-image AS build\n"
        "COPY . /src\n"
        "FROM python:3.11-slim\n"
        "WORKDIR /app\n"
        "copy --from=build /src/wheels /wheels\n"
        "COPY --chown=0:0 config.yaml /etc/app/\n"
        "COPY \\\n    data/ data/\n"
        "ADD app.py .\n"
        'CMD ["python", "app.py"]\n'
    )
    fixed = _fixed(tmp_path, text)
    assert "COPY . /src\n" in fixed  # a stage that does not ship
    assert "copy --from=build /src/wheels /wheels\n" in fixed  # built files stay root's
    assert "COPY --chown=0:0 config.yaml" in fixed  # an explicit owner is kept
    assert "COPY --chown=10001 \\\n    data/ data/\n" in fixed
    assert "ADD --chown=10001 app.py .\n" in fixed


_GOSU_ENTRYPOINT = (
    "FROM debian:bookworm-slim\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends gosu \\\n"
    "    && rm -rf /var/lib/apt/lists/*\n"
    "COPY docker-entrypoint.sh /usr/local/bin/\n"
    'ENTRYPOINT ["docker-entrypoint.sh"]\n'
    'CMD ["postgres"]\n'
)
_WINDOWS = (
    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
    'SHELL ["powershell", "-Command"]\n'
    "COPY app.exe C:/app/\n"
    'CMD ["C:/app/app.exe"]\n'
)


@pytest.mark.parametrize("text", [_GOSU_ENTRYPOINT, _WINDOWS], ids=["gosu-entrypoint", "windows"])
def test_no_user_where_the_image_handles_its_users(tmp_path: Path, text: str) -> None:
    assert _fixed(tmp_path, text) == text


def test_no_user_in_a_dev_container(tmp_path: Path) -> None:
    assert _fixed(tmp_path, _SCRIPT, ".devcontainer/Dockerfile") == _SCRIPT
    assert "USER 10001" in _fixed(tmp_path, _SCRIPT, "app/Dockerfile")
