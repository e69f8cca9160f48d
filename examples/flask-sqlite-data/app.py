"""A Flask app that records each visit in the SQLite file next to it, on port 5000."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from flask import Flask, jsonify

DATABASE = Path(__file__).resolve().parent / "data" / "visits.db"
app = Flask(__name__)


@app.get("/")
def index():  # type: ignore[no-untyped-def]
    with sqlite3.connect(DATABASE) as db:
        db.execute("INSERT INTO visits (at) VALUES (datetime('now'))")
        (count,) = db.execute("SELECT count(*) FROM visits").fetchone()
    return jsonify(service="flask-sqlite-data", visits=count)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
