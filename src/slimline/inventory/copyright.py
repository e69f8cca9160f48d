"""Licences of Debian packages: ``/usr/share/doc/PACKAGE/copyright``.

Files in the machine-readable format (DEP-5, ``Format: https://www.debian.org/doc/
packaging-manuals/copyright-format/1.0/``) name a licence per ``Files:`` paragraph;
they are read with python-debian's :class:`~debian.copyright.Copyright`. Free-form
copyright files say nothing a program can rely on and give no licence. The names
are Debian's short names (``GPL-2+``, ``Expat``, ``BSD-3-clause``), as written.
"""

from __future__ import annotations

import logging
import re
import warnings

from debian.copyright import Copyright, Error, NotMachineReadableError

#: ``/usr/share/doc/NAME/copyright``
COPYRIGHT = re.compile(r"^/usr/share/doc/([^/]+)/copyright$")


def is_copyright_file(path: str) -> bool:
    return COPYRIGHT.match(path) is not None


def copyright_licenses(text: str) -> tuple[str, ...]:
    """The licence short names of a machine-readable copyright file, in order of first
    appearance; none for a free-form one or one that cannot be parsed."""
    # python-debian warns (and logs "Fixing Format URL" for http:// format lines): the
    # file is read all the same, and the warnings are no news to the user
    log = logging.getLogger("debian.copyright")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = Copyright(text.splitlines(), strict=False)
    except (NotMachineReadableError, Error, ValueError):
        return ()
    finally:
        log.setLevel(level)
    out: list[str] = []
    for paragraph in parsed.all_files_paragraphs():
        try:
            license_field = paragraph.license  # a debian.copyright.License, or None
        except (Error, ValueError):
            continue
        synopsis = str(getattr(license_field, "synopsis", "") or "").strip()
        if synopsis and synopsis not in out:
            out.append(synopsis)
    return tuple(out)
