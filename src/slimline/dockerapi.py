"""The one Docker Engine client: how it is made, how long it waits, how it fails.

Both sides that talk to the engine use it: :mod:`slimline.engine` (build, run,
probe) and the ``docker-daemon:`` image transport (inspect, save). A client comes
from ``$DOCKER_HOST`` and the rest of the Docker environment (or an explicit base
URL) through the Docker SDK, and answers a ping before it is handed out.

Timeouts: :data:`PING_TIMEOUT` for "is an engine there, does it hold this image"
(generous: a busy engine saving or building big images can take seconds to answer
an inspect), :data:`API_TIMEOUT` for everything else (reads of a ``docker save``
stream, builds through the API).

Errors: every failure of the SDK or the HTTP stack under it becomes one
:class:`~slimline.errors.EngineError` line (``what: first line of the cause``),
and an image the engine does not hold an :class:`~slimline.errors.ImageError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import docker
import docker.errors
import requests
import urllib3

from slimline.errors import EngineError, ImageError

PING_TIMEOUT = 30
API_TIMEOUT = 600
_DEFAULT_SOCKET = "unix:///var/run/docker.sock"


#: Everything a Docker SDK call can raise: its own errors and the HTTP stack's.
ENGINE_ERRORS: tuple[type[BaseException], ...] = (
    docker.errors.DockerException, requests.RequestException, urllib3.exceptions.HTTPError,
    OSError,
)
#: The same, and :class:`EngineError` (no engine answers): for "is it there" questions.
UNAVAILABLE: tuple[type[BaseException], ...] = (EngineError, *ENGINE_ERRORS)


def short_error(exc: BaseException) -> str:
    """The first line of an error (300 characters at most), for one-line messages."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def where(base_url: str | None = None) -> str:
    """The address a client connects to: ``base_url``, else ``$DOCKER_HOST``, else the socket."""
    return base_url or os.environ.get("DOCKER_HOST") or _DEFAULT_SOCKET


def connect(base_url: str | None = None, *, timeout: float = API_TIMEOUT) -> Any:
    """A ``docker.DockerClient`` that answered a ping; :class:`EngineError` when none does."""
    try:
        if base_url is not None:
            client = docker.DockerClient(base_url=base_url, timeout=int(timeout))
        else:
            client = docker.from_env(timeout=int(timeout))
        client.ping()
    except ENGINE_ERRORS as exc:
        raise EngineError(f"no Docker engine answers at {where(base_url)}: "
                          f"{short_error(exc)}") from None
    return client


def api_client(timeout: float = API_TIMEOUT) -> Any:
    """The low-level ``docker.APIClient`` of :func:`connect` (inspect, save, history)."""
    return connect(timeout=timeout).api


@contextmanager
def engine_call(what: str, *, absent: str | None = None) -> Iterator[None]:
    """Translate Docker SDK errors raised inside the block into one-line errors.

    With ``absent``, an image or object the engine does not hold is an
    :class:`ImageError` ``what: absent``; every other failure is an
    :class:`EngineError` ``what: cause``.
    """
    try:
        yield
    except docker.errors.NotFound as exc:
        if absent is not None:
            raise ImageError(f"{what}: {absent}") from None
        raise EngineError(f"{what}: {short_error(exc)}") from None
    except ENGINE_ERRORS as exc:
        raise EngineError(f"{what}: {short_error(exc)}") from None


def engine_has_image(name: str) -> bool:
    """True when an engine answers (within :data:`PING_TIMEOUT`) and holds ``name``."""
    try:
        api_client(PING_TIMEOUT).inspect_image(name)
    except UNAVAILABLE:
        return False
    return True
