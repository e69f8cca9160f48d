"""A small Flask service whose Dockerfile has the seed's bad layer order."""

from __future__ import annotations

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue

app = Flask(__name__)

NOTES = ["order layers from least to most frequently changed", "combine RUN commands"]


@app.get("/")
def index() -> ResponseReturnValue:
    return jsonify(service="flask-layers", status="ok", notes=len(NOTES))


@app.get("/health")
def health() -> ResponseReturnValue:
    return jsonify(status="ok")


@app.get("/notes/<int:index>")
def note(index: int) -> ResponseReturnValue:
    if 0 <= index < len(NOTES):
        return jsonify(note=NOTES[index])
    return jsonify(error="no such note"), 404


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
