"""OSV records (https://ossf.github.io/osv-schema/) read into :class:`Advisory` values.

Only what matching needs is kept: ids and aliases, the summary, ``affected[]``
with its ECOSYSTEM and SEMVER ranges and version lists, and a severity: the
highest CVSS base score of the record's ``severity[]`` vectors (computed with the
``cvss`` package), else the words of ``database_specific.severity`` (GitHub's
``MODERATE``...) or an entry's ``ecosystem_specific.severity``/``urgency``.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from slimline.vuln.model import Advisory, Affected, Event, Level, Range

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
RANGE_TYPES = ("ECOSYSTEM", "SEMVER")


class MalformedRecord(ValueError):
    """A record that is not an OSV record (counted and skipped on import)."""


def package_key(ecosystem: str, name: str) -> str:
    """The name advisories are looked up by: PyPI names in their canonical form (PEP 503)."""
    if ecosystem.split(":", 1)[0] == "PyPI":
        return str(canonicalize_name(name))
    return name


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise MalformedRecord(f"{where} is not a string")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedRecord(f"{where} is not a list")
    return value


def _dict(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedRecord(f"{where} is not an object")
    return value


def _range(raw: Any, where: str) -> Range | None:
    data = _dict(raw, where)
    kind = _str(data.get("type"), f"{where}.type")
    if kind not in RANGE_TYPES:
        return None  # GIT ranges name commits, not versions of installed packages
    events: list[Event] = []
    for i, item in enumerate(_list(data.get("events"), f"{where}.events")):
        event = _dict(item, f"{where}.events[{i}]")
        pairs = [(k, v) for k, v in event.items() if k in EVENT_KINDS]
        if len(pairs) != 1:
            raise MalformedRecord(f"{where}.events[{i}] must have exactly one of {EVENT_KINDS}")
        key, value = pairs[0]
        events.append(Event(key, _str(value, f"{where}.events[{i}].{key}")))
    if not any(e.kind == "introduced" for e in events):
        raise MalformedRecord(f"{where} has no introduced event")
    return Range(kind, tuple(events))


def _severity_word(*tables: dict[str, Any]) -> str:
    for table in tables:
        for key in ("severity", "urgency"):
            value = table.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def _affected(raw: Any, where: str) -> Affected | None:
    data = _dict(raw, where)
    package = _dict(data.get("package"), f"{where}.package")
    if not package:
        return None  # an entry without a package (e.g. GIT ranges of a repository only)
    ecosystem = _str(package.get("ecosystem"), f"{where}.package.ecosystem")
    name = _str(package.get("name"), f"{where}.package.name")
    ranges = []
    for i, item in enumerate(_list(data.get("ranges"), f"{where}.ranges")):
        parsed = _range(item, f"{where}.ranges[{i}]")
        if parsed is not None:
            ranges.append(parsed)
    versions = tuple(
        _str(v, f"{where}.versions[]") for v in _list(data.get("versions"), f"{where}.versions")
    )
    word = _severity_word(
        _dict(data.get("ecosystem_specific"), f"{where}.ecosystem_specific"),
        _dict(data.get("database_specific"), f"{where}.database_specific"),
    )
    return Affected(ecosystem, package_key(ecosystem, name), tuple(ranges), versions, word)


def cvss_score(kind: str, vector: str) -> tuple[float, Level] | None:
    """The base score and level of a CVSS vector (None when the ``cvss`` package rejects it)."""
    from cvss import CVSS2, CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    try:
        if kind == "CVSS_V2":
            score = float(CVSS2(vector).scores()[0])
            # CVSS v2 has no qualitative scale of its own; NVD's: 0-3.9 low, 4-6.9 medium
            level = Level.HIGH if score >= 7 else Level.MEDIUM if score >= 4 else Level.LOW
            return score, level
        if kind == "CVSS_V3":
            c3 = CVSS3(vector)
            return float(c3.scores()[0]), Level.parse(str(c3.severities()[0]))
        if kind == "CVSS_V4":
            c4 = CVSS4(vector)
            return float(c4.base_score), Level.parse(str(c4.severity))
    except (CVSSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return None


def _severity(record: dict[str, Any], affected: tuple[Affected, ...]) -> tuple[Level, float | None]:
    best: tuple[float, Level] | None = None
    for i, item in enumerate(_list(record.get("severity"), "severity")):
        entry = _dict(item, f"severity[{i}]")
        kind, vector = entry.get("type"), entry.get("score")
        if isinstance(kind, str) and isinstance(vector, str):
            scored = cvss_score(kind, vector)
            if scored is not None and (best is None or scored[0] > best[0]):
                best = scored
    if best is not None:
        return best[1], best[0]
    word = _severity_word(_dict(record.get("database_specific"), "database_specific"))
    levels = [Level.parse(word)] + [Level.parse(a.severity) for a in affected if a.severity]
    return max(levels), None


def parse_osv(record: Any, source: str = "") -> Advisory:
    """An OSV record (a decoded JSON or YAML document) as an :class:`Advisory`.

    Raises :class:`MalformedRecord` when it is not one. A withdrawn record is read
    too: :func:`is_withdrawn` tells.
    """
    data = _dict(record, "record")
    if not data:
        raise MalformedRecord("not an OSV record (an empty document)")
    ident = _str(data.get("id"), "id").strip()
    if not ident:
        raise MalformedRecord("id is empty")
    aliases = tuple(
        _str(a, "aliases[]") for a in _list(data.get("aliases"), "aliases") if a != ident
    )
    affected = tuple(
        a
        for i, raw in enumerate(_list(data.get("affected"), "affected"))
        if (a := _affected(raw, f"affected[{i}]")) is not None
    )
    summary = data.get("summary") or data.get("details") or ""
    if not isinstance(summary, str):
        raise MalformedRecord("summary is not a string")
    level, score = _severity(data, affected)
    return Advisory(
        id=ident,
        aliases=aliases,
        summary=summary.strip().splitlines()[0] if summary.strip() else "",
        modified=str(data.get("modified") or ""),
        affected=affected,
        level=level,
        score=score,
        source=source,
    )


def is_withdrawn(record: Any) -> bool:
    """Whether an OSV record has been withdrawn (``withdrawn`` set): it matches nothing."""
    return isinstance(record, dict) and bool(record.get("withdrawn"))
