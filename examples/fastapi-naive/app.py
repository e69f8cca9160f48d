"""A small FastAPI service: the seed's naive Dockerfile runs it with `python app.py`."""

from __future__ import annotations

import platform

import uvicorn
from fastapi import FastAPI

app = FastAPI(title="slimline example: fastapi-naive")

ITEMS = {1: "keyboard", 2: "mouse", 3: "monitor"}


@app.get("/")
def index() -> dict[str, str]:
    return {"service": "fastapi-naive", "status": "ok", "python": platform.python_version()}


@app.get("/items/{item_id}")
def item(item_id: int) -> dict[str, object]:
    return {"id": item_id, "name": ITEMS.get(item_id, "unknown")}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
