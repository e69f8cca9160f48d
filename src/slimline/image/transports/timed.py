"""HTTP for the registry transport: every exchange has a deadline and a stall rule.

A server that answers slowly on purpose (one byte every few seconds) never makes a
socket time out, since every byte restarts the socket's timer. So, on top of the
socket timeouts:

* the response headers must arrive before the request's deadline: a watchdog
  shuts the connection's socket down when it passes (see :func:`pool_manager`);
* a body is read in the pieces the socket delivers (``read1``), and after each
  one the deadline is checked, as is progress: less than :data:`STALL_BYTES` in
  :data:`STALL_SECONDS` is a stall;
* a body read whole (a manifest, an index, a config, a token, an error) is
  refused as soon as it grows past its limit, while it streams in.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from slimline.errors import RegistryError, SlimlineError

#: No download may go this long with less than STALL_BYTES arriving.
STALL_SECONDS = 30.0
STALL_BYTES = 16 * 1024
#: The deadline of an exchange whose body is a document (manifest, config, token...).
DOCUMENT_SECONDS = 120.0
#: A layer blob gets DOCUMENT_SECONDS plus its size at this rate (bytes per second).
MIN_BLOB_RATE = 256 * 1024
_CONNECT_SECONDS = 15.0
#: Environment variables that set DOCUMENT_SECONDS and STALL_SECONDS (seconds, > 0), for a
#: registry known to be slow (or, in tests, to fail fast against a misbehaving one).
TIMEOUT_ENV = "SLIMLINE_REGISTRY_TIMEOUT"
STALL_ENV = "SLIMLINE_REGISTRY_STALL_TIMEOUT"

_current = threading.local()


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 86400 * 7:
        raise SlimlineError(f"{name}={raw!r}: expected a number of seconds above 0")
    return value


def document_seconds() -> float:
    """The deadline of a document exchange: DOCUMENT_SECONDS, or $SLIMLINE_REGISTRY_TIMEOUT."""
    return _seconds(TIMEOUT_ENV, DOCUMENT_SECONDS)


def stall_seconds() -> float:
    """How long a download may bring less than STALL_BYTES: STALL_SECONDS, or
    $SLIMLINE_REGISTRY_STALL_TIMEOUT."""
    return _seconds(STALL_ENV, STALL_SECONDS)


def deadline_for(size: int | None = None) -> float:
    """The monotonic-clock deadline of an exchange starting now, for a body of ``size``."""
    extra = (size or 0) / MIN_BLOB_RATE
    return time.monotonic() + document_seconds() + extra


class Deadline:
    """Sets the deadline of the exchanges the current thread starts inside the block."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __enter__(self) -> Deadline:
        self._saved = getattr(_current, "deadline", None)
        _current.deadline = self.deadline
        return self

    def __exit__(self, *exc: object) -> None:
        _current.deadline = self._saved


def _watched(conn: Any, getresponse: Any) -> Any:
    """Call ``getresponse``; past the thread's deadline, shut the socket down and fail."""
    deadline = getattr(_current, "deadline", None)
    sock = getattr(conn, "sock", None)
    if deadline is None or sock is None:
        return getresponse()
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), expire)
    timer.daemon = True
    timer.start()
    try:
        response = getresponse()
    except Exception:
        if fired.is_set():
            raise urllib3.exceptions.ProtocolError("no answer in time") from None
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise urllib3.exceptions.ProtocolError("no answer in time")
    return response


class _HTTPConnection(HTTPConnection):
    def getresponse(self) -> Any:
        return _watched(self, super().getresponse)


class _HTTPSConnection(HTTPSConnection):
    def getresponse(self) -> Any:
        return _watched(self, super().getresponse)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def pool_manager(pool_size: int, headers: dict[str, str]) -> urllib3.PoolManager:
    """A pool whose connections stop waiting for headers at the current deadline."""
    pool = urllib3.PoolManager(
        num_pools=4,
        maxsize=pool_size,
        timeout=urllib3.Timeout(connect=_CONNECT_SECONDS, read=stall_seconds()),
        retries=urllib3.Retry(total=5, connect=0, read=0, status=0, redirect=5,
                              raise_on_redirect=True, raise_on_status=False),
        headers=headers,
    )
    pool.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    return pool


def short_error(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    text = str(reason or exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__


class Body:
    """Reads one response body under a deadline and the stall rule."""

    def __init__(self, resp: Any, what: str, deadline: float) -> None:
        self._resp = resp
        self._what = what
        self._deadline = deadline
        self._window_start = time.monotonic()
        self._window_bytes = 0
        self._stall = stall_seconds()

    def _account(self, got: int) -> None:
        now = time.monotonic()
        self._window_bytes += got
        if self._window_bytes >= STALL_BYTES:
            self._window_start, self._window_bytes = now, 0
        elif now - self._window_start > self._stall:
            raise RegistryError(f"{self._what}: download stalled (less than {STALL_BYTES} "
                                f"bytes in {self._stall:g} s; {STALL_ENV} sets the time)")
        if now > self._deadline:
            raise RegistryError(f"{self._what}: download did not finish in time "
                                f"({TIMEOUT_ENV} sets the deadline of a document)")

    def chunk(self, n: int) -> bytes:
        """Up to ``n`` bytes, as soon as some arrive (``b""`` at the end)."""
        try:
            data = bytes(self._resp.read1(n))
        except urllib3.exceptions.HTTPError as exc:
            raise RegistryError(f"{self._what}: download failed: {short_error(exc)}") from None
        self._account(len(data))
        return data

    def read(self, n: int = -1, /) -> bytes:
        """``n`` bytes (fewer only at the end), or the rest when ``n`` < 0."""
        if n < 0:
            return self.all(1 << 62)
        parts = []
        want = n
        while want > 0:
            data = self.chunk(min(want, 1 << 20))
            if not data:
                break
            parts.append(data)
            want -= len(data)
        return b"".join(parts)

    def readinto(self, view: memoryview, /) -> int:
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def all(self, limit: int, subject: str = "response") -> bytes:
        """The whole body; :class:`RegistryError` as soon as it exceeds ``limit`` bytes."""
        announced = self._resp.headers.get("Content-Length", "")
        if announced.isdigit() and int(announced) > limit:
            raise RegistryError(f"{self._what}: {subject} too large ({announced} bytes, "
                                f"at most {limit})")
        buf = bytearray()
        while data := self.chunk(min(1 << 16, limit + 1 - len(buf))):
            buf += data
            if len(buf) > limit:
                raise RegistryError(f"{self._what}: {subject} too large (more than {limit} "
                                    "bytes)")
        return bytes(buf)


def discard(resp: Any) -> None:
    """Give up on a response without reading it (its connection is closed)."""
    resp.close()
    resp.release_conn()
