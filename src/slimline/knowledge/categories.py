"""What kinds of bytes sit in an image: categories of files, as data.

``slimline analyze`` sorts every file of every layer into at most one category,
so that it can say "38 MB of apt lists in layer 4" rather than only "layer 4 is
big". A category matches by directory (a regular expression over the directory
path, no leading slash, matched from its start), by file-name suffix, or by base
name inside the usual ``bin`` directories (for shells, package managers and
compilers). When several categories match one file, the first in
:data:`CATEGORIES` wins.

``waste`` categories are bytes no runtime needs (caches, docs, headers...);
``presence`` categories are tools whose mere presence in the final image matters
(a shell, a package manager): they are reported as present, not as waste.
``lint_rules`` name the ``slimline lint`` rules that catch the cause in a
Dockerfile; ``advice`` says what to do, for the recommendation text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    title: str
    #: Regular expressions over the directory path (no leading slash); a file
    #: matches when its directory, or any directory above it, matches.
    dirs: tuple[str, ...] = ()
    #: File-name suffixes (e.g. ``.pyc``).
    suffixes: tuple[str, ...] = ()
    #: Regular expression over the base name of files in a bin directory.
    binaries: str = ""
    #: "waste" (no runtime needs it) or "presence" (a tool the image carries).
    kind: str = "waste"
    advice: str = ""
    lint_rules: tuple[str, ...] = ()


#: Directories searched for :attr:`Category.binaries`.
BIN_DIRS = frozenset(
    ("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin")
)

CATEGORIES: tuple[Category, ...] = (
    Category(
        "apt-lists",
        "apt package lists",
        dirs=(r"var/lib/apt/lists(?:/|$)",),
        advice="end the RUN that runs `apt-get update` with `rm -rf /var/lib/apt/lists/*`",
        lint_rules=("SL104", "SL202"),
    ),
    Category(
        "apt-cache",
        "apt download cache",
        dirs=(r"var/cache/apt(?:/|$)",),
        advice="run `apt-get clean` (or use `--mount=type=cache,target=/var/cache/apt`) "
        "in the same RUN as the install",
        lint_rules=("SL104",),
    ),
    Category(
        "apk-cache",
        "apk package cache",
        dirs=(r"var/cache/apk(?:/|$)", r"etc/apk/cache(?:/|$)"),
        advice="use `apk add --no-cache`",
        lint_rules=("SL105",),
    ),
    Category(
        "rpm-cache",
        "dnf/yum/zypper cache",
        dirs=(r"var/cache/(?:dnf|yum|zypp|libdnf5)(?:/|$)",),
        advice="clean the package manager's cache in the same RUN (`dnf clean all`)",
        lint_rules=("SL106",),
    ),
    Category(
        "pip-cache",
        "pip cache",
        dirs=(r"(?:root|home/[^/]+)/\.cache/pip(?:/|$)", r"tmp/pip-[^/]*(?:/|$)"),
        advice="use `pip install --no-cache-dir` (or a cache mount on /root/.cache/pip)",
        lint_rules=("SL107",),
    ),
    Category(
        "npm-cache",
        "npm/yarn cache",
        dirs=(
            r"(?:root|home/[^/]+)/\.npm(?:/|$)",
            r"(?:root|home/[^/]+)/\.cache/yarn(?:/|$)",
            r"usr/local/share/\.cache/yarn(?:/|$)",
            r"(?:root|home/[^/]+)/\.yarn/cache(?:/|$)",
        ),
        advice="run `npm cache clean --force` / `yarn cache clean` in the same RUN, "
        "or use a cache mount",
        lint_rules=("SL114", "SL108"),
    ),
    Category(
        "go-cache",
        "Go build and module cache",
        dirs=(r"(?:root|home/[^/]+)/\.cache/go-build(?:/|$)", r"(?:root|go)/pkg/mod(?:/|$)",
              r"root/go/pkg/mod(?:/|$)"),
        advice="build in a separate stage and copy only the binary into the final image",
        lint_rules=("SL103",),
    ),
    Category(
        "other-cache",
        "other caches",
        dirs=(r"(?:root|home/[^/]+)/\.cache(?:/|$)", r"var/cache(?:/|$)"),
        advice="delete caches in the RUN that creates them, or use a cache mount",
        lint_rules=("SL110",),
    ),
    Category(
        "vcs",
        "version-control data (.git)",
        dirs=(r"(?:.*/)?\.(?:git|hg|svn)(?:/|$)",),
        advice="exclude `.git` in .dockerignore",
        lint_rules=("SL204",),
    ),
    Category(
        "python-tests",
        "tests inside site-packages",
        dirs=(r"(?:.*/)?(?:site|dist)-packages/(?:.*/)?(?:tests?|testing)(?:/|$)",),
        advice="install dependencies in a build stage and copy only what runs; "
        "or delete `site-packages/*/tests` in the install RUN",
        lint_rules=("SL103",),
    ),
    Category(
        "python-bytecode",
        "Python bytecode (__pycache__, .pyc)",
        dirs=(r"(?:.*/)?__pycache__(?:/|$)",),
        suffixes=(".pyc", ".pyo"),
        advice="set `PYTHONDONTWRITEBYTECODE=1` and `pip install --no-compile` if start-up "
        "time allows it",
        lint_rules=(),
    ),
    Category(
        "toolchain",
        "build toolchains (gcc, binutils, make, Go, Rust)",
        dirs=(
            r"usr/lib/gcc(?:-cross)?(?:/|$)",
            r"usr/libexec/gcc(?:/|$)",
            r"usr/lib/(?:[^/]+-linux-gnu/)?(?:bfd-plugins|ldscripts)(?:/|$)",
            r"usr/share/(?:gcc|gdb|binutils)(?:/|$)",
            # language toolchains: Go (Debian's and the official image's), Rust
            r"usr/lib/go(?:-\d[^/]*)?(?:/|$)",
            r"usr/local/go(?:/|$)",
            r"usr/local/(?:rustup|cargo)(?:/|$)",
            r"(?:root|home/[^/]+)/\.(?:rustup|cargo)(?:/|$)",
        ),
        binaries=r"(?:(?:[a-z0-9_]+-linux-gnu-)?(?:gcc|g\+\+|c\+\+|cc|cpp|gcc-\d+|g\+\+-\d+"
        r"|cpp-\d+|cc1|cc1plus|collect2|lto1|ld|ld\.bfd|ld\.gold|as|ar|ranlib|nm|objdump"
        r"|objcopy|strip|readelf|gprof|addr2line|c\+\+filt|elfedit|size|strings"
        r"|gcc-ar|gcc-nm|gcc-ranlib|gcc-ar-\d+|gcc-nm-\d+|gcc-ranlib-\d+)|make|gmake"
        r"|cmake|ninja|autoconf|automake|libtool|m4|bison|flex|pkg-config|pkgconf"
        r"|clang(?:-\d+)?|clang\+\+(?:-\d+)?|rustc|cargo|go|gofmt)",
        advice="compile in a build stage and copy only the results into a slim final stage",
        lint_rules=("SL102", "SL103"),
    ),
    Category(
        "headers",
        "C headers (/usr/include)",
        dirs=(r"usr/include(?:/|$)", r"usr/local/include(?:/|$)"),
        advice="install -dev packages only in a build stage",
        lint_rules=("SL102",),
    ),
    Category(
        "static-libs",
        "static libraries (*.a)",
        suffixes=(".a",),
        advice="static libraries are only needed to link: keep them in the build stage",
        lint_rules=("SL102",),
    ),
    Category(
        "docs",
        "documentation (doc, man, info)",
        dirs=(
            r"usr/(?:local/)?share/(?:doc|man|info|gtk-doc|help|lintian|linda)(?:/|$)",
            r"usr/(?:local/)?man(?:/|$)",
        ),
        advice="use a slim or distroless base (they ship without docs), or delete "
        "/usr/share/doc, man and info in the install RUN",
        lint_rules=("SL101",),
    ),
    Category(
        "locales",
        "locales and translations",
        dirs=(r"usr/(?:local/)?share/locale(?:/|$)", r"usr/lib/locale(?:/|$)",
              r"usr/share/i18n(?:/|$)"),
        advice="use a slim or distroless base, or keep only the locales the app uses",
        lint_rules=("SL101",),
    ),
    Category(
        "tmp",
        "temporary files (/tmp, /var/tmp)",
        dirs=(r"tmp(?:/|$)", r"var/tmp(?:/|$)"),
        advice="delete temporary files in the RUN that makes them",
        lint_rules=("SL110",),
    ),
    Category(
        "package-managers",
        "package managers (apt, dpkg, apk, pip)",
        binaries=r"(?:apt|apt-get|apt-cache|apt-config|apt-mark|apt-key|dpkg|dpkg-[a-z-]+"
        r"|apk|yum|dnf|microdnf|rpm|zypper|pip|pip3|pip3\.\d+|easy_install(?:-3\.\d+)?"
        r"|npm|npx|yarn|corepack)",
        dirs=(r"usr/lib/apt(?:/|$)", r"usr/lib/dpkg(?:/|$)",
              r"usr/(?:local/)?lib/python3[^/]*/(?:site|dist)-packages/pip(?:/|$)",
              r"usr/(?:local/)?lib/node_modules/(?:npm|corepack)(?:/|$)"),
        kind="presence",
        advice="a distroless or scratch final stage ships no package manager",
        lint_rules=("SL101", "SL103"),
    ),
    Category(
        "shells",
        "shells (sh, bash, dash, busybox)",
        binaries=r"(?:sh|bash|dash|ash|zsh|ksh|mksh|busybox|rbash)",
        kind="presence",
        advice="a distroless or scratch final stage ships no shell: use exec-form CMD",
        lint_rules=("SL115",),
    ),
)
