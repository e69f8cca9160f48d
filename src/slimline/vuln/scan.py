"""``slimline scan``: an image's packages against the local vulnerability database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from slimline.vuln.config import ScanConfig, apply_ignores
from slimline.vuln.db import Database, now_utc
from slimline.vuln.debian import release_from_dpkg, release_from_os_release
from slimline.vuln.match import Installed, Releases, match_packages
from slimline.vuln.model import Level, ScanResult


@dataclass(frozen=True, slots=True)
class ScanRequest:
    reference: str
    db_path: Path | None = None
    platform: str | None = None
    only_fixed: bool = False
    fail_on: Level | None = None
    config: ScanConfig | None = None


def releases_of(packages: Sequence[Installed], os_id: str = "", version_id: str = ""
                ) -> tuple[Releases, list[str]]:
    """The Debian release of the image: os-release's VERSION_ID when given, else
    base-files' version in the dpkg data; unknown (every release matched) with a warning."""
    warnings: list[str] = []
    releases = Releases()
    if any(p.ecosystem == "deb" for p in packages):
        if os_id:
            releases.debian = release_from_os_release(os_id, version_id)
            why = f"os-release says {os_id} {version_id}".rstrip()
        else:
            releases.debian = release_from_dpkg((p.name, p.version) for p in packages
                                                if p.ecosystem == "deb")
            why = "no os-release, and no Debian base-files package in the dpkg data"
        if releases.debian is None:
            warnings.append(f"the Debian release of the image is unknown ({why}): advisories "
                            "of every Debian release were matched")
    if any(p.ecosystem == "apk" for p in packages):
        if os_id == "alpine" and version_id:
            releases.alpine = "v" + ".".join(version_id.split(".")[:2])
        else:
            warnings.append("the Alpine release of the image is unknown: advisories of every "
                            "Alpine release were matched")
    return releases, warnings


def scan_packages(target: str, packages: Sequence[Installed], db: Database,
                  config: ScanConfig, *, only_fixed: bool = False, fail_on: Level | None = None,
                  os_id: str = "", version_id: str = "", now: datetime | None = None
                  ) -> ScanResult:
    """Match ``packages`` and apply the configuration (ignores, database age)."""
    now = now or now_utc()
    releases, warnings = releases_of(packages, os_id, version_id)
    matched = match_packages(packages, db, releases)
    findings = [f for f in matched.findings if f.fixed or not only_fixed]
    kept, ignored, expired = apply_ignores(findings, config.ignore, now.date())
    age = (now - db.built).total_seconds() / 86400
    if age > config.max_age_days:
        warnings.insert(0, f"the vulnerability database is {age:.0f} days old (built "
                        f"{db.built.date()}): run `slimline db update`")
    for rule in expired:
        warnings.append(f"ignore entry for {rule.id} expired on {rule.expires} and no longer "
                        "applies")
    return ScanResult(
        target=target,
        findings=kept,
        packages=len(packages),
        ignored=ignored,
        expired=expired,
        warnings=warnings + matched.warnings,
        distro=f"Debian:{releases.debian}" if releases.debian else "",
        database=str(db.path),
        database_built=db.built.isoformat(),
        only_fixed=only_fixed,
        fail_on=fail_on,
    )


def run_scan(request: ScanRequest) -> ScanResult:
    """Take the image's inventory (every package database, programs' build info) and scan
    it; IMAGE may also be a root filesystem directory, as for ``slimline sbom``."""
    from slimline.inventory.target import inventory_of
    from slimline.vuln.config import ScanConfig
    from slimline.vuln.db import open_database

    with open_database(request.db_path) as db:  # before the image: no database, no reading
        inventory = inventory_of(request.reference, request.platform)
        os_release = inventory.os
        return scan_packages(
            request.reference,
            inventory.components,
            db,
            request.config or ScanConfig(),
            only_fixed=request.only_fixed,
            fail_on=request.fail_on,
            os_id=os_release.id if os_release else "",
            version_id=os_release.version_id if os_release else "",
        )


__all__ = ["ScanRequest", "releases_of", "run_scan", "scan_packages"]
