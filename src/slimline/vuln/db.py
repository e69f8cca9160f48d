"""The local vulnerability database: one SQLite file in the user's cache directory.

``slimline db import`` builds a new file next to the old one, in one transaction,
and renames it over the old one when everything was read, so a scan never sees a
half-built database and a failed import leaves the old one as it was. Where it
lives: ``--db PATH``, else ``$SLIMLINE_VULNDB``, else ``vulndb.sqlite3`` in the
user cache directory (``$XDG_CACHE_HOME/slimline`` or ``~/.cache/slimline`` on
Linux, as platformdirs says elsewhere).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from slimline.errors import SlimlineError
from slimline.vuln.inputs import InputError, Limits, read_input
from slimline.vuln.model import Advisory, Affected, Event, Level, Range
from slimline.vuln.osv import MalformedRecord

DB_ENV = "SLIMLINE_VULNDB"
DB_NAME = "vulndb.sqlite3"
SCHEMA_VERSION = "1"
HOW_TO_GET_ONE = (
    "run `slimline db update` to download the OSV exports, or `slimline db import PATH` "
    "with OSV all.zip files, a directory of OSV records or the Debian security tracker's JSON"
)

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    path TEXT NOT NULL, kind TEXT NOT NULL, records INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL, malformed INTEGER NOT NULL, imported TEXT NOT NULL);
CREATE TABLE advisories (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, origin TEXT NOT NULL, aliases TEXT NOT NULL,
    summary TEXT NOT NULL, modified TEXT NOT NULL, level INTEGER NOT NULL, score REAL,
    UNIQUE (id, origin));
CREATE TABLE affected (
    advisory INTEGER NOT NULL REFERENCES advisories (rowid), ecosystem TEXT NOT NULL,
    base TEXT NOT NULL, name TEXT NOT NULL, ranges TEXT NOT NULL, versions TEXT NOT NULL,
    severity TEXT NOT NULL);
CREATE INDEX affected_lookup ON affected (base, name);
"""


class DatabaseError(SlimlineError):
    """No database, or one that cannot be read."""


def default_path() -> Path:
    """``$SLIMLINE_VULNDB``, else ``vulndb.sqlite3`` in the user cache directory."""
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("slimline", appauthor=False)) / DB_NAME


@dataclass(slots=True)
class SourceStats:
    """What one input gave: records stored, withdrawn records skipped, malformed ones."""

    path: str
    kind: str
    records: int = 0
    withdrawn: int = 0
    malformed: int = 0
    warnings: list[str] = field(default_factory=list)


def _origin(advisory: Advisory) -> str:
    # The tracker has one issue per (source package, CVE): the same id for several packages.
    if advisory.source == "osv":
        return "osv"
    names = sorted({a.name for a in advisory.affected})
    return f"{advisory.source}/{','.join(names)}"


def _ranges_json(ranges: tuple[Range, ...]) -> str:
    return json.dumps([[r.type, [[e.kind, e.version] for e in r.events]] for r in ranges])


def _store(conn: sqlite3.Connection, advisory: Advisory) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO advisories (id, origin, aliases, summary, modified, level, score)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (advisory.id, _origin(advisory), json.dumps(list(advisory.aliases)), advisory.summary,
         advisory.modified, int(advisory.level), advisory.score),
    )
    if cur.rowcount == 0:
        return False  # the same record twice (one input given twice)
    rowid = cur.lastrowid
    conn.executemany(
        "INSERT INTO affected (advisory, ecosystem, base, name, ranges, versions, severity)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(rowid, a.ecosystem, a.ecosystem.split(":", 1)[0], a.name, _ranges_json(a.ranges),
          json.dumps(list(a.versions)), a.severity) for a in advisory.affected],
    )
    return True


#: malformed records named one by one in the warnings, at most
MAX_NAMED_MALFORMED = 20


def _import_one(conn: sqlite3.Connection, path: Path, limits: Limits) -> SourceStats:
    kind, items = read_input(path, limits)
    stats = SourceStats(str(path), kind)
    for item in items:
        if isinstance(item, MalformedRecord):
            stats.malformed += 1
            if stats.malformed <= MAX_NAMED_MALFORMED:
                stats.warnings.append(f"{path}: skipped a malformed record: {item}")
        elif isinstance(item, str):
            stats.withdrawn += 1
        elif _store(conn, item):
            stats.records += 1
    if stats.malformed > MAX_NAMED_MALFORMED:
        stats.warnings.append(f"{path}: {stats.malformed} malformed records skipped in all")
    return stats


def now_utc() -> datetime:
    return datetime.now(UTC)


