"""A tiny OCI distribution server on 127.0.0.1, for unit tests of the registry client.

It serves the documents and blobs of an OCI layout (from imagebuilder.oci_files) and
can require Basic or Bearer authentication, answer errors, or corrupt a blob. The
end-to-end tests use the real registry of the test bed instead.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Behaviour:
    auth: str = "none"  # none | basic | bearer
    user: str = "alice"
    password: str = "s3cret"
    token: str = "tok-123"
    overrides: dict[str, int] = field(default_factory=dict)  # path suffix -> status
    corrupt: set[str] = field(default_factory=set)  # digests served wrong
    requests: list[str] = field(default_factory=list)
    flaky: dict[str, int] = field(default_factory=dict)  # path suffix -> failures left (503)


def _tags(files: dict[str, bytes]) -> dict[str, tuple[bytes, str]]:
    tags: dict[str, tuple[bytes, str]] = {}
    index = json.loads(files["index.json"])
    for m in index["manifests"]:
        data = files["blobs/sha256/" + m["digest"].split(":")[1]]
        tag = (m.get("annotations") or {}).get("org.opencontainers.image.ref.name", "latest")
        tags[tag] = (data, m["mediaType"])
    return tags


def _handler(repos: dict[str, dict[str, bytes]], behaviour: Behaviour, port_box: list[int]):
    all_tags = {name: _tags(files) for name, files in repos.items()}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _authorized(self) -> bool:
            header = self.headers.get("Authorization", "")
            if behaviour.auth == "none":
                return True
            if behaviour.auth == "basic":
                want = base64.b64encode(f"{behaviour.user}:{behaviour.password}".encode())
                return header == "Basic " + want.decode()
            return header == f"Bearer {behaviour.token}"

        def _challenge(self) -> None:
            if behaviour.auth == "basic":
                value = 'Basic realm="fake"'
            else:
                repo = next((r for r in repos if self.path.startswith(f"/v2/{r}/")), "")
                value = (f'Bearer realm="http://127.0.0.1:{port_box[0]}/token",'
                         f'service="fake-registry",scope="repository:{repo}:pull"')
            body = json.dumps({"errors": [{"code": "UNAUTHORIZED",
                                           "message": "authentication required"}]}).encode()
            self._send(401, body, {"WWW-Authenticate": value,
                                   "Content-Type": "application/json"})

        def do_GET(self) -> None:
            path = self.path
            behaviour.requests.append(path)
            if path.startswith("/token"):
                want = base64.b64encode(f"{behaviour.user}:{behaviour.password}".encode())
                if self.headers.get("Authorization") != "Basic " + want.decode():
                    self._send(401, b'{"details": "bad credentials"}')
                    return
                self._send(200, json.dumps({"token": behaviour.token}).encode())
                return
            for suffix, left in list(behaviour.flaky.items()):
                if path.endswith(suffix) and left > 0:
                    behaviour.flaky[suffix] = left - 1
                    self._send(503, b"")
                    return
            for suffix, status in behaviour.overrides.items():
                if path.endswith(suffix):
                    body = json.dumps({"errors": [{"code": "TEST", "message": f"forced {status}"}]})
                    self._send(status, body.encode(), {"Content-Type": "application/json"})
                    return
            if not self._authorized():
                self._challenge()
                return
            repo = next((r for r in sorted(repos, key=len, reverse=True)
                         if path.startswith(f"/v2/{r}/")), None)
            if path == "/v2/":
                self._send(200, b"{}")
                return
            if repo is None:
                self._send(404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"repository name '
                           b'not known to registry"}]}')
                return
            files = repos[repo]
            tags = all_tags[repo]
            prefix = f"/v2/{repo}/"
            if path == "/v2/":
                self._send(200, b"{}")
            elif path.startswith(prefix + "manifests/"):
                ref = path[len(prefix + "manifests/"):]
                if ref.startswith("sha256:"):
                    data = files.get("blobs/sha256/" + ref.split(":")[1])
                    if data is None:
                        self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
                        return
                    media = json.loads(data).get("mediaType", "")
                else:
                    if ref not in tags:
                        self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
                        return
                    data, media = tags[ref]
                import hashlib
                digest = "sha256:" + hashlib.sha256(data).hexdigest()
                self._send(200, data, {"Content-Type": media, "Docker-Content-Digest": digest})
            elif path.startswith(prefix + "blobs/"):
                digest = path[len(prefix + "blobs/"):]
                data = files.get("blobs/sha256/" + digest.split(":")[1])
                if data is None:
                    self._send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
                    return
                if digest in behaviour.corrupt:
                    data = bytes(reversed(data))
                self._send(200, data, {"Content-Type": "application/octet-stream"})
            else:
                self._send(404, b"")

    return Handler


@contextmanager
def serve(repo: str, files: dict[str, bytes], behaviour: Behaviour | None = None,
          more: dict[str, dict[str, bytes]] | None = None) -> Iterator[tuple[str, Behaviour]]:
    """Run the server; yields ``("127.0.0.1:PORT", behaviour)``.

    ``repo`` serves ``files`` (an OCI layout's files); ``more`` adds other repositories.
    """
    behaviour = behaviour or Behaviour()
    port_box = [0]
    repos = {repo: files, **(more or {})}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(repos, behaviour, port_box))
    port_box[0] = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{port_box[0]}", behaviour
    finally:
        server.shutdown()
        server.server_close()
