"""dpkg's status file and distroless' status.d entries, read with python-debian."""

from __future__ import annotations

from slimline.inventory import Package, parse_dpkg_status

#: Stanzas as Debian 12's dpkg writes them (shortened descriptions).
DPKG_STATUS = """\
Package: adduser
Status: install ok installed
Priority: important
Section: admin
Installed-Size: 686
Maintainer: Debian Adduser Developers <adduser@packages.debian.org>
Architecture: all
Multi-Arch: foreign
Version: 3.134
Depends: passwd
Suggests: liblocale-gettext-perl, perl, cron, quota
Conffiles:
 /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18
 /etc/deluser.conf 11a06baf8245fd8d690b99024d228c1f
Description: add and remove users and groups
 This package includes the 'adduser' and 'deluser' commands for creating
 and removing users.
 .
 Package: not-a-package
 Version: 99

Package: bash
Essential: yes
Status: install ok installed
Priority: required
Section: shells
Installed-Size: 7164
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: bash (5.2.15-2)
Version: 5.2.15-2+b13
Replaces: bash-completion (<< 20060301-0), bash-doc (<= 2.05-1)
Depends: base-files (>= 2.1.12), debianutils (>= 5.6-0.1)
Pre-Depends: libc6 (>= 2.36), libtinfo6 (>= 6)
Conffiles:
 /etc/bash.bashrc 89269e1298235f1b12b4c16e4065ad0d
 /etc/skel/.bashrc ee35a240758f374832e809ae0ea4883a
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter that executes
 commands read from the standard input or from a file.

Package: gcc-12
Status: deinstall ok config-files
Priority: optional
Section: devel
Installed-Size: 68236
Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14
Description: GNU C compiler

Package: libbz2-1.0
Status: install ok installed
Priority: important
Section: libs
Installed-Size: 106
Maintainer: Anibal Monsalve Salazar <anibal@debian.org>
Architecture: amd64
Multi-Arch: same
Source: bzip2 (1.0.8-5)
Version: 1.0.8-5+b1
Depends: libc6 (>= 2.4)
Description: high-quality block-sorting file compressor library - runtime

Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12000
Architecture: i386
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
"""

#: A distroless status.d entry (/var/lib/dpkg/status.d/libbz2-1.0): one stanza per file.
STATUS_D_ENTRY = """\
Package: libbz2-1.0
Status: install ok installed
Source: bzip2 (1.0.8-5)
Version: 1.0.8-5+b1
Architecture: amd64
Maintainer: Anibal Monsalve Salazar <anibal@debian.org>
Installed-Size: 106
Depends: libc6 (>= 2.4)
Section: libs
Priority: important
Multi-Arch: same
Homepage: https://sourceware.org/bzip2/
Description: high-quality block-sorting file compressor library - runtime
 This package contains libbzip2 which is used by the bzip2 compressor.
 .
 bzip2 is a freely available, patent free, data compressor.
"""


def test_installed_packages_with_their_binary_version_and_size() -> None:
    assert parse_dpkg_status(DPKG_STATUS) == [
        Package("deb", "adduser", "3.134", 686 * 1024),
        # The binary package's version, not the one in Source: (...), which is the source's.
        Package("deb", "bash", "5.2.15-2+b13", 7164 * 1024, "bash", "5.2.15-2"),
        # gcc-12 is removed (deinstall, only its config files left): not listed.
        # Multi-Arch: same on the native architecture: the plain name.
        Package("deb", "libbz2-1.0", "1.0.8-5+b1", 106 * 1024, "bzip2", "1.0.8-5"),
        # ... and on a foreign one, dpkg's name:arch; Source: without a version: the binary's.
        Package("deb", "libc6:i386", "2.36-9+deb12u4", 12000 * 1024, "glibc", "2.36-9+deb12u4"),
    ]


def test_description_and_conffiles_lines_are_not_fields() -> None:
    names = [p.name for p in parse_dpkg_status(DPKG_STATUS)]
    assert "not-a-package" not in names
    assert "/etc/adduser.conf" not in names


def test_distroless_status_d_entry() -> None:
    assert parse_dpkg_status(STATUS_D_ENTRY, require_installed=False) == [
        Package("deb", "libbz2-1.0", "1.0.8-5+b1", 106 * 1024, "bzip2", "1.0.8-5")
    ]


def test_status_d_entries_without_a_status_field() -> None:
    # Older distroless images write status.d entries without Status.
    text = "Package: libssl3\nVersion: 3.0.11-1\nArchitecture: amd64\n"
    assert parse_dpkg_status(text) == []
    assert parse_dpkg_status(text, require_installed=False) == [
        Package("deb", "libssl3", "3.0.11-1", None)
    ]


def test_stanzas_without_package_or_size() -> None:
    text = "Status: install ok installed\nVersion: 1\n\nPackage: x\nStatus: install ok installed\n"
    assert parse_dpkg_status(text) == [Package("deb", "x", "", None)]
