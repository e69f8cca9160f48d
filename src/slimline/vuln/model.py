"""Advisories (what a vulnerability database says) and findings (what a scan found)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    """Severity levels, in order; ``unknown`` when no source says."""

    UNKNOWN = 0
    NEGLIGIBLE = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        """A level from its name, or from the words sources use (``MODERATE``, ``important``,
        Debian's ``unimportant``); ``unknown`` when the word means nothing here."""
        word = text.strip().lower()
        word = _SYNONYMS.get(word, word)
        try:
            return cls[word.upper()]
        except KeyError:
            return cls.UNKNOWN


_SYNONYMS = {
    "moderate": "medium",
    "important": "high",
    "unimportant": "negligible",
    "minor": "low",
    "none": "negligible",
    "not yet assigned": "unknown",
    "end-of-life": "unknown",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One event of an OSV range: ``kind`` is introduced, fixed, last_affected or limit."""

    kind: str
    version: str


@dataclass(frozen=True, slots=True)
class Range:
    """An OSV range of type ECOSYSTEM or SEMVER (GIT ranges are not kept)."""

    type: str
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Affected:
    """One ``affected[]`` entry: a package of an ecosystem and the versions it covers."""

    ecosystem: str  # as the record says: PyPI, Debian:12, Alpine:v3.19...
    name: str
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()
    #: the entry's own severity word (``ecosystem_specific``/``database_specific``), if any
    severity: str = ""


@dataclass(frozen=True, slots=True)
class Advisory:
    """A vulnerability record (OSV, or converted from the Debian security tracker)."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    modified: str
    affected: tuple[Affected, ...]
    #: the highest level the record's CVSS vectors or its own severity word give
    level: Level = Level.UNKNOWN
    #: the highest CVSS base score, when the record has vectors
    score: float | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A package that a vulnerability affects (aliases of one vulnerability counted once)."""

    id: str
    aliases: tuple[str, ...]
    ecosystem: str  # the installed package's: deb, apk, python...
    package: str
    installed: str
    fixed: tuple[str, ...]  # versions that fix it (empty: no fix known)
    level: Level
    score: float | None
    summary: str
    source_package: str = ""
    advisories: tuple[str, ...] = ()  # every record id that matched

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """An ``[scan] ignore`` entry of the configuration."""

    id: str
    reason: str
    expires: str = ""  # ISO date, empty: never


@dataclass(slots=True)
class ScanResult:
    """What ``slimline scan`` found in an image."""

    target: str
    findings: list[Finding]
    packages: int
    ignored: list[tuple[Finding, IgnoreRule]] = field(default_factory=list)
    expired: list[IgnoreRule] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    distro: str = ""  # e.g. Debian:12, or empty when unknown
    database: str = ""
    database_built: str = ""
    only_fixed: bool = False
    fail_on: Level | None = None

    @property
    def failed(self) -> bool:
        """Whether a finding reaches ``fail_on``."""
        return self.fail_on is not None and any(f.level >= self.fail_on for f in self.findings)

    @property
    def distinct(self) -> int:
        """How many vulnerabilities the findings are (a finding is one per package)."""
        return len({f.id for f in self.findings})

    def counts(self) -> dict[str, int]:
        out = {level.label: 0 for level in sorted(Level, reverse=True)}
        for f in self.findings:
            out[f.level.label] += 1
        return out
