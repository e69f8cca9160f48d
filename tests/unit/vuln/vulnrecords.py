"""Small OSV records written for the vulnerability tests, and a database made of them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slimline.vuln.db import Database, import_sources

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def osv(ident: str, ecosystem: str, name: str, *events: tuple[str, str], aliases: tuple[str, ...] = (),
        range_type: str = "ECOSYSTEM", versions: tuple[str, ...] = (),
        **extra: Any) -> dict[str, Any]:
    """An OSV record with one affected package and (when events are given) one range."""
    affected: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": name}}
    if events:
        affected["ranges"] = [{"type": range_type,
                               "events": [{kind: version} for kind, version in events]}]
    if versions:
        affected["versions"] = list(versions)
    return {"schema_version": "1.6.0", "id": ident, "modified": "2026-01-01T00:00:00Z",
            "aliases": list(aliases), "summary": f"summary of {ident}",
            "affected": [affected], **extra}


def write_records(directory: Path, records: list[dict[str, Any]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for record in records:
        (directory / f"{record['id']}.json").write_text(json.dumps(record))
    return directory


def database_maker(tmp_path: Path) -> Iterator[Callable[..., Database]]:
    """``make(records, now=NOW) -> Database`` (opened; closed when the iterator ends)."""
    opened: list[Database] = []

    def make(records: list[dict[str, Any]], now: datetime = NOW) -> Database:
        n = len(opened)
        source = write_records(tmp_path / f"records{n}", records)
        path = tmp_path / f"db{n}.sqlite3"
        import_sources([source], path, now=now)
        db = Database(path)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()
