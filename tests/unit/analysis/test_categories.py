"""Which category a path falls in (patterns are data in slimline.knowledge.categories)."""

from __future__ import annotations

import pytest

from slimline.analysis.categories import Classifier

CASES = [
    ("var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", "apt-lists"),
    ("var/lib/apt/lists/partial/x", "apt-lists"),
    ("var/cache/apt/archives/gcc_12.deb", "apt-cache"),
    ("var/cache/apk/APKINDEX.tar.gz", "apk-cache"),
    ("var/cache/dnf/repo/x.rpm", "rpm-cache"),
    ("root/.cache/pip/http-v2/a/b", "pip-cache"),
    ("home/app/.cache/pip/wheels/x.whl", "pip-cache"),
    ("root/.npm/_cacache/index", "npm-cache"),
    ("usr/local/share/.cache/yarn/v6/x", "npm-cache"),
    ("root/.cache/go-build/aa/bb", "go-cache"),
    ("root/.cache/something/else", "other-cache"),
    ("var/cache/debconf/config.dat", "other-cache"),
    ("app/.git/objects/pack/p.pack", "vcs"),
    ("usr/local/lib/python3.11/site-packages/numpy/tests/test_x.py", "python-tests"),
    ("usr/lib/python3/dist-packages/foo/testing/x.py", "python-tests"),
    ("usr/local/lib/python3.11/site-packages/numpy/tests/__pycache__/t.cpython-311.pyc",
     "python-tests"),
    ("usr/lib/python3.11/__pycache__/os.cpython-311.pyc", "python-bytecode"),
    ("app/module.pyc", "python-bytecode"),
    ("usr/lib/gcc/x86_64-linux-gnu/12/cc1", "toolchain"),
    ("usr/libexec/gcc/x86_64-linux-gnu/12/cc1plus", "toolchain"),
    ("usr/bin/gcc-12", "toolchain"),
    ("usr/bin/x86_64-linux-gnu-ld.bfd", "toolchain"),
    ("usr/bin/make", "toolchain"),
    ("usr/lib/go-1.19/pkg/tool/linux_amd64/compile", "toolchain"),
    ("usr/local/go/bin/go", "toolchain"),
    ("usr/include/stdio.h", "headers"),
    ("usr/local/include/python3.11/Python.h", "headers"),
    ("usr/lib/x86_64-linux-gnu/libc.a", "static-libs"),
    ("usr/share/doc/bash/README", "docs"),
    ("usr/share/man/man1/ls.1.gz", "docs"),
    ("usr/share/info/dir", "docs"),
    ("usr/share/locale/de/LC_MESSAGES/x.mo", "locales"),
    ("usr/lib/locale/locale-archive", "locales"),
    ("tmp/build/x.o", "tmp"),
    ("usr/bin/apt-get", "package-managers"),
    ("usr/bin/dpkg-deb", "package-managers"),
    ("sbin/apk", "package-managers"),
    ("usr/local/bin/pip3.11", "package-managers"),
    ("usr/local/lib/python3.11/site-packages/pip/__init__.py", "package-managers"),
    ("bin/sh", "shells"),
    ("usr/bin/bash", "shells"),
    ("bin/busybox", "shells"),
    ("usr/bin/python3.11", None),
    ("usr/lib/x86_64-linux-gnu/libssl.so.3", None),
    ("app/main.py", None),
    ("usr/lib/gobject/x.so", None),
    ("opt/app/bin/sh", None),  # not one of the usual bin directories
]


@pytest.mark.parametrize(("path", "expected"), CASES)
def test_classify(path, expected):
    classifier = Classifier()
    index = classifier.classify(path)
    assert (classifier.categories[index].id if index >= 0 else None) == expected


def test_every_category_id_is_unique_and_has_advice():
    classifier = Classifier()
    ids = [c.id for c in classifier.categories]
    assert len(ids) == len(set(ids))
    assert all(c.advice and c.kind in ("waste", "presence") for c in classifier.categories)
    assert classifier.index_of("apt-lists") == 0
