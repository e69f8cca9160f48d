"""Debian: the security tracker's JSON, and which Debian release an image is.

The tracker (https://security-tracker.debian.org/tracker/data/json) lists, per
source package and per CVE, each release's status: ``resolved`` with the
``fixed_version`` (``0``: the release was never affected), ``open`` or
``undetermined`` (no fix yet), and an ``urgency``. Each (package, CVE) becomes an
advisory of the OSV ecosystems ``Debian:12``... with the range ``introduced: 0``
and, when resolved, ``fixed``: the same shape as OSV's own Debian records, so both
are matched by the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from slimline.vuln.model import Advisory, Affected, Event, Level, Range
from slimline.vuln.osv import MalformedRecord

#: Debian codenames and their release numbers (OSV's ``Debian:N`` ecosystems)
CODENAMES = {
    "stretch": "9",
    "buster": "10",
    "bullseye": "11",
    "bookworm": "12",
    "trixie": "13",
    "forky": "14",
    "duke": "15",
}
TRACKER_SOURCE = "debian-tracker"
_OPEN = ("open", "undetermined")
#: base-files' version starts with the Debian release: 12.4+deb12u5, 11.1+deb11u9
_BASE_FILES = re.compile(r"^(\d+)(?:\.\d+)*(?:\+deb\d+u\d+)?$")


def tracker_advisories(data: Any) -> Iterator[Advisory | MalformedRecord]:
    """The advisories of the tracker's JSON (a decoded document); a malformed entry is
    yielded as a :class:`MalformedRecord` for the caller to count, and skipped."""
    if not isinstance(data, dict):
        raise MalformedRecord("the Debian security tracker's JSON is an object of packages")
    for package, issues in data.items():
        if not isinstance(issues, dict):
            yield MalformedRecord(f"{package}: not an object of issues")
            continue
        for ident, issue in issues.items():
            try:
                advisory = _issue(str(package), str(ident), issue)
            except MalformedRecord as exc:
                yield exc
                continue
            if advisory is not None:
                yield advisory


def _issue(package: str, ident: str, issue: Any) -> Advisory | None:
    if not isinstance(issue, dict) or not isinstance(issue.get("releases", {}), dict):
        raise MalformedRecord(f"{package}/{ident}: not an issue object")
    affected: list[Affected] = []
    levels: list[Level] = []
    for codename, release in issue.get("releases", {}).items():
        number = CODENAMES.get(codename)
        if number is None or not isinstance(release, dict):
            continue  # sid and unknown names: no OSV ecosystem
        status = release.get("status")
        fixed = release.get("fixed_version")
        events = [Event("introduced", "0")]
        if status == "resolved":
            if not isinstance(fixed, str) or not fixed:
                raise MalformedRecord(f"{package}/{ident}/{codename}: resolved without a version")
            if fixed == "0":
                continue  # never affected
            events.append(Event("fixed", fixed))
        elif status not in _OPEN:
            continue
        urgency = str(release.get("urgency") or "").rstrip("*")
        levels.append(Level.parse(urgency))
        affected.append(
            Affected(f"Debian:{number}", package, (Range("ECOSYSTEM", tuple(events)),),
                     severity=urgency)
        )
    if not affected:
        return None
    description = issue.get("description")
    return Advisory(
        id=ident,
        aliases=(),
        summary=description.strip().splitlines()[0] if isinstance(description, str)
        and description.strip() else "",
        modified="",
        affected=tuple(affected),
        level=max(levels),
        source=TRACKER_SOURCE,
    )


def release_from_os_release(os_id: str, version_id: str) -> str | None:
    """``12`` for os-release ``ID=debian VERSION_ID="12"``; None for another system."""
    if os_id.lower() != "debian" or not version_id:
        return None
    return version_id.split(".")[0]


def release_from_dpkg(packages: Iterable[tuple[str, str]]) -> str | None:
    """The Debian release of an image from its dpkg data: base-files' version
    (``12.4+deb12u5`` -> ``12``); None when there is no such package or it is not
    Debian's (Ubuntu's base-files is ``13ubuntu10``)."""
    for name, version in packages:
        if name == "base-files":
            match = _BASE_FILES.match(version)
            return match.group(1) if match else None
    return None
