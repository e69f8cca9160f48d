"""A hostile or broken registry (on 127.0.0.1) cannot hang slimline or make it read too much.

Each server here misbehaves in one way: drips its headers or its body, never
stops retrying, sends an endless or huge document, or fails its token service.
The limits are made small for the tests; the rules are the same.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from imagebuilder import Spec, f, layer, sha, write_legacy_archive

from slimline.errors import ImageError, RegistryError
from slimline.image import iter_layer_scans, open_image
from slimline.image.transports import registry, timed

Handler = Callable[[socket.socket, bytes], None]


@contextmanager
def raw_server(handle: Handler) -> Iterator[tuple[str, list[bytes]]]:
    """A TCP server on 127.0.0.1 that gives each request's head to ``handle``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    requests: list[bytes] = []
    stop = threading.Event()

    def serve_one(conn: socket.socket) -> None:
        with conn:
            head = b""
            try:
                while b"\r\n\r\n" not in head:
                    data = conn.recv(4096)
                    if not data or data[:1] == b"\x16":  # closed, or a TLS hello: plain HTTP
                        return
                    head += data
                requests.append(head)
                handle(conn, head)
            except OSError:
                pass

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}", requests
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def _drip(conn: socket.socket, data: bytes, every: float) -> None:
    for i in range(len(data)):
        conn.sendall(data[i:i + 1])
        time.sleep(every)


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    monkeypatch.setattr(timed, "STALL_SECONDS", 0.6)
    monkeypatch.setattr(timed, "STALL_BYTES", 1024)
    monkeypatch.setattr(timed, "DOCUMENT_SECONDS", 1.5)


def _timed_open(reference: str) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(ImageError) as info:
        open_image(reference).close()
    return str(info.value), time.monotonic() - start


def test_a_body_dripping_one_byte_at_a_time_is_a_stall() -> None:
    def handle(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json"
                     b"\r\nContent-Length: 100000\r\n\r\n")
        _drip(conn, b"{" + b" " * 99_999, 0.05)

    with raw_server(handle) as (host, _):
        message, took = _timed_open(f"docker://{host}/app:1")
    assert "download stalled" in message
    assert took < 5


def test_headers_dripping_one_byte_at_a_time_meet_the_deadline() -> None:
    def handle(conn: socket.socket, head: bytes) -> None:
        _drip(conn, b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 5000 + b"\r\n\r\n", 0.05)

    with raw_server(handle) as (host, _):
        message, took = _timed_open(f"docker://{host}/app:1")
    assert f"cannot reach {host}" in message and "no answer in time" in message
    assert took < 5


def test_a_silent_server_times_out() -> None:
    def handle(conn: socket.socket, head: bytes) -> None:
        time.sleep(5)

    with raw_server(handle) as (host, _):
        message, took = _timed_open(f"docker://{host}/app:1")
    assert f"cannot reach {host}" in message
    assert took < 4


def _answer(status: int, body: bytes, headers: str = "", length: int | None = None) -> Handler:
    def handle(conn: socket.socket, head: bytes) -> None:
        size = len(body) if length is None else length
        conn.sendall(f"HTTP/1.1 {status} X\r\nContent-Length: {size}\r\n{headers}\r\n"
                     .encode() + body)
    return handle


def test_retries_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timed, "DOCUMENT_SECONDS", 20)
    with raw_server(_answer(503, b"")) as (host, requests):
        message, _ = _timed_open(f"docker://{host}/app:1")
    assert "registry error 503" in message
    assert len([r for r in requests if b"/manifests/" in r]) == registry._RETRIES + 1


def test_documents_are_size_checked_while_they_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "MAX_DOCUMENT_SIZE", 4096)
    sent = []

    def endless(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b" " * 1024
        for _ in range(10_000):
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent.append(len(chunk))

    with raw_server(endless) as (host, _):
        message, _ = _timed_open(f"docker://{host}/app:1")
    assert "manifest 1 too large (more than 4096 bytes)" in message
    assert sum(sent) < 10_000 * 1024  # the client stopped reading long before the end

    big = _answer(200, b"{}", length=99_999_999)
    with raw_server(big) as (host, _):
        message, _ = _timed_open(f"docker://{host}/app:1")
    assert "too large (99999999 bytes" in message


def _bearer(realm: str) -> Handler:
    return _answer(401, b"{}", f'WWW-Authenticate: Bearer realm="{realm}",service="x"\r\n')


def test_an_unreachable_token_service_is_an_authentication_failure() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    realm = f"http://127.0.0.1:{port}/token"
    with raw_server(_bearer(realm)) as (host, _):
        message, _ = _timed_open(f"docker://{host}/app:1")
    assert f"authentication failed: token request to {realm}" in message
    assert f"cannot reach {host}" not in message


def test_a_failing_token_service_is_an_authentication_failure() -> None:
    with raw_server(_answer(500, b'{"errors":[{"code":"DOWN","message":"maintenance"}]}')) \
            as (token_host, _), raw_server(_bearer(f"http://{token_host}/token")) as (host, _):
        message, _ = _timed_open(f"docker://{host}/app:1")
    assert "authentication failed: token request to" in message
    assert "answered HTTP 500 (DOWN: maintenance)" in message


def test_a_layer_dripping_forever_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the manifest and config came, a layer blob that drips is a stall too."""
    from fakeregistry import serve
    from imagebuilder import oci_files

    spec = Spec([layer([f("a", 50_000)])])
    files = oci_files(spec, "gzip", ref="v1")
    with serve("app", files) as (host, _):
        image = open_image(f"docker://{host}/app:v1")
    blob = image.layers[0].digest

    def handle(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 90000\r\n\r\n")
        _drip(conn, b"\x1f\x8b" + b"\0" * 100, 0.05)

    with raw_server(handle) as (slow, _), image:
        client = registry.RegistryClient(registry.parse_docker_reference(f"{slow}/app"))
        monkeypatch.setattr(image.layers[0], "opener",
                            lambda: client.open_blob(str(blob), 90000))
        start = time.monotonic()
        with pytest.raises(RegistryError, match="download stalled"):
            list(iter_layer_scans(image))
        assert time.monotonic() - start < 5
        client.close()


def test_an_archive_path_with_a_colon(tmp_path: Path) -> None:
    spec = Spec([layer([f("etc/x", 10)])])
    archive = tmp_path / "dir:with:colons" / "img:1.tar"
    archive.parent.mkdir()
    write_legacy_archive(archive, spec, tags=("app:1",))
    for reference in (f"docker-archive:{archive}", f"docker-archive:{archive}:app:1",
                      str(archive)):
        with open_image(reference) as image:
            assert image.config.digest == sha(spec.config()), reference
    with pytest.raises(ImageError, match="no image tagged 'app:2'"):
        open_image(f"docker-archive:{archive}:app:2")


def test_a_missing_archive_is_not_looked_up_as_a_name(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import slimline.image.transports.auto as auto

    asked: list[str] = []
    monkeypatch.setattr(auto, "engine_has_image", lambda name: asked.append(name) or False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImageError, match=r"^foo.tar: no such file or directory$"):
        open_image("foo.tar")
    assert asked == []
