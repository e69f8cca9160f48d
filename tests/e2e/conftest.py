"""Fixtures for end-to-end tests against the real Docker engine and local registry.

Every test in this directory needs the test bed (``bash testbed/setup.sh``).
Without an engine they are skipped with the reason, except when
``SLIMLINE_REQUIRE_ENGINE=1`` (CI sets it): then they fail, so that a broken
test bed cannot pass as a green run.

Fixtures:

``engine``
    a connected :class:`slimline.engine.Engine` (session).
``registry``
    ``host:port`` of the local registry (``$SLIMLINE_REGISTRY``, else what
    setup.sh recorded), checked to answer ``GET /v2/`` on loopback.
``build_image``
    ``build_image(context, name=..., **build_kwargs) -> BuiltImage``: builds
    with the engine under a unique ``slimline-e2e/NAME:TOKEN`` tag, removed at
    the end of the session.
``example_image``
    ``example_image("fastapi-naive") -> BuiltImage``: the example's own
    Dockerfile built once per session, without the build cache (shared by
    every test that asks).
``examples_dir``
    the repository's ``examples/`` directory.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol

import pytest

from slimline.engine import BuildResult, Engine, engine_available
from slimline.errors import EngineError

REQUIRE_ENV = "SLIMLINE_REQUIRE_ENGINE"
REGISTRY_ENV = "SLIMLINE_REGISTRY"
STATE_DIR = Path(os.environ.get("SLIMLINE_TESTBED_STATE", "/var/lib/slimline-testbed"))
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
TAG_REPOSITORY = "slimline-e2e"


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") == "1"


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the test bed is required."""
    message = f"{reason} (run: bash testbed/setup.sh)"
    if _required():
        pytest.fail(f"{REQUIRE_ENV}=1 but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def _engine_status() -> tuple[bool, str]:
    return engine_available()


@pytest.fixture(autouse=True)
def _needs_engine(_engine_status: tuple[bool, str]) -> None:
    """Every test in tests/e2e needs the engine: skip (or fail) without one."""
    ok, reason = _engine_status
    if not ok:
        _unavailable(f"no Docker engine: {reason}")


@pytest.fixture(scope="session")
def engine(_engine_status: tuple[bool, str]) -> Iterator[Engine]:
    ok, reason = _engine_status
    if not ok:
        _unavailable(f"no Docker engine: {reason}")
    with Engine.connect() as connected:
        yield connected


def _recorded_registry() -> str | None:
    env_file = STATE_DIR / "testbed.env"
    try:
        lines = env_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.partition("=")
        if key.strip() == REGISTRY_ENV and value.strip():
            return value.strip()
    return None


def registry_answers(address: str, timeout: float = 3.0) -> tuple[bool, str]:
    """Whether a distribution registry answers ``GET /v2/`` at ``address`` (loopback only)."""
    host, _, port = address.rpartition(":")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback or not port.isdigit():
        return False, f"{address} is not a loopback host:port"
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", "/v2/")
        response = connection.getresponse()
        response.read()
        api = response.getheader("Docker-Distribution-Api-Version", "")
    except OSError as exc:
        return False, f"nothing answers at http://{address}/v2/ ({exc})"
    finally:
        connection.close()
    if response.status != 200 or not api.startswith("registry/2"):
        return False, f"http://{address}/v2/ answered {response.status} without a registry header"
    return True, f"registry at {address}"


@pytest.fixture(scope="session")
def registry() -> str:
    address = os.environ.get(REGISTRY_ENV) or _recorded_registry()
    if not address:
        _unavailable(f"no local registry: {REGISTRY_ENV} is unset and setup.sh recorded none")
    ok, reason = registry_answers(address)
    if not ok:
        _unavailable(f"no local registry: {reason}")
    return address


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@dataclass(frozen=True)
class BuiltImage:
    """An image built for a test: its unique tag and the build's result."""

    tag: str
    result: BuildResult
    context: Path

    @property
    def image_id(self) -> str:
        return self.result.image_id


class BuildImage(Protocol):
    def __call__(self, context: Path, *, name: str, **kwargs: Any) -> BuiltImage: ...


@pytest.fixture(scope="session")
def build_image(engine: Engine) -> Iterator[BuildImage]:
    session = uuid.uuid4().hex[:10]
    tags: list[str] = []

    def build(context: Path, *, name: str, **kwargs: Any) -> BuiltImage:
        tag = f"{TAG_REPOSITORY}/{name}:{session}-{len(tags)}"
        tags.append(tag)
        result = engine.build(context, tag=tag, **kwargs)
        return BuiltImage(tag=tag, result=result, context=context)

    yield build
    problems = []
    for tag in tags:
        try:
            engine.remove_image(tag)
        except EngineError as exc:
            problems.append(str(exc))
    assert not problems, problems


@pytest.fixture(scope="session")
def example_image(build_image: BuildImage) -> Callable[[str], BuiltImage]:
    built: dict[str, BuiltImage] = {}

    def get(name: str) -> BuiltImage:
        if name not in built:
            context = EXAMPLES / name
            if not (context / "Dockerfile").is_file():
                raise FileNotFoundError(f"no example {name!r} in {EXAMPLES}")
            # without the build cache, so that the recorded build time is a real one
            built[name] = build_image(context, name=name, no_cache=True)
        return built[name]

    return get
