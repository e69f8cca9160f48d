"""The ``docker-daemon:`` transport: images in the local Docker Engine.

The Engine API's ``GET /images/{name}/get`` streams what ``docker save`` writes; the
stream is read in one forward pass (see :mod:`slimline.image.archive`), so no
temporary file is written and only layer headers are kept in memory. Both the
legacy layout and the OCI layout of Docker >= 25 are understood.
"""

from __future__ import annotations

from typing import Any

from slimline.errors import EngineError, ImageError
from slimline.image.archive import read_archive_stream
from slimline.image.model import Image, Platform
from slimline.image.read import ProgressSink
from slimline.image.streams import ChunkStream

#: A daemon that does not answer within this long counts as absent. Generous: a busy
#: engine (saving or building big images) can take seconds to answer an inspect.
_PING_TIMEOUT = 30
_API_TIMEOUT = 600


def engine_client(timeout: int = _API_TIMEOUT) -> Any:
    """A low-level Docker API client from the environment (DOCKER_HOST etc.).

    Raises :class:`EngineError` when the Docker SDK is missing or no engine answers.
    """
    try:
        import docker
        from docker.errors import DockerException
    except ImportError:  # pragma: no cover - declared dependency
        raise EngineError("the Docker SDK for Python is not installed") from None
    try:
        client = docker.from_env(timeout=timeout)
        api = client.api
        api.ping()
    except (DockerException, *transport_errors()) as exc:
        raise EngineError(f"no Docker engine answers ({_first_line(exc)})") from None
    return api


def transport_errors() -> tuple[type[BaseException], ...]:
    """Errors of the HTTP stack under the Docker SDK (requests, urllib3, sockets)."""
    import requests
    import urllib3

    return (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


def daemon_available() -> bool:
    """True when a Docker engine answers a ping within a few seconds."""
    try:
        engine_client(timeout=_PING_TIMEOUT)
    except EngineError:
        return False
    return True


def daemon_has_image(name: str) -> bool:
    """True when a Docker engine answers and holds an image called ``name``."""
    from docker.errors import DockerException

    try:
        api = engine_client(timeout=_PING_TIMEOUT)
        api.inspect_image(name)
    except (EngineError, DockerException, *transport_errors()):
        return False
    return True


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_daemon(
    name: str,
    reference: str,
    *,
    platform: Platform | None = None,
    verify_all: bool = False,
    progress: ProgressSink | None = None,
) -> Image:
    """Read image ``name`` from the Docker engine (layers are scanned on the way)."""
    what = f"docker-daemon:{name}"
    api = engine_client()
    from docker.errors import APIError, ImageNotFound

    try:
        info = api.inspect_image(name)
    except ImageNotFound:
        raise ImageError(f"{what}: no such image in the Docker engine") from None
    except APIError as exc:
        raise EngineError(f"{what}: {_first_line(exc)}") from None
    if platform is not None:
        have = Platform(str(info.get("Os", "")), str(info.get("Architecture", "")),
                        str(info.get("Variant", "") or ""))
        if not platform.matches(have):
            raise ImageError(f"{what}: the engine holds {have}, not {platform}")
    try:
        chunks = api.get_image(name)
        image = read_archive_stream(
            ChunkStream(iter(chunks)),
            ref=None,
            platform=platform,
            transport="docker-daemon",
            reference=reference,
            what=what,
            verify_all=verify_all,
            progress=progress,
            total_hint=int(info.get("Size") or 0),
        )
    except APIError as exc:
        raise EngineError(f"{what}: {_first_line(exc)}") from None
    except transport_errors() as exc:  # connection dropped mid-stream
        raise EngineError(f"{what}: reading the image from the engine failed: "
                          f"{_first_line(exc)}") from None
    tags = info.get("RepoTags") or []
    image.name = str(tags[0]) if tags else name
    return image
