"""Create data/visits.db (run at build time, as `manage.py migrate` or `create_all` are)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    with sqlite3.connect(DATA / "visits.db") as db:
        db.execute("CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, at TEXT)")
