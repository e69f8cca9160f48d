"""A small JSON service served by gunicorn (`gunicorn app:app`)."""

from __future__ import annotations

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():  # type: ignore[no-untyped-def]
    return jsonify(service="flask-slim-gunicorn", status="ok")


@app.get("/health")
def health():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")
