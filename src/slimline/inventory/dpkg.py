"""dpkg's database: ``/var/lib/dpkg/status`` and distroless' ``/var/lib/dpkg/status.d/*``.

Both are deb822 stanzas (RFC 822-style fields, continuation lines, stanzas
separated by blank lines), read with python-debian's :class:`~debian.deb822.Deb822`.
The files of a package are listed in ``/var/lib/dpkg/info/NAME[:ARCH].list`` (one
absolute path a line), or for distroless in ``status.d/NAME.md5sums`` (``md5
relative/path`` lines). dpkg's ``path-exclude``/``path-include`` options
(``/etc/dpkg/dpkg.cfg.d/*``, set by slim images to leave out documentation) keep
files off the disk while the ``.list`` files still name them.
"""

from __future__ import annotations

import fnmatch
import re

from debian.deb822 import Deb822

from slimline.inventory.model import Component, Package

#: The fields a package's entry needs: the parser keeps no others.
_FIELDS = ["Package", "Status", "Version", "Architecture", "Multi-Arch", "Installed-Size",
           "Source"]
#: Architectures whose packages are named without ``:arch`` even when Multi-Arch: same.
_NATIVE = ("amd64", "arm64")
#: ``Source: name`` or ``Source: name (version)``
_SOURCE = re.compile(r"^\s*(\S+)(?:\s*\((.+)\))?\s*$")

DPKG_INFO = "/var/lib/dpkg/info/"
DPKG_CONFIG_D = "/etc/dpkg/dpkg.cfg.d/"


def parse_dpkg_components(
    text: str, location: str, *, require_installed: bool = True
) -> list[Component]:
    """The installed packages of a dpkg ``status`` file (or a distroless ``status.d`` entry).

    Only packages whose Status ends in ``installed`` count (``install ok
    installed``, not ``deinstall ok config-files``); distroless ``status.d``
    files may have no Status field and list installed packages only
    (``require_installed=False``). The source package and version default to the
    binary package's own, as dpkg-query's ``${source:Package}`` does.
    """
    out: list[Component] = []
    for stanza in Deb822.iter_paragraphs(text.splitlines(), fields=_FIELDS, use_apt_pkg=False):
        name = stanza.get("Package")
        if not name:
            continue
        status = stanza.get("Status")
        if status is not None:
            if status.split()[-1:] != ["installed"]:
                continue
        elif require_installed:
            continue
        size = stanza.get("Installed-Size", "")
        version = stanza.get("Version", "")
        source, source_version = name, version
        match = _SOURCE.match(stanza.get("Source", ""))
        if match is not None:
            source = match.group(1)
            source_version = (match.group(2) or version).strip()
        out.append(
            Component(
                "deb", name, version, location,
                arch=stanza.get("Architecture", ""),
                source=source,
                source_version=source_version,
                multi_arch=stanza.get("Multi-Arch", ""),
                size=int(size) * 1024 if size.isdigit() else None,  # Installed-Size is in KiB
            )
        )
    return out


def dpkg_name(component: Component) -> str:
    """The name dpkg shows: ``name:arch`` for a foreign ``Multi-Arch: same`` package."""
    multi = component.multi_arch == "same" and component.arch not in ("", "all")
    return f"{component.name}:{component.arch}" if multi and component.arch not in _NATIVE \
        else component.name


def parse_dpkg_status(text: str, *, require_installed: bool = True) -> list[Package]:
    """Packages of a dpkg ``status`` file (or a distroless ``status.d`` entry), for compare.

    A ``Multi-Arch: same`` package of a foreign architecture is named ``name:arch``,
    as dpkg names it.
    """
    return [
        Package("deb", dpkg_name(c), c.version, c.size)
        for c in parse_dpkg_components(text, "", require_installed=require_installed)
    ]


def info_file_candidates(component: Component, suffix: str) -> tuple[str, str]:
    """The two names dpkg may give the ``.list`` (or ``.md5sums``) file of ``component``
    (``name:arch`` first, as for ``Multi-Arch: same`` packages)."""
    return (f"{DPKG_INFO}{component.name}:{component.arch}{suffix}",
            f"{DPKG_INFO}{component.name}{suffix}")


def parse_list_file(text: str) -> tuple[str, ...]:
    """The paths of a ``.list`` file (``/.`` is the root directory and is left out)."""
    return tuple(line for line in text.splitlines() if line and line != "/.")


def parse_md5sums(text: str) -> tuple[str, ...]:
    """The paths of an ``md5sums`` file: ``<md5>  <path relative to />`` lines."""
    out: list[str] = []
    for line in text.splitlines():
        _digest, _, rel = line.partition("  ")
        if rel:
            out.append("/" + rel.lstrip("/"))
    return tuple(out)


class PathFilter:
    """dpkg's ``path-exclude``/``path-include`` options: the last pattern that matches wins."""

    def __init__(self, rules: list[tuple[bool, str]]) -> None:
        self.rules = rules

    @classmethod
    def parse(cls, texts: list[str]) -> PathFilter:
        """The rules of dpkg configuration files (``option value`` or ``option=value`` lines)."""
        rules: list[tuple[bool, str]] = []
        for text in texts:
            for line in text.splitlines():
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                option, _, value = line.partition("=") if "=" in line.split()[0] \
                    else line.partition(" ")
                option = option.strip().removeprefix("--")
                if option in ("path-exclude", "path-include") and value.strip():
                    rules.append((option == "path-exclude", value.strip()))
        return cls(rules)

    def excluded(self, path: str) -> bool:
        """Whether dpkg left ``path`` out when it unpacked the package."""
        verdict = False
        for exclude, pattern in self.rules:
            if fnmatch.fnmatchcase(path, pattern):
                verdict = exclude
        return verdict
