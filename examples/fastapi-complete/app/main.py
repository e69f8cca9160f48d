"""FastAPI application served by uvicorn as `app.main:app` on port 8000."""

from __future__ import annotations

import platform

from fastapi import FastAPI

app = FastAPI(title="slimline example: fastapi-complete")


@app.get("/")
def index() -> dict[str, str]:
    return {"service": "fastapi-complete", "status": "ok", "python": platform.python_version()}


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
