"""Licences of Debian packages: ``/usr/share/doc/PACKAGE/copyright``.

Files in the machine-readable format (DEP-5, ``Format: https://www.debian.org/doc/
packaging-manuals/copyright-format/1.0/``) name a licence per ``Files:`` paragraph.
Free-form copyright files say nothing a program can rely on and give no licence.
The names are Debian's short names (``GPL-2+``, ``Expat``, ``BSD-3-clause``), as
written.

The paragraphs are read with python-debian's fast :class:`~debian.deb822.Deb822`
parser, with the rules of its :class:`debian.copyright.Copyright` (the header is
the first paragraph and has a ``Format`` field; a licence's synopsis is the first
line of a ``Files`` paragraph's ``License`` field; field names are
case-insensitive). ``Copyright`` itself parses with the round-trip parser, seven
times slower: on an image with 400 packages that was most of ``sbom``'s time. The
stand-in images' and a Debian host's 1,792 copyright files give the same licences
both ways. Standalone ``License:`` paragraphs hold the licence texts (the bulk of
the bytes) and are skipped before parsing.
"""

from __future__ import annotations

import functools
import re

from debian.deb822 import Deb822

#: ``/usr/share/doc/NAME/copyright``
COPYRIGHT = re.compile(r"^/usr/share/doc/([^/]+)/copyright$")
#: the end of a paragraph: a line that is empty or holds only blanks
_PARAGRAPH_END = re.compile(r"\n[ \t]*(?:\n|$)")
_FILES_FIELD = re.compile(r"^files[ \t]*:", re.IGNORECASE | re.MULTILINE)
_FORMAT_FIELDS = ("Format", "Format-Specification")


def is_copyright_file(path: str) -> bool:
    return COPYRIGHT.match(path) is not None


@functools.lru_cache(maxsize=1024)
def copyright_licenses(text: str) -> tuple[str, ...]:
    """The licence short names of a machine-readable copyright file, in order of first
    appearance; none for a free-form one. The binary packages of one source package
    share their copyright file (half of the naive image's 383 are copies): each text
    is parsed once."""
    blocks = [block for block in _PARAGRAPH_END.split(text) if block.strip()]
    if not blocks:
        return ()
    # the header, then the Files paragraphs only
    wanted = [blocks[0], *(block for block in blocks[1:] if _FILES_FIELD.search(block))]
    paragraphs = Deb822.iter_paragraphs("\n\n".join(wanted).splitlines(), use_apt_pkg=False)
    header = next(paragraphs, None)
    if header is None or not any(name in header for name in _FORMAT_FIELDS):
        return ()
    out: list[str] = []
    for paragraph in paragraphs:
        value = paragraph.get("License") if "Files" in paragraph else None
        if value is None:
            continue
        lines = str(value).splitlines()
        # python-debian rejects a License field whose continuation lines do not start
        # with a space: that paragraph gives no licence
        if any(not line.startswith(" ") for line in lines[1:]):
            continue
        synopsis = lines[0].strip() if lines else ""
        if synopsis and synopsis not in out:
            out.append(synopsis)
    return tuple(out)
