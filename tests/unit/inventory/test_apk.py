"""apk's installed database."""

from __future__ import annotations

from slimline.inventory import Package, parse_apk_installed

#: As Alpine 3.19's apk writes /lib/apk/db/installed (checksums shortened).
APK_INSTALLED = """\
C:Q1a2+jzQ7ZzLjrNs8w0rCpm8Gw3tY=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1700234587
c:0e6ad0bc6b5bd0f1fee4b8b0f9a67f30a1a5a5d1
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1k1uO7gQ8x1XjAcYqZ0mBvU1D5Ck=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1wX0s8y5Qp0lJ2Xr3mF7aW7hK1bE=
P:apk-tools
V:2.14.0-r5
A:x86_64
S:119814
I:307200
T:Alpine Package Keeper - package manager for alpine
i:alpine-baselayout
D:musl>=1.2.3_git20230424 ca-certificates-bundle so:libc.musl-x86_64.so.1
p:so:libapk.so.2.14.0=2.14.0 cmd:apk=2.14.0-r5
F:sbin
R:apk
a:0:0:755
"""


def test_names_versions_and_installed_sizes() -> None:
    assert parse_apk_installed(APK_INSTALLED) == [
        # o: is the origin (source) package, when the entry has one
        Package("apk", "musl", "1.2.4_git20230717-r4", 667648, "musl", "1.2.4_git20230717-r4"),
        Package("apk", "apk-tools", "2.14.0-r5", 307200),  # no o: line
    ]


def test_keys_are_case_sensitive() -> None:
    # p: (provides) is not P: (the name), i: (install_if) is not I: (the size).
    text = "p:so:libfoo.so.1=1\ni:bar\nP:foo\nV:1-r0\n"
    assert parse_apk_installed(text) == [Package("apk", "foo", "1-r0", None)]
