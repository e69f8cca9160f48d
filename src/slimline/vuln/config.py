"""``[scan]`` in the configuration (``.slimline.toml``, or ``[tool.slimline.scan]``)::

    [scan]
    max-db-age-days = 7              # warn when the database is older
    ignore = [
      {id = "CVE-2023-1234", reason = "not reachable: we never parse X", expires = "2027-01-01"},
    ]

Each ignore entry needs a ``reason``; ``expires`` (a date) is optional. An entry
names a vulnerability by any of its ids (CVE, GHSA, PYSEC, DSA...). On and after
its expiry date it no longer applies, and the scan says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from slimline.errors import SlimlineError
from slimline.vuln.model import Finding, IgnoreRule

DEFAULT_MAX_AGE_DAYS = 7
_KEYS = {"ignore", "max-db-age-days"}
_ENTRY_KEYS = {"id", "reason", "expires"}


@dataclass(slots=True)
class ScanConfig:
    ignore: list[IgnoreRule] = field(default_factory=list)
    max_age_days: float = DEFAULT_MAX_AGE_DAYS
    source: Path | None = None


def scan_config_from_table(table: Any, path: Path) -> ScanConfig:
    """The ``[scan]`` table of a configuration file (SlimlineError when it is wrong)."""
    if not isinstance(table, dict):
        raise SlimlineError("'scan' must be a table", path=path)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise SlimlineError(f"unknown setting scan.{unknown[0]} (known: "
                            f"{', '.join(sorted(_KEYS))})", path=path)
    cfg = ScanConfig(source=path)
    age = table.get("max-db-age-days", DEFAULT_MAX_AGE_DAYS)
    if isinstance(age, bool) or not isinstance(age, int | float) or age <= 0:
        raise SlimlineError("scan.max-db-age-days must be a positive number", path=path)
    cfg.max_age_days = float(age)
    entries = table.get("ignore", [])
    if not isinstance(entries, list):
        raise SlimlineError("scan.ignore must be a list of {id, reason, expires} tables",
                            path=path)
    for i, entry in enumerate(entries):
        where = f"scan.ignore[{i}]"
        if not isinstance(entry, dict):
            raise SlimlineError(f"{where} must be a table {{id, reason, expires}}", path=path)
        extra = sorted(set(entry) - _ENTRY_KEYS)
        if extra:
            raise SlimlineError(f"{where}: unknown key {extra[0]!r}", path=path)
        ident, reason = entry.get("id"), entry.get("reason")
        if not isinstance(ident, str) or not ident.strip():
            raise SlimlineError(f"{where} needs an id", path=path)
        if not isinstance(reason, str) or not reason.strip():
            raise SlimlineError(f"{where} ({ident}) needs a reason", path=path)
        expires = entry.get("expires", "")
        if isinstance(expires, date):
            expires = expires.isoformat()  # TOML dates arrive as dates
        if not isinstance(expires, str):
            raise SlimlineError(f"{where} ({ident}): expires must be a date", path=path)
        if expires:
            try:
                date.fromisoformat(expires)
            except ValueError:
                raise SlimlineError(f"{where} ({ident}): expires {expires!r} is not a date "
                                    "(YYYY-MM-DD)", path=path) from None
        cfg.ignore.append(IgnoreRule(ident.strip(), reason.strip(), expires))
    return cfg


def load_scan_config(start: Path, explicit: Path | None = None) -> ScanConfig:
    """The ``[scan]`` table of the nearest configuration (the one lint reads)."""
    from slimline.lint.config import find_config, read_config_file

    if explicit is not None:
        found: tuple[Path, dict[str, Any]] | None = (explicit, read_config_file(explicit) or {})
    else:
        found = find_config(start)
    if found is None or "scan" not in found[1]:
        return ScanConfig()
    return scan_config_from_table(found[1]["scan"], found[0])


def apply_ignores(findings: list[Finding], rules: list[IgnoreRule], today: date
                  ) -> tuple[list[Finding], list[tuple[Finding, IgnoreRule]], list[IgnoreRule]]:
    """(findings kept, findings ignored with their entry, expired entries)."""
    active = [r for r in rules if not r.expires or date.fromisoformat(r.expires) > today]
    expired = [r for r in rules if r not in active]
    kept: list[Finding] = []
    ignored: list[tuple[Finding, IgnoreRule]] = []
    for finding in findings:
        rule = next((r for r in active if r.id in finding.ids), None)
        if rule is None:
            kept.append(finding)
        else:
            ignored.append((finding, rule))
    return kept, ignored, expired
