"""Version-pinning rules (SL5xx), off by default: enable them with ``extend-select``.

Pinning every package makes builds reproducible but needs a process to bump the
pins (base images move too, and an old pin stops resolving when the mirror drops
it). Many teams pin in a lock file instead, so these rules are opt-in, as the
hadolint rules they mirror (DL3008, DL3013, DL3016, DL3018, DL3028, DL3033,
DL3037, DL3041) are a frequent source of complaints when they are on.

Packages written with a variable (``apt-get install $PKGS``) are not judged: the
value is known only at build time. ``sudo``/``env`` wrappers and full paths to
the tools are seen through, and ``ONBUILD RUN`` is checked like RUN.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from slimline.dockerfile.model import Instruction
from slimline.dockerfile.shell import ShellWord
from slimline.knowledge.packages import PackageOp, classify
from slimline.lint.context import RuleContext
from slimline.lint.model import Category, Finding, Severity
from slimline.lint.registry import rule


def _ops(ctx: RuleContext, inst: Instruction) -> list[PackageOp]:
    out = []
    for cmd in ctx.sem.commands(inst):
        op = classify(cmd)
        if op is not None:
            out.append(op)
    return out


def _runs(ctx: RuleContext) -> Iterator[Instruction]:
    """RUN instructions, ONBUILD RUN included."""
    for inst in ctx.df.instructions:
        if inst.effective.keyword == "RUN":
            yield inst


def _unpinned(
    ctx: RuleContext,
    select: Callable[[PackageOp], list[ShellWord] | None],
    pinned: Callable[[str], bool],
) -> Iterator[tuple[Instruction, PackageOp, list[str]]]:
    """(RUN, operation, unpinned package names) for the first offending command of each RUN."""
    for inst in _runs(ctx):
        for op in _ops(ctx, inst):
            packages = select(op)
            if not packages:
                continue
            names = [w.value for w in packages if w.value is not None and w.value]
            bad = [n for n in names if not pinned(n)]
            if bad:
                yield inst, op, bad
                break


def _shown(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names[:3]) + (" …" if len(names) > 3 else "")


# -- apt -------------------------------------------------------------------------------------


def _apt_packages(op: PackageOp) -> list[ShellWord] | None:
    if op.manager != "apt" or op.command.program == "aptitude":
        return None
    return op.packages if op.positional[:1] == ["install"] else None


def apt_pinned(name: str) -> bool:
    """``curl=7.88.1-10``, ``pkg/bookworm-backports``, ``./local.deb``."""
    return "=" in name or "/" in name or name.endswith(".deb")


@rule("SL501", "apt-unpinned", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3008",), default_enabled=False)
def apt_unpinned(ctx: RuleContext) -> Iterator[Finding]:
    """`apt-get install` of packages without a version.

    ## Why
    Without `pkg=version` each build installs whatever the mirror has that day:
    two builds of the same commit can differ. Pin the versions (or a target
    release, `pkg/bookworm-backports`) when you need reproducible images, and bump
    them on purpose. Off by default: pins go stale when Debian drops old versions.

    `apt install` counts like `apt-get install` (hadolint's DL3008 checks only
    `apt-get`).

    ## Bad
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Good
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\
        && rm -rf /var/lib/apt/lists/*
    ```
    """
    for inst, _op, bad in _unpinned(ctx, _apt_packages, apt_pinned):
        yield ctx.report(
            inst,
            f"apt packages without a version: {_shown(bad)}",
            hint="pin them: `apt-get install <package>=<version>`",
            data={"packages": bad},
        )


# -- pip -------------------------------------------------------------------------------------

_PIP_VERSION_RE = re.compile(r"(===|==|>=|<=|!=|~=|>|<)")
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+", "git://", "svn://")
_LOCAL_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz")


def pip_pinned(name: str) -> bool:
    """``flask==3.0.3``, ``django>=4.2,<5``, ``git+https://...@v1.2``, a wheel or a path."""
    if name.startswith(_VCS_PREFIXES):
        return "@" in name.split("://", 1)[-1]
    if _PIP_VERSION_RE.search(name):
        return True
    return name.endswith(_LOCAL_SUFFIXES) or "/" in name or name.startswith(".")


def _pip_packages(op: PackageOp) -> list[ShellWord] | None:
    if op.manager not in ("pip", "uv") or op.positional[:1] != ["install"]:
        return None
    cmd = op.command
    if cmd.has_flag("-r", "--requirement", "-c", "--constraint"):
        return None
    if any(p.text in (".", "./") for p in op.packages):
        return None
    return op.packages


@rule("SL502", "pip-unpinned", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3013",), default_enabled=False)
def pip_unpinned(ctx: RuleContext) -> Iterator[Finding]:
    """`pip install` of packages without a version.

    ## Why
    `pip install flask` installs the newest release on every build. Pin versions
    (`flask==3.0.3`), or install from a requirements or constraints file that pins
    them (`-r`, `-c` are fine), so that builds are reproducible. Off by default.

    `uv pip install` and `python -m pip` count as pip.

    ## Bad
    ```dockerfile
    RUN pip install --no-cache-dir flask gunicorn
    ```

    ## Good
    ```dockerfile
    RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
    ```
    """
    for inst, _op, bad in _unpinned(ctx, _pip_packages, pip_pinned):
        yield ctx.report(
            inst,
            f"pip packages without a version: {_shown(bad)}",
            hint="pin them (`pkg==1.2.3`) or install from a pinned requirements file",
            data={"packages": bad},
        )


# -- npm -------------------------------------------------------------------------------------

_NPM_GIT_PREFIXES = ("git://", "git+ssh://", "git+http://", "git+https://", "github:")
_NPM_TARBALLS = (".tar", ".tar.gz", ".tgz")
_NPM_PATHS = ("/", "./", "../", "~/", "file:")


def npm_pinned(name: str) -> bool:
    """``express@4.19.2``, ``@scope/pkg@1``, ``git+https://...#v1``, a tarball or a path."""
    if name.startswith(_NPM_GIT_PREFIXES):
        return "#" in name
    if name.endswith(_NPM_TARBALLS) or name.startswith(_NPM_PATHS):
        return True
    bare = name.split("/", 1)[1] if name.startswith("@") and "/" in name else name
    return "@" in bare


def _npm_packages(op: PackageOp) -> list[ShellWord] | None:
    if op.manager != "npm" or op.positional[:1] not in (["install"], ["i"], ["add"]):
        return None
    return op.packages


@rule("SL503", "npm-unpinned", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3016",), default_enabled=False)
def npm_unpinned(ctx: RuleContext) -> Iterator[Finding]:
    """`npm install <package>` without a version.

    ## Why
    A package named without `@version` resolves to its `latest` tag at build time.
    Pin the version, or list dependencies in `package.json` with a lock file and
    run `npm ci` (a bare `npm install`/`npm ci` is fine). Off by default.
    `npm i` and `npm add` count as install (hadolint's DL3016 sees `install` only).

    ## Bad
    ```dockerfile
    RUN npm install -g typescript
    ```

    ## Good
    ```dockerfile
    RUN npm install -g typescript@5.5.4
    ```
    """
    for inst, _op, bad in _unpinned(ctx, _npm_packages, npm_pinned):
        yield ctx.report(
            inst,
            f"npm packages without a version: {_shown(bad)}",
            hint="pin them: `npm install <package>@<version>`",
            data={"packages": bad},
        )


# -- apk -------------------------------------------------------------------------------------


def apk_pinned(name: str) -> bool:
    """``curl=8.9.1-r0``, ``curl~8.9``, ``curl>8``, or a local ``.apk`` file."""
    return any(ch in name for ch in "=~<>") or name.endswith(".apk")


def _apk_packages(op: PackageOp) -> list[ShellWord] | None:
    if op.manager != "apk" or op.positional[:1] != ["add"]:
        return None
    return op.packages


@rule("SL504", "apk-unpinned", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3018",), default_enabled=False)
def apk_unpinned(ctx: RuleContext) -> Iterator[Finding]:
    """`apk add` of packages without a version.

    ## Why
    Alpine repositories keep only the current build of each package, so an
    unpinned `apk add` changes as the branch is updated. Pin versions
    (`curl=8.9.1-r0`, or `curl~8.9` for a fuzzy pin) when you need reproducible
    builds. The `--virtual`/`-t` group name is not a package. Off by default.

    ## Bad
    ```dockerfile
    RUN apk add --no-cache curl
    ```

    ## Good
    ```dockerfile
    RUN apk add --no-cache curl=8.9.1-r0
    ```
    """
    for inst, _op, bad in _unpinned(ctx, _apk_packages, apk_pinned):
        yield ctx.report(
            inst,
            f"apk packages without a version: {_shown(bad)}",
            hint="pin them: `apk add <package>=<version>`",
            data={"packages": bad},
        )


# -- gem -------------------------------------------------------------------------------------


def gem_pinned(name: str) -> bool:
    """``rails:7.1.3`` (gem's NAME:VERSION form)."""
    return ":" in name


def _gem_packages(op: PackageOp) -> list[ShellWord] | None:
    if op.manager != "gem" or op.positional[:1] not in (["install"], ["i"]):
        return None
    if op.command.has_flag("-v", "--version"):
        return None
    packages: list[ShellWord] = []
    seen_dashdash = False
    words = op.command.words[1:]
    for w in words:
        if w.text == "--":
            seen_dashdash = True
        if not seen_dashdash and w in op.packages:
            packages.append(w)
    return packages


@rule("SL505", "gem-unpinned", Severity.WARNING, Category.CORRECTNESS, hadolint=("DL3028",), default_enabled=False)
def gem_unpinned(ctx: RuleContext) -> Iterator[Finding]:
    """`gem install` without a version.

    ## Why
    `gem install bundler` installs the newest release. Pin it with `-v` or the
    `NAME:VERSION` form; application gems belong in a `Gemfile.lock` installed by
    `bundle install`. Off by default.

    Unlike hadolint's DL3028, an option such as `--no-document` does not hide the
    gem name that follows it.

    ## Bad
    ```dockerfile
    RUN gem install --no-document bundler
    ```

    ## Good
    ```dockerfile
    RUN gem install --no-document bundler -v 2.5.16
    ```
    """
    for inst, _op, bad in _unpinned(ctx, _gem_packages, gem_pinned):
        yield ctx.report(
            inst,
            f"gems without a version: {_shown(bad)}",
            hint="pin them: `gem install <gem> -v <version>` or `<gem>:<version>`",
            data={"packages": bad},
        )


# -- yum / dnf / microdnf / zypper -----------------------------------------------------------

_RPM_VERSION_CHARS = re.compile(r"^[A-Za-z0-9.~^_:+]+$")


def rpm_pinned(name: str) -> bool:
    """``httpd-2.4.62``, ``nginx-1:1.26.1-1.el9``, an ``.rpm`` file, ``pkg >= 1`` forms.

    As hadolint does, a name counts as versioned when the parts after its first
    ``-`` use only version characters and one of them starts with a digit.
    """
    if name.endswith(".rpm") or any(ch in name for ch in "=<>"):
        return True
    if name.startswith("@"):
        return ":" in name  # a module stream such as @nodejs:20
    parts = name.split("-")
    if len(parts) <= 1:
        return False
    rest = parts[1:]
    return all(p and _RPM_VERSION_CHARS.match(p) for p in rest) and any(p[0].isdigit() for p in rest)


def zypper_pinned(name: str) -> bool:
    """``curl=8.0``, ``curl>=8``, ``curl<9`` or an ``.rpm`` file."""
    return any(ch in name for ch in "=<>") or name.endswith(".rpm")


def _rpm_packages(op: PackageOp) -> tuple[list[ShellWord], Callable[[str], bool]] | None:
    pos = op.positional
    if op.manager in ("yum", "dnf", "microdnf"):
        if pos[:1] == ["install"]:
            return op.packages, rpm_pinned
        if pos[:1] == ["module"] and "install" in pos:
            after = pos.index("install")
            # module streams: `dnf module install nodejs:20`
            return [w for w in op.packages if w.text in pos[after + 1 :]], lambda n: ":" in n
        return None
    if op.manager == "zypper" and pos[:1] in (["install"], ["in"]):
        return op.packages, zypper_pinned
    return None


@rule(
    "SL506",
    "rpm-unpinned",
    Severity.WARNING,
    Category.CORRECTNESS,
    hadolint=("DL3033", "DL3041", "DL3037"),
    default_enabled=False,
)
def rpm_unpinned(ctx: RuleContext) -> Iterator[Finding]:
    """`yum`, `dnf`, `microdnf` or `zypper install` of packages without a version.

    ## Why
    Without a version each build installs the newest package in the repositories.
    Pin `name-version` for yum/dnf (`httpd-2.4.62`), `name=version` for zypper, and
    a stream for modules (`dnf module install nodejs:20`). Off by default.

    ## Bad
    ```dockerfile
    RUN dnf install -y httpd && dnf clean all
    ```

    ## Good
    ```dockerfile
    RUN dnf install -y httpd-2.4.62 && dnf clean all
    ```
    """
    for inst in _runs(ctx):
        for op in _ops(ctx, inst):
            selected = _rpm_packages(op)
            if selected is None:
                continue
            packages, pinned = selected
            names = [w.value for w in packages if w.value]
            bad = [n for n in names if not pinned(n)]
            if bad:
                yield ctx.report(
                    inst,
                    f"{op.command.program} packages without a version: {_shown(bad)}",
                    hint="pin them: `name-version` (yum/dnf) or `name=version` (zypper)",
                    data={"packages": bad},
                )
                break
