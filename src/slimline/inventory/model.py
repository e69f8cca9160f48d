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
