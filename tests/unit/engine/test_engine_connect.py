"""Connecting to an engine that is not there gives one clear EngineError."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.engine import Engine, engine_available
from slimline.errors import EngineError


def test_connect_to_missing_socket(tmp_path: Path) -> None:
    url = f"unix://{tmp_path / 'no-such-docker.sock'}"
    with pytest.raises(EngineError) as info:
        Engine.connect(url, timeout=5)
    message = str(info.value)
    assert message.startswith(f"no Docker engine answers at {url}: ")
    assert "\n" not in message


def test_engine_available_says_why_not(tmp_path: Path) -> None:
    url = f"unix://{tmp_path / 'no-such-docker.sock'}"
    ok, reason = engine_available(url)
    assert ok is False
    assert url in reason
