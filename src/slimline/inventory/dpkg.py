"""dpkg's database: ``/var/lib/dpkg/status`` and distroless' ``/var/lib/dpkg/status.d/*``.

Both are deb822 stanzas (RFC 822-style fields, continuation lines, stanzas
separated by blank lines), read with python-debian's :class:`~debian.deb822.Deb822`.
"""

from __future__ import annotations

from debian.deb822 import Deb822

from slimline.inventory.model import Package

#: The fields a package's entry needs: the parser keeps no others.
_FIELDS = ["Package", "Status", "Version", "Architecture", "Multi-Arch", "Installed-Size",
           "Source"]
#: Architectures whose packages are named without ``:arch`` even when Multi-Arch: same.
_NATIVE = ("amd64", "arm64")


def parse_dpkg_status(text: str, *, require_installed: bool = True) -> list[Package]:
    """Packages of a dpkg ``status`` file (or a distroless ``status.d`` entry).

    Only packages whose Status ends in ``installed`` count (``install ok
    installed``, not ``deinstall ok config-files``); distroless ``status.d``
    files may have no Status field and list installed packages only
    (``require_installed=False``). A ``Multi-Arch: same`` package of a foreign
    architecture is named ``name:arch``, as dpkg names it.
    """
    out: list[Package] = []
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
        arch = stanza.get("Architecture", "")
        multi = stanza.get("Multi-Arch", "") == "same" and arch not in ("", "all")
        version = stanza.get("Version", "")
        # ``Source: name`` or ``Source: name (version)`` (none: the package's own)
        source, _, source_version = stanza.get("Source", "").partition("(")
        source = source.strip()
        out.append(
            Package(
                "deb",
                f"{name}:{arch}" if multi and arch not in _NATIVE else name,
                version,
                int(size) * 1024 if size.isdigit() else None,  # Installed-Size is in KiB
                source,
                (source_version.strip(" )") or version) if source else "",
            )
        )
    return out
