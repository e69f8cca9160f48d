"""A tiny HTTP service that needs a shared library at runtime.

psycopg2 is built from source against libpq (the PostgreSQL client library). In
the naive single-stage image libpq-dev is installed, so libpq.so.5 is there. A
multi-stage rewrite that keeps only the virtualenv loses the library, and
`import psycopg2` fails: the probe catches it and `slimline optimize` must not
report that image as a gain.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, HTTPServer

import psycopg2


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(
            {"service": "native-lib", "status": "ok", "libpq": psycopg2.__libpq_version__}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
