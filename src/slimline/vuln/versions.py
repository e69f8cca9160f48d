"""Version order per ecosystem, by maintained libraries (never by comparing strings).

dpkg versions (epochs, ``~``) with python-debian's :class:`debian.debian_support.Version`,
PEP 440 with :mod:`packaging.version`, and semver (npm, crates.io), Go module
versions and apk versions with univers. ``3.20`` is newer than ``3.7`` in all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

#: OSV ecosystems (the part before ``:``) whose versions this module orders
KNOWN_ECOSYSTEMS = ("Debian", "PyPI", "npm", "Go", "crates.io", "Alpine")


class Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...
    def __gt__(self, other: Any, /) -> bool: ...
    def __ge__(self, other: Any, /) -> bool: ...


class InvalidVersion(ValueError):
    """A version string that the ecosystem's scheme does not accept."""


def _debian(text: str) -> Comparable:
    from debian.debian_support import Version

    try:
        version = Version(text)
    except ValueError as exc:
        raise InvalidVersion(str(exc)) from None
    return version


def _pypi(text: str) -> Comparable:
    from packaging.version import InvalidVersion as PackagingInvalid
    from packaging.version import Version

    try:
        return Version(text)
    except PackagingInvalid as exc:
        raise InvalidVersion(str(exc)) from None


def _univers(kind: str) -> Callable[[str], Comparable]:
    def parse(text: str) -> Comparable:
        from univers import versions

        cls = {
            "semver": versions.SemverVersion,
            "go": versions.GolangVersion,
            "alpine": versions.AlpineLinuxVersion,
        }[kind]
        try:
            version: Comparable = cls(text)
        except (versions.InvalidVersion, ValueError, TypeError) as exc:
            raise InvalidVersion(str(exc)) from None
        return version

    return parse


_PARSERS: dict[str, Callable[[str], Comparable]] = {
    "Debian": _debian,
    "PyPI": _pypi,
    "npm": _univers("semver"),
    "crates.io": _univers("semver"),
    "Go": _univers("go"),
    "Alpine": _univers("alpine"),
}


def base_ecosystem(ecosystem: str) -> str:
    """``Debian:12`` -> ``Debian``; ``Alpine:v3.19`` -> ``Alpine``."""
    return ecosystem.split(":", 1)[0]


def parse_version(ecosystem: str, text: str, *, semver: bool = False) -> Comparable:
    """``text`` as an ordered version of ``ecosystem`` (an OSV ecosystem name, with or
    without its release suffix). ``semver`` forces the semver scheme (OSV SEMVER ranges).

    Raises :class:`InvalidVersion` when the scheme does not accept ``text`` or the
    ecosystem is not one this module knows.
    """
    if not text:
        raise InvalidVersion("empty version")
    if semver:
        return _PARSERS["npm"](text.removeprefix("v"))
    parser = _PARSERS.get(base_ecosystem(ecosystem))
    if parser is None:
        raise InvalidVersion(f"no version scheme for ecosystem {ecosystem!r}")
    return parser(text)
