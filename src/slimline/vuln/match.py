"""Which advisories affect which installed packages.

OSV's evaluation (https://ossf.github.io/osv-schema/#evaluation): a version is
affected when it is listed in ``versions``, or when, walking a range's events in
version order, the last event at or below it is an ``introduced`` (``fixed``
ends a vulnerable stretch at the fix, ``last_affected`` just after, ``limit``
at the limit). Debian packages are looked up by their source package and source
version (advisories name source packages), in the Debian release of the image;
the aliases of the matched records (CVE, GHSA, PYSEC, DSA...) are joined so
that one vulnerability is one finding per package.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from slimline.vuln.db import Database
from slimline.vuln.model import Advisory, Affected, Finding, Level, Range
from slimline.vuln.osv import package_key
from slimline.vuln.versions import Comparable, InvalidVersion, parse_version

#: the inventory's ecosystems -> OSV ecosystems
OSV_ECOSYSTEM = {
    "deb": "Debian",
    "apk": "Alpine",
    "python": "PyPI",
    "npm": "npm",
    "go": "Go",
    "rust": "crates.io",
}
#: ecosystems whose advisories name source packages
_BY_SOURCE = ("deb", "apk")
#: the order of ids when a vulnerability has several: the CVE first
_ID_ORDER = ("CVE-", "GHSA-", "PYSEC-", "GO-", "RUSTSEC-")


class Installed(Protocol):
    """What matching needs of an installed package (the inventory's packages)."""

    @property
    def ecosystem(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def source_version(self) -> str: ...


@dataclass(slots=True)
class Releases:
    """The distribution releases whose advisories apply (``Debian:12``); None: unknown,
    every release's advisories apply."""

    debian: str | None = None
    alpine: str | None = None


@dataclass(slots=True)
class MatchResult:
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)


class _Versions:
    """Parsed versions, each parsed once (None: the scheme rejects it)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, bool], Comparable | None] = {}

    def get(self, ecosystem: str, text: str, semver: bool = False) -> Comparable | None:
        key = (ecosystem.split(":", 1)[0], text, semver)
        if key not in self._cache:
            try:
                self._cache[key] = parse_version(ecosystem, text, semver=semver)
            except InvalidVersion:
                self._cache[key] = None
        return self._cache[key]


def range_affects(rng: Range, ecosystem: str, installed: str,
                  versions: _Versions) -> bool | None:
    """Whether ``installed`` is in ``rng`` (in the ecosystem's order, or semver's for a
    SEMVER range); None when a version cannot be parsed in that order."""
    semver = rng.type == "SEMVER"
    version = versions.get(ecosystem, installed, semver)
    if version is None:
        return None
    zero = [e for e in rng.events if e.kind == "introduced" and e.version == "0"]
    keyed: list[tuple[Comparable, str]] = []
    for event in rng.events:
        if event in zero:
            continue
        parsed = versions.get(ecosystem, event.version, semver)
        if parsed is None:
            return None
        keyed.append((parsed, event.kind))
    keyed.sort(key=lambda item: item[0])
    affected = bool(zero)
    for at, kind in keyed:
        if kind == "introduced":
            if version >= at:
                affected = True
        elif kind == "fixed":
            if version >= at:
                affected = False
        elif kind == "last_affected":
            if version > at:
                affected = False
        elif kind == "limit" and version >= at:
            affected = False
    return affected


def _fixes(ranges: Iterable[Range], ecosystem: str, installed: str,
           versions: _Versions) -> list[str]:
    """The ``fixed`` versions of ``ranges`` above ``installed`` (an earlier branch's fix,
    below it, does not fix it)."""
    out = []
    for rng in ranges:
        semver = rng.type == "SEMVER"
        current = versions.get(ecosystem, installed, semver)
        for event in rng.events:
            if event.kind != "fixed":
                continue
            fix = versions.get(ecosystem, event.version, semver)
            if current is None or fix is None or fix > current:
                out.append(event.version)
    return out


def affected_entry(entry: Affected, installed: str, version: Comparable,
                   versions: _Versions) -> tuple[bool, list[str], bool]:
    """(affected, fixed versions, whether a range could not be read) for one entry."""
    if installed in entry.versions:
        return True, _fixes(entry.ranges, entry.ecosystem, installed, versions), False
    unreadable = False
    for rng in entry.ranges:
        verdict = range_affects(rng, entry.ecosystem, installed, versions)
        if verdict is None:
            unreadable = True
        elif verdict:
            return True, _fixes([rng], entry.ecosystem, installed, versions), unreadable
    listed = [versions.get(entry.ecosystem, v) for v in entry.versions]
    if any(v is not None and v == version for v in listed):
        return True, _fixes(entry.ranges, entry.ecosystem, installed, versions), unreadable
    return False, [], unreadable


def _applies(entry: Affected, base: str, releases: Releases) -> bool:
    release = {"Debian": releases.debian, "Alpine": releases.alpine}.get(base)
    if release is None:
        return True  # not a distribution ecosystem, or the release is unknown
    return entry.ecosystem == f"{base}:{release}"


def _primary(ids: Iterable[str]) -> str:
    def rank(ident: str) -> tuple[int, str]:
        for i, prefix in enumerate(_ID_ORDER):
            if ident.startswith(prefix):
                return i, ident
        return len(_ID_ORDER), ident

    return min(ids, key=rank)


def _group(matched: Sequence[tuple[Advisory, list[str]]]) -> list[list[tuple[Advisory, list[str]]]]:
    """Matched advisories joined by shared ids (an advisory's id and its aliases)."""
    groups: list[tuple[set[str], list[tuple[Advisory, list[str]]]]] = []
    for item in matched:
        ids = {item[0].id, *item[0].aliases}
        joined = [g for g in groups if g[0] & ids]
        merged_ids, merged_items = set(ids), [item]
        for g in joined:
            merged_ids |= g[0]
            merged_items = g[1] + merged_items
            groups.remove(g)
        groups.append((merged_ids, merged_items))
    return [items for _ids, items in groups]


def _finding(pkg: Installed, ecosystem: str, items: list[tuple[Advisory, list[str]]],
             versions: _Versions) -> Finding:
    ids = {i for adv, _ in items for i in (adv.id, *adv.aliases)}
    primary = _primary(ids)
    fixes = {f for _, fixed in items for f in fixed}

    def order(text: str) -> tuple[int, Comparable | str]:
        parsed = versions.get(ecosystem, text)
        return (0, parsed) if parsed is not None else (1, text)

    try:
        fixed = tuple(sorted(fixes, key=order))
    except TypeError:
        fixed = tuple(sorted(fixes))
    scores = [adv.score for adv, _ in items if adv.score is not None]
    summary = next((adv.summary for adv, _ in items if adv.summary), "")
    return Finding(
        id=primary,
        aliases=tuple(sorted(ids - {primary})),
        ecosystem=pkg.ecosystem,
        package=pkg.name,
        installed=pkg.version,
        fixed=fixed,
        level=max((adv.level for adv, _ in items), default=Level.UNKNOWN),
        score=max(scores) if scores else None,
        summary=summary,
        source_package=(pkg.source or pkg.name.split(":", 1)[0]) if pkg.ecosystem in _BY_SOURCE
        else "",
        advisories=tuple(sorted({adv.id for adv, _ in items})),
    )


def match_packages(packages: Iterable[Installed], db: Database,
                   releases: Releases | None = None) -> MatchResult:
    """The findings for ``packages`` against ``db``: one per (package, vulnerability)."""
    releases = releases or Releases()
    versions = _Versions()
    result = MatchResult([])
    unreadable: set[str] = set()
    cache: dict[tuple[str, str], list[Advisory]] = {}
    for pkg in packages:
        base = OSV_ECOSYSTEM.get(pkg.ecosystem)
        if base is None:
            continue
        if pkg.ecosystem in _BY_SOURCE:
            # the source package, else the binary package's own name (without dpkg's :arch)
            name = pkg.source or pkg.name.split(":", 1)[0]
            installed = pkg.source_version or pkg.version
        else:
            name, installed = pkg.name, pkg.version
        version = versions.get(base, installed)
        if version is None:
            result.warnings.append(
                f"{pkg.ecosystem} package {pkg.name}: version {installed!r} is not a valid "
                f"{base} version, not matched")
            continue
        key = (base, package_key(base, name))
        if key not in cache:
            cache[key] = list(db.advisories_for(*key))
        matched: list[tuple[Advisory, list[str]]] = []
        for advisory in cache[key]:
            hit, fixed, words = False, [], []
            for entry in advisory.affected:
                if not _applies(entry, base, releases):
                    continue
                is_hit, entry_fixed, bad = affected_entry(entry, installed, version, versions)
                if bad:
                    unreadable.add(advisory.id)
                if is_hit:
                    hit = True
                    fixed += entry_fixed
                    words += [entry.severity] if entry.severity else []
            if hit:
                if advisory.score is None and words:
                    # no CVSS: the matched entries' own words (Debian's urgency is per release)
                    advisory = replace(advisory, level=max(Level.parse(w) for w in words))
                matched.append((advisory, fixed))
        result.findings += [_finding(pkg, base, group, versions) for group in _group(matched)]
    if unreadable:
        names = ", ".join(sorted(unreadable)[:5]) + (" ..." if len(unreadable) > 5 else "")
        result.warnings.append(
            f"{len(unreadable)} advisories have ranges with versions that cannot be ordered "
            f"and were not applied in full: {names}")
    result.findings.sort(key=lambda f: (-f.level, f.package, f.id))
    return result
