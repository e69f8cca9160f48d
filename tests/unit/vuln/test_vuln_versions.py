"""Version order per ecosystem comes from libraries, never from comparing strings."""

from __future__ import annotations

import pytest

from slimline.vuln.versions import InvalidVersion, parse_version


@pytest.mark.parametrize("ecosystem", ["PyPI", "npm", "Go", "crates.io", "Debian:12",
                                       "Alpine:v3.19"])
def test_3_20_is_newer_than_3_7(ecosystem: str) -> None:
    assert parse_version(ecosystem, "3.20.0") > parse_version(ecosystem, "3.7.0")
    assert "3.20.0" < "3.7.0"  # what string comparison would say


def test_debian_epochs_and_tildes() -> None:
    assert parse_version("Debian", "1:2.3-1") > parse_version("Debian", "2.9-1")
    assert parse_version("Debian", "2.0~rc1-1") < parse_version("Debian", "2.0-1")
    assert parse_version("Debian", "3.0.11-1~deb12u2") > parse_version("Debian", "3.0.11-1~deb12u1")


def test_pep440_and_alpine_and_go() -> None:
    assert parse_version("PyPI", "1.0rc1") < parse_version("PyPI", "1.0")
    assert parse_version("PyPI", "1.0.post1") > parse_version("PyPI", "1.0")
    assert parse_version("Alpine", "1.2.3-r10") > parse_version("Alpine", "1.2.3-r9")
    assert parse_version("Go", "1.19.9") > parse_version("Go", "1.19.8")
    assert parse_version("npm", "1.10.0") > parse_version("npm", "1.9.0")


def test_semver_ranges_accept_a_v_prefix() -> None:
    assert parse_version("Go", "v1.2.3", semver=True) == parse_version("npm", "1.2.3")


@pytest.mark.parametrize(("ecosystem", "text"), [("PyPI", "not a version"), ("npm", "x.y"),
                                                 ("Debian", "a:b"), ("PyPI", ""),
                                                 ("Maven", "1.0")])
def test_invalid_versions_raise_invalid_version(ecosystem: str, text: str) -> None:
    with pytest.raises(InvalidVersion):
        parse_version(ecosystem, text)
