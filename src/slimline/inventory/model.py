"""The package model shared by every database reader."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Package:
    """An installed package: ``ecosystem`` is deb, apk or python."""

    ecosystem: str
    name: str
    version: str
    size: int | None  # installed bytes, when the database says
    #: the source package it was built from (dpkg's ``Source:``, apk's origin) and its
    #: version, when the database names one (empty: the package's own name and version)
    source: str = ""
    source_version: str = ""


@dataclass(frozen=True, slots=True)
class Component:
    """A package of an SBOM: what one database (or one binary) says is installed.

    ``ecosystem`` is deb, apk, rpm, python, npm, go or rust. ``source`` and
    ``source_version`` name the source package a binary package was built from
    (dpkg's ``Source:``, apk's origin, rpm's source RPM), when the database says.
    ``location`` is the database file (or the binary) the entry was read from;
    ``files`` the absolute paths the database lists for the package, as listed.
    """

    ecosystem: str
    name: str
    version: str
    location: str
    arch: str = ""
    #: dpkg's ``Multi-Arch`` field (``same`` packages of another architecture are ``name:arch``)
    multi_arch: str = ""
    source: str = ""
    source_version: str = ""
    files: tuple[str, ...] = ()
    size: int | None = None
    licenses: tuple[str, ...] = ()
    #: the files the database says are regular files (dpkg's md5sums), when it says
    regular_files: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.ecosystem, self.name, self.version)
