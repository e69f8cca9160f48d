"""A small Debian-like root filesystem in two layers, as an image archive or a directory.

Layer 1 is the base: os-release behind a symlink, merged /usr (``/bin`` and
``/lib`` are links), dpkg's status and ``.list`` files, a slim image's
``path-exclude`` configuration and Debian's python3-six. Layer 2 is the
application: it deletes libc (a whiteout: the database no longer matches), adds a
virtualenv-style site-packages, node_modules, a Go program and files no package
owns.
"""

from __future__ import annotations

import os
from pathlib import Path

from elf_fixture import elf_with_sections, go_buildinfo_section
from imagebuilder import E, Spec, d, layer, sym, wh, write_legacy_archive

DPKG_STATUS = b"""\
Package: bash
Status: install ok installed
Installed-Size: 7164
Architecture: amd64
Multi-Arch: foreign
Source: bash (5.2.15-2)
Version: 5.2.15-2+b2

Package: libc6
Status: install ok installed
Installed-Size: 12986
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4

Package: python3-six
Status: install ok installed
Installed-Size: 60
Architecture: all
Version: 1.16.0-4

Package: removed-tool
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1
"""

BASH_LIST = b"""/.
/bin
/bin/bash
/usr
/usr/share
/usr/share/doc
/usr/share/doc/bash
/usr/share/doc/bash/CHANGES.gz
/usr/share/doc/bash/copyright
/usr/share/man/man1/bash.1.gz
/var/lib/bash-empty
"""
#: regular files only: /var/lib/bash-empty (an empty directory, deleted) is not one
BASH_MD5SUMS = b"""\
0123456789abcdef0123456789abcdef  bin/bash
0123456789abcdef0123456789abcdef  usr/share/doc/bash/CHANGES.gz
0123456789abcdef0123456789abcdef  usr/share/doc/bash/copyright
0123456789abcdef0123456789abcdef  usr/share/man/man1/bash.1.gz
"""

LIBC_LIST = b"""/.
/lib
/lib/x86_64-linux-gnu
/lib/x86_64-linux-gnu/libc.so.6
/usr/share/doc/libc6/copyright
"""

SIX = "/usr/lib/python3/dist-packages"
SIX_LIST = f"/.\n{SIX}\n{SIX}/six-1.16.0.dist-info\n{SIX}/six-1.16.0.dist-info/METADATA\n" \
    f"{SIX}/six.py\n".encode()

SITE = "usr/local/lib/python3.11/site-packages"
RECORD = (
    b"requests/__init__.py,sha256=x,4000\n"
    b"../../../bin/req-tool,sha256=y,300\n"
    b"requests-2.31.0.dist-info/METADATA,,\n"
    b"requests-2.31.0.dist-info/RECORD,,\n"
)
MODINFO = "path\texample.com/server\nmod\texample.com/server\tv1.2.3\th1:a=\n" \
    "dep\tgolang.org/x/net\tv0.17.0\th1:b=\nbuild\tGOOS=linux\n"
GO_PROGRAM = elf_with_sections({".text": b"\x90" * 4096,
                                ".go.buildinfo": go_buildinfo_section("go1.21.5", MODINFO)})


def data(name: str, content: bytes) -> E:
    return E(name, "file", len(content), data=content)


BASE = [
    d("usr"), d("usr/bin"), d("usr/lib"), d("usr/lib/x86_64-linux-gnu"),
    sym("bin", "usr/bin"), sym("lib", "usr/lib"),
    data("usr/lib/os-release", b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
         b'VERSION_ID="12"\nVERSION_CODENAME=bookworm\n'),
    d("etc"), sym("etc/os-release", "../usr/lib/os-release"),
    data("etc/dpkg/dpkg.cfg.d/docker", b"# slim\npath-exclude /usr/share/doc/*\n"
         b"path-include /usr/share/doc/*/copyright\npath-exclude=/usr/share/man/*\n"),
    data("usr/bin/bash", b"\x7fELF" + b"b" * 3000),
    data("usr/share/doc/bash/copyright", b"bash copyright\n"),
    data("usr/lib/x86_64-linux-gnu/libc.so.6", b"\x7fELF" + b"c" * 2000),
    data("usr/share/doc/libc6/copyright", b"glibc copyright\n"),
    data(f"{SIX[1:]}/six-1.16.0.dist-info/METADATA", b"Name: six\nVersion: 1.16.0\n"),
    data(f"{SIX[1:]}/six.py", b"# six\n" * 10),
    data(f"{SIX[1:]}/__pycache__/six.cpython-311.pyc", b"\x00" * 100),
    data("var/lib/dpkg/status", DPKG_STATUS),
    data("var/lib/dpkg/info/bash.list", BASH_LIST),
    data("var/lib/dpkg/info/bash.md5sums", BASH_MD5SUMS),
    data("var/lib/dpkg/info/libc6:amd64.list", LIBC_LIST),
    data("var/lib/dpkg/info/python3-six.list", SIX_LIST),
]

APP = [
    wh("usr/lib/x86_64-linux-gnu/libc.so.6"),
    data(f"{SITE}/requests-2.31.0.dist-info/METADATA",
         b"Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"
         b"License: Apache 2.0\n\nLong text.\n"),
    data(f"{SITE}/requests-2.31.0.dist-info/RECORD", RECORD),
    data(f"{SITE}/requests/__init__.py", b"#" * 4000),
    data("usr/local/bin/req-tool", b"#!/usr/bin/python\n" + b"#" * 282),
    data(f"{SITE}/Legacy_Pkg.egg-info/PKG-INFO", b"Name: Legacy_Pkg\nVersion: 0.9\n"
         b"License: Permission is hereby granted, free of charge,\n to any person...\n"),
    data(f"{SITE}/Legacy_Pkg.egg-info/installed-files.txt", b"../legacy/__init__.py\n"),
    data(f"{SITE}/legacy/__init__.py", b"# legacy\n"),
    data("app/node_modules/@scope/pkg/package.json",
         b'{"name": "@scope/pkg", "version": "2.0.0", "license": "MIT"}'),
    data("app/node_modules/@scope/pkg/index.js", b"module.exports = 1;\n"),
    data("app/node_modules/left-pad/package.json",
         b'{"name": "left-pad", "version": "1.3.0", "license": {"type": "WTFPL"}}'),
    data("app/node_modules/left-pad/test/package.json", b'{"name": "fixture", "version": "0"}'),
    data("app/node_modules/left-pad/node_modules/inner/package.json",
         b'{"name": "inner", "version": "0.1.0"}'),
    data("app/server", GO_PROGRAM),
    data("app/big.bin", b"\x01" * 50_000),
    data("app/config.yaml", b"port: 8080\n"),
]


def write_image(path: Path) -> Path:
    write_legacy_archive(path, Spec([layer(BASE), layer(APP)]))
    return path


def write_directory(root: Path) -> Path:
    """The same filesystem unpacked: whiteouts applied, links made as links."""
    for entry in [*BASE, *APP]:
        target = root / entry.name
        parent, _, base = entry.name.rpartition("/")
        if base.startswith(".wh."):
            (root / parent / base[4:]).unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.kind == "dir":
            target.mkdir(exist_ok=True)
        elif entry.kind == "symlink":
            os.symlink(entry.link, target)
        else:
            target.write_bytes(entry.data or b"")
    return root
