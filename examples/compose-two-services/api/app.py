"""A small Flask API: the `api` service of the compose example."""

import os
import platform

from flask import Flask, jsonify

app = Flask(__name__)
GREETING = os.environ.get("GREETING", "hello")


@app.get("/")
def index():
    return jsonify(service="api", greeting=GREETING, python=platform.python_version())


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
