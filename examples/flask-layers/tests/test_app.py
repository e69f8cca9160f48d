"""Tests of the example app itself; they do not belong in its image."""

from __future__ import annotations

from app import app


def test_index() -> None:
    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 200
    assert response.get_json()["service"] == "flask-layers"


def test_missing_note() -> None:
    client = app.test_client()
    assert client.get("/notes/99").status_code == 404
