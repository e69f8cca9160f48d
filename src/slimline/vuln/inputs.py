"""Reading what ``slimline db import`` is given, with limits.

A PATH is an OSV export (``all.zip``), a directory of OSV records (``*.json``,
``*.yaml``, ``*.yml``, searched recursively), one OSV record file, or the Debian
security tracker's JSON. Zip archives are checked before anything is inflated
(member count, each member's size, the total) and read with those limits, so a
zip bomb is an error and not a full disk or memory.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from slimline import fsio
from slimline.errors import SlimlineError
from slimline.vuln.debian import TRACKER_SOURCE, tracker_advisories
from slimline.vuln.model import Advisory
from slimline.vuln.osv import MalformedRecord, is_withdrawn, parse_osv

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How much an import reads at most."""

    members: int = 1_000_000  # records of one archive or directory
    member_bytes: int = 16 * MIB  # one record
    total_bytes: int = 8 * 1024 * MIB  # one archive's records, inflated
    document_bytes: int = 1024 * MIB  # one JSON document (the tracker's is ~100 MiB)


class InputError(SlimlineError):
    """An input that cannot be imported at all (a broken or oversized archive)."""


#: what reading one input yields: an advisory, a withdrawn record's id, or a malformed one
Item = Advisory | str | MalformedRecord


class _NoAliasLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML without anchors and aliases (records never need them; aliases can make a
    small document stand for a huge one)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise MalformedRecord("YAML aliases are not accepted in records")
        return super().compose_node(parent, index)


def decode_record(data: bytes, name: str) -> Any:
    """A JSON or YAML document (YAML by the name's suffix); MalformedRecord when it is not."""
    try:
        if name.endswith((".yaml", ".yml")):
            return yaml.load(data.decode("utf-8"), Loader=_NoAliasLoader)
        return json.loads(data)
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise MalformedRecord(f"not valid {'YAML' if name.endswith(('.yaml', '.yml')) else 'JSON'}"
                              f" ({first})") from None


def _record(data: bytes, name: str, source: str) -> Item:
    try:
        doc = decode_record(data, name)
        if is_withdrawn(doc):
            return str(doc.get("id", name))
        return parse_osv(doc, source)
    except MalformedRecord as exc:
        return MalformedRecord(f"{name}: {exc}")


def _is_record_name(name: str) -> bool:
    return name.endswith((".json", ".yaml", ".yml"))


def read_zip(path: Path, limits: Limits) -> Iterator[Item]:
    """The records of an OSV ``all.zip``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a readable zip archive: {exc}", path=path) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and _is_record_name(m.filename)]
        if len(members) > limits.members:
            raise InputError(f"{len(members)} records in the archive, more than the limit of "
                             f"{limits.members}", path=path)
        total = 0
        for member in members:
            if member.file_size > limits.member_bytes:
                raise InputError(f"{member.filename} inflates to {member.file_size} bytes, more "
                                 f"than the limit of {fsio.human_limit(limits.member_bytes)} "
                                 "for one record (a zip bomb?)", path=path)
            total += member.file_size
        if total > limits.total_bytes:
            raise InputError(f"the records inflate to {total} bytes, more than the limit of "
                             f"{fsio.human_limit(limits.total_bytes)} (a zip bomb?)", path=path)
        for member in members:
            try:
                with archive.open(member) as handle:
                    # the declared sizes were checked; zipfile stops at them and checks the CRC
                    data = handle.read(limits.member_bytes + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise InputError(f"{member.filename}: broken archive member ({exc})",
                                 path=path) from None
            if len(data) > limits.member_bytes:
                raise InputError(f"{member.filename} is larger than it says", path=path)
            yield _record(data, member.filename, "osv")


def read_directory(path: Path, limits: Limits) -> Iterator[Item]:
    """The records of a directory of OSV files (recursively, in name order)."""
    files = sorted(p for p in path.rglob("*") if _is_record_name(p.name) and p.is_file())
    if len(files) > limits.members:
        raise InputError(f"{len(files)} record files, more than the limit of {limits.members}",
                         path=path)
    for file in files:
        try:
            data = fsio.read_bytes(file, limit=limits.member_bytes, what="record")
        except SlimlineError as exc:
            yield MalformedRecord(str(exc))
            continue
        yield _record(data, str(file.relative_to(path)), "osv")


def _looks_like_tracker(doc: Any) -> bool:
    if not isinstance(doc, dict) or "id" in doc:
        return False
    for issues in doc.values():
        if isinstance(issues, dict):
            return any(isinstance(i, dict) and "releases" in i for i in issues.values())
    return False


def read_document(path: Path, limits: Limits) -> tuple[str, Iterator[Item]]:
    """One JSON/YAML file: the Debian tracker's document, or one OSV record."""
    data = fsio.read_bytes(path, limit=limits.document_bytes, what="vulnerability data")
    try:
        doc = decode_record(data, path.name)
    except MalformedRecord as exc:
        raise InputError(str(exc), path=path) from None
    if _looks_like_tracker(doc):
        return TRACKER_SOURCE, tracker_advisories(doc)
    return "osv", iter([_record(data, path.name, "osv")])


def read_input(path: Path, limits: Limits | None = None) -> tuple[str, Iterator[Item]]:
    """The kind of ``path`` (``osv`` or ``debian-tracker``) and its records."""
    limits = limits or Limits()
    if path.is_dir():
        return "osv", read_directory(path, limits)
    if not path.exists():
        raise InputError("no such file or directory", path=path)
    if path.suffix == ".zip" or zipfile.is_zipfile(path):
        return "osv", read_zip(path, limits)
    return read_document(path, limits)