def import_sources(paths: Iterable[Path], db_path: Path, limits: Limits | None = None,
                   *, now: datetime | None = None) -> list[SourceStats]:
    """Build a new database from ``paths`` and put it in place of the one at ``db_path``.

    Nothing is replaced when an input cannot be read (InputError, exit 2).
    """
    limits = limits or Limits()
    built = (now or now_utc()).isoformat(timespec="seconds")
    directory = db_path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise DatabaseError(f"cannot create the database: {exc.strerror or exc}",
                            path=db_path) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("BEGIN")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            all_stats = []
            for path in paths:
                stats = _import_one(conn, path, limits)
                conn.execute("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                             (stats.path, stats.kind, stats.records, stats.withdrawn,
                              stats.malformed, built))
                all_stats.append(stats)
            conn.executemany("INSERT INTO meta VALUES (?, ?)",
                             [("schema", SCHEMA_VERSION), ("built", built)])
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.replace(tmp, db_path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot write the database: {exc}", path=db_path) from None
    except OSError as exc:
        raise DatabaseError(f"cannot write the database: {exc.strerror or exc}",
                            path=db_path) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return all_stats


@dataclass(frozen=True, slots=True)
class Status:
    """What ``slimline db status`` shows."""

    path: Path
    built: datetime
    sources: list[SourceStats]
    ecosystems: dict[str, int]  # records per ecosystem (Debian:12, PyPI...)
    advisories: int

    def age_days(self, now: datetime | None = None) -> float:
        return ((now or now_utc()) - self.built).total_seconds() / 86400


class Database:
    """An open database, read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise DatabaseError(f"no vulnerability database at {path}: {HOW_TO_GET_ONE}")
        try:
            self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            rows = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise DatabaseError(f"not a slimline vulnerability database ({exc}): "
                                f"{HOW_TO_GET_ONE}", path=path) from None
        if rows.get("schema") != SCHEMA_VERSION:
            raise DatabaseError(f"database schema {rows.get('schema')!r} is not "
                                f"{SCHEMA_VERSION!r}: {HOW_TO_GET_ONE}", path=path)
        try:
            self.built = datetime.fromisoformat(rows["built"])
        except (KeyError, ValueError):
            raise DatabaseError("the database has no build date", path=path) from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def status(self) -> Status:
        sources = [SourceStats(path, kind, records, withdrawn, malformed)
                   for path, kind, records, withdrawn, malformed in self._conn.execute(
                       "SELECT path, kind, records, withdrawn, malformed FROM sources")]
        ecosystems = dict(self._conn.execute(
            "SELECT ecosystem, COUNT(DISTINCT advisory) FROM affected GROUP BY ecosystem "
            "ORDER BY ecosystem").fetchall())
        (count,) = self._conn.execute("SELECT COUNT(*) FROM advisories").fetchone()
        return Status(self.path, self.built, sources, ecosystems, int(count))

    def advisories_for(self, base: str, name: str) -> Iterator[Advisory]:
        """The advisories with an ``affected[]`` entry for ``name`` in ecosystem ``base``
        (any release: ``Debian`` finds ``Debian:11`` and ``Debian:12``); each advisory
        carries only those entries."""
        rows = self._conn.execute(
            "SELECT a.rowid, a.id, a.aliases, a.summary, a.modified, a.level, a.score, a.origin,"
            " f.ecosystem, f.ranges, f.versions, f.severity FROM affected f"
            " JOIN advisories a ON a.rowid = f.advisory WHERE f.base = ? AND f.name = ?"
            " ORDER BY a.rowid", (base, name)).fetchall()
        grouped: dict[int, list[tuple[object, ...]]] = {}
        for row in rows:
            grouped.setdefault(int(row[0]), []).append(row)
        for items in grouped.values():
            first = items[0]
            affected = tuple(
                Affected(str(r[8]), name,
                         tuple(Range(t, tuple(Event(k, v) for k, v in evs))
                               for t, evs in json.loads(str(r[9]))),
                         tuple(json.loads(str(r[10]))), str(r[11]))
                for r in items)
            yield Advisory(
                id=str(first[1]), aliases=tuple(json.loads(str(first[2]))),
                summary=str(first[3]), modified=str(first[4]), affected=affected,
                level=Level(int(str(first[5]))),
                score=float(str(first[6])) if first[6] is not None else None,
                source=str(first[7]).split("/", 1)[0],
            )


def open_database(path: Path | None = None) -> Database:
    """The database at ``path`` (default :func:`default_path`), read-only."""
    return Database(path or default_path())


__all__ = ["HOW_TO_GET_ONE", "Database", "DatabaseError", "InputError", "Status",
           "default_path", "import_sources", "open_database"]
