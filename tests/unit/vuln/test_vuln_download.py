"""``db update``'s download code against an HTTP server on loopback (no network here)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from slimline.vuln.update import DownloadError, download, osv_url

BODY = b"PK" + b"x" * 300_000


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/PyPI/all.zip":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_osv_urls_are_the_documented_bucket() -> None:
    assert osv_url("PyPI") == "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
    assert osv_url("crates.io") == \
        "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip"


def test_download_writes_the_file_whole(server: str, tmp_path: Path) -> None:
    seen: list[int] = []
    target = download(f"{server}/PyPI/all.zip", tmp_path / "d" / "PyPI-all.zip",
                      progress=seen.append)
    assert target.read_bytes() == BODY
    assert sum(seen) == len(BODY)
    assert sorted(p.name for p in target.parent.iterdir()) == ["PyPI-all.zip"]


def test_failed_downloads_leave_nothing(server: str, tmp_path: Path) -> None:
    target = tmp_path / "PyPI-all.zip"
    target.write_bytes(b"old")
    with pytest.raises(DownloadError, match="answered HTTP 404"):
        download(f"{server}/Nope/all.zip", target)
    with pytest.raises(DownloadError, match="larger than 1000 bytes"):
        download(f"{server}/PyPI/all.zip", target, limit=1000)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["PyPI-all.zip"]
