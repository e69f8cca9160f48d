"""The operating system of a root filesystem: ``/etc/os-release`` (or ``/usr/lib/os-release``).

The file is a list of shell-style ``KEY=value`` assignments (os-release(5));
values may be quoted with single or double quotes and use backslash escapes,
which :mod:`shlex` reads as the shell does.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

#: where os-release(5) says to look, in order
OS_RELEASE_PATHS = ("/etc/os-release", "/usr/lib/os-release")


@dataclass(frozen=True, slots=True)
class OsRelease:
    """``ID`` (debian, alpine, fedora...), ``VERSION_ID`` (12, 3.19.1), ``PRETTY_NAME``."""

    id: str
    version_id: str
    pretty_name: str
    version_codename: str = ""

    @property
    def distro(self) -> str:
        """``debian-12``: the ``distro`` qualifier of a package URL."""
        return f"{self.id}-{self.version_id}" if self.version_id else self.id


def parse_os_release(text: str) -> OsRelease | None:
    """The fields of an os-release file; None when it names no ``ID``."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, raw = line.partition("=")
        try:
            words = shlex.split(raw, posix=True)
        except ValueError:
            continue
        fields[key.strip()] = " ".join(words)
    if not fields.get("ID"):
        return None
    return OsRelease(
        id=fields["ID"].lower(),
        version_id=fields.get("VERSION_ID", ""),
        pretty_name=fields.get("PRETTY_NAME", ""),
        version_codename=fields.get("VERSION_CODENAME", ""),
    )
