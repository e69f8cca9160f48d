"""A registry on 127.0.0.1 that misbehaves on purpose, for the hostile-input tests.

It serves one small valid image, ``hostile/img:1`` (manifest, config, two layers),
and answers any of its routes (``manifest``, ``config``, ``layer``, ``token``) with an
:class:`Act` instead: a status, a body sent one byte at a time, a body that announces
1 GiB or never ends, a stall after the headers, a redirect loop, a Bearer challenge
whose token endpoint fails. It listens on loopback only, every loop is bounded (in
bytes and in time) and :func:`serve` stops it, so no test can leave it running.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gen import OCI_MANIFEST, oci_files, small_layer

REPO = "hostile/img"
TAG = "1"
#: No body is sent for longer than this, nor larger than MAX_BYTES.
MAX_SECONDS = 40.0
MAX_BYTES = 1100 * 1024 * 1024


@dataclass(frozen=True)
class Act:
    """How to answer one route.

    ``kind``: ``status`` (``status``, ``body``), ``trickle`` (``body`` or the real
    content, one byte every ``delay`` s), ``flood`` (``length`` bytes of ``fill`` at full speed, announced
    as ``announce`` when set, else no length), ``stall`` (headers, then nothing),
    ``redirect`` (to ``location``), ``body`` (``body`` with a correct digest header),
    ``bearer`` (a challenge whose realm is ``location``).
    """

    kind: str
    status: int = 200
    body: bytes = b""
    delay: float = 1.0
    length: int = 0
    announce: int | None = None
    fill: bytes = b" "
    location: str = ""


@dataclass
class Registry:
    address: str
    acts: dict[str, Act]
    image: dict[str, bytes]
    requests: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def reference(self) -> str:
        return f"docker://{self.address}/{REPO}:{TAG}"


def _image() -> dict[str, bytes]:
    files = oci_files([small_layer(), small_layer("srv/x.txt")])
    index = json.loads(files["index.json"])
    digest = index["manifests"][0]["digest"]
    return {**files, "tag": files["blobs/sha256/" + digest.split(":")[1]]}


def _route(path: str, registry: Registry) -> tuple[str, bytes]:
    """Which route a path is, and the real content behind it."""
    if path.startswith("/token"):
        return "token", json.dumps({"token": "t"}).encode()
    prefix = f"/v2/{REPO}/"
    if not path.startswith(prefix):
        return "other", b""
    rest = path[len(prefix):]
    kind, _, ref = rest.partition("/")
    if kind == "manifests":
        data = registry.image["tag"] if ref == TAG else registry.image.get(
            "blobs/sha256/" + ref.partition(":")[2], b"")
        return "manifest", data
    data = registry.image.get("blobs/sha256/" + ref.partition(":")[2], b"")
    manifest = json.loads(registry.image["tag"])
    return ("config" if ref == manifest["config"]["digest"] else "layer"), data


def _handler(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _head(self, status: int, headers: dict[str, str]) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self._head(status, {"Content-Length": str(len(body)), **(headers or {})})
            self.wfile.write(body)

        def _bounded(self, chunks: Iterator[bytes]) -> None:
            """Write chunks until the client leaves, the test ends or a bound is hit."""
            start, sent = time.monotonic(), 0
            try:
                for chunk in chunks:
                    if (registry.stop.is_set() or time.monotonic() - start > MAX_SECONDS
                            or sent > MAX_BYTES):
                        break
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    sent += len(chunk)
            except OSError:
                pass
            self.close_connection = True

        def do_GET(self) -> None:
            registry.requests.append(self.path)
            route, data = _route(self.path, registry)
            if route == "other":
                self._send(200 if self.path == "/v2/" else 404, b"{}")
                return
            act = registry.acts.get(route)
            if act is None:
                media = {"Content-Type": OCI_MANIFEST} if route == "manifest" else {}
                self._send(200 if data else 404, data, media)
            elif act.kind == "status":
                self._send(act.status, act.body, {"Content-Type": "application/json"})
            elif act.kind == "body":
                self._send(200, act.body, {"Content-Type": OCI_MANIFEST})
            elif act.kind == "redirect":
                self._send(302, b"", {"Location": act.location or self.path})
            elif act.kind == "bearer":
                if self.headers.get("Authorization"):
                    self._send(200, data, {"Content-Type": OCI_MANIFEST})
                    return
                self._send(401, b"{}", {"WWW-Authenticate": f'Bearer realm="{act.location}",'
                                        f'service="hostile",scope="repository:{REPO}:pull"'})
            elif act.kind == "trickle":
                data = act.body or data
                self._head(200, {"Content-Length": str(len(data)), "Content-Type": OCI_MANIFEST})
                self._bounded(_trickle(data, act.delay, registry.stop))
            elif act.kind == "stall":
                self._head(200, {"Content-Length": str(len(data) or 1000),
                                 "Content-Type": OCI_MANIFEST})
                self._bounded(_trickle(b"", 0, registry.stop, wait=True))
            elif act.kind == "flood":
                headers = {"Content-Type": OCI_MANIFEST}
                if act.announce is not None:
                    headers["Content-Length"] = str(act.announce)
                else:
                    headers["Connection"] = "close"
                self._head(200, headers)
                block = act.fill * (1024 * 1024 // len(act.fill))
                self._bounded(iter([block] * (act.length // len(block))))
            else:
                raise AssertionError(act.kind)

    return Handler


def _trickle(data: bytes, delay: float, stop: threading.Event,
             wait: bool = False) -> Iterator[bytes]:
    for i in range(len(data)):
        if stop.wait(delay):
            return
        yield data[i:i + 1]
    while wait and not stop.wait(0.2):
        yield b""


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(acts: dict[str, Act]) -> Iterator[Registry]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    registry = Registry(f"127.0.0.1:{server.server_address[1]}", acts, _image())
    server.RequestHandlerClass = _handler(registry)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield registry
    finally:
        registry.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
