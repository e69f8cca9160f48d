"""Package managers: how to recognise their commands, their caches and how to clean them.

:func:`classify` turns a shell command into a :class:`PackageOp` (manager,
action, packages). :data:`MANAGERS` holds, per manager, the cache
directories, the commands and flags that avoid or remove the cache, and the
``--mount=type=cache`` targets that make cleaning unnecessary.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from slimline.dockerfile.shell import ShellCommand, ShellWord


@dataclass(frozen=True, slots=True)
class Manager:
    name: str
    #: Directories where the manager leaves caches or indexes in the layer.
    cache_dirs: tuple[str, ...]
    #: Cache-mount targets that keep those out of the layer.
    mount_targets: tuple[str, ...]
    #: The idiomatic way to leave no cache, for messages.
    advice: str


MANAGERS: dict[str, Manager] = {
    m.name: m
    for m in (
        Manager(
            "apt",
            ("/var/lib/apt/lists", "/var/cache/apt"),
            ("/var/lib/apt", "/var/lib/apt/lists", "/var/cache/apt"),
            "end the same RUN with `rm -rf /var/lib/apt/lists/*`",
        ),
        Manager(
            "apk",
            ("/var/cache/apk",),
            ("/var/cache/apk", "/etc/apk/cache"),
            "use `apk add --no-cache`",
        ),
        Manager(
            "dnf",
            ("/var/cache/dnf", "/var/cache/tdnf", "/var/cache/libdnf5"),
            ("/var/cache/dnf", "/var/cache/tdnf", "/var/cache/libdnf5"),
            "end the same RUN with `dnf clean all`",
        ),
        Manager(
            "yum", ("/var/cache/yum",), ("/var/cache/yum",), "end the same RUN with `yum clean all`"
        ),
        Manager(
            "microdnf",
            ("/var/cache/yum", "/var/cache/dnf"),
            ("/var/cache/yum", "/var/cache/dnf"),
            "end the same RUN with `microdnf clean all`",
        ),
        Manager(
            "zypper",
            ("/var/cache/zypp",),
            ("/var/cache/zypp",),
            "end the same RUN with `zypper clean --all`",
        ),
        Manager(
            "pip",
            ("/root/.cache/pip",),
            ("/root/.cache/pip", "/root/.cache"),
            "use `pip install --no-cache-dir`",
        ),
        Manager(
            "uv",
            ("/root/.cache/uv",),
            ("/root/.cache/uv", "/root/.cache"),
            "use `uv pip install --no-cache` or a cache mount",
        ),
        Manager(
            "poetry",
            ("/root/.cache/pypoetry",),
            ("/root/.cache/pypoetry", "/root/.cache"),
            "set POETRY_NO_CACHE/`--no-cache` or use a cache mount",
        ),
        Manager(
            "pipenv",
            ("/root/.cache/pipenv", "/root/.cache/pip"),
            ("/root/.cache",),
            "set PIPENV_NOCACHE... or use a cache mount",
        ),
        Manager(
            "npm",
            ("/root/.npm",),
            ("/root/.npm",),
            "end the same RUN with `npm cache clean --force` or use a cache mount",
        ),
        Manager(
            "yarn",
            ("/usr/local/share/.cache/yarn",),
            ("/usr/local/share/.cache/yarn", "/root/.cache/yarn"),
            "end the same RUN with `yarn cache clean`",
        ),
        Manager(
            "pnpm",
            ("/root/.local/share/pnpm/store",),
            ("/root/.local/share/pnpm/store", "/pnpm/store"),
            "use a cache mount for the pnpm store",
        ),
        Manager(
            "gem",
            ("/root/.gem", "/usr/local/bundle/cache"),
            ("/root/.gem",),
            "use `gem install --no-document` and remove the gem cache",
        ),
        Manager(
            "bundle",
            ("/usr/local/bundle/cache",),
            ("/usr/local/bundle/cache",),
            "remove `/usr/local/bundle/cache` in the same RUN",
        ),
        Manager(
            "go",
            ("/root/.cache/go-build", "/go/pkg/mod"),
            ("/root/.cache/go-build", "/go/pkg/mod"),
            "build in a builder stage or use cache mounts",
        ),
        Manager(
            "cargo",
            ("/usr/local/cargo/registry",),
            ("/usr/local/cargo/registry",),
            "build in a builder stage or use cache mounts",
        ),
        Manager(
            "conda",
            ("/opt/conda/pkgs",),
            ("/opt/conda/pkgs",),
            "end the same RUN with `conda clean -afy`",
        ),
    )
}


@dataclass(slots=True)
class PackageOp:
    """One package-manager command, recognised."""

    manager: str
    #: install, update, upgrade, remove, clean, download, build, or the sub-command.
    action: str
    packages: list[ShellWord]
    command: ShellCommand
    #: Words after the program that are not flags (the sub-command included).
    positional: list[str] = field(default_factory=list)


#: apt flags that only simulate: nothing is installed, no `-y` is needed.
_APT_SIMULATE = ("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act")
#: Programs that only ask a package manager about itself.
_INFO_FLAGS = ("--version", "-v", "-V", "--help", "-h")

_APT_VALUE_OPTS = frozenset(
    {"-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"}
)
_APK_VALUE_OPTS = frozenset(
    {
        "-X",
        "--repository",
        "-t",
        "--virtual",
        "-p",
        "--root",
        "--arch",
        "--repositories-file",
        "--keys-dir",
    }
)
_RPM_VALUE_OPTS = frozenset(
    {
        "-c",
        "--config",
        "--installroot",
        "--releasever",
        "-x",
        "--exclude",
        "--setopt",
        "--enablerepo",
        "--disablerepo",
        "--repo",
        "--nodocs_dummy",
    }
)
_ZYPPER_VALUE_OPTS = frozenset({"-r", "--repo", "-t", "--type", "--root", "-R"})
_PIP_VALUE_OPTS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "-f",
        "--find-links",
        "--trusted-host",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--src",
        "--upgrade-strategy",
        "--progress-bar",
        "--cache-dir",
        "--log",
        "--timeout",
        "--retries",
        "--proxy",
        "--cert",
        "--client-cert",
        "--python",
        "--config-settings",
        "-C",
        "--global-option",
        "--only-binary",
        "--no-binary",
        "--report",
        "--root-user-action",
        "--user-dummy",
    }
)
_NPM_VALUE_OPTS = frozenset(
    {
        "--prefix",
        "--registry",
        "--cache",
        "-w",
        "--workspace",
        "--omit",
        "--include",
        "--userconfig",
    }
)

_PYTHON_RE = re.compile(r"^python(\d+(\.\d+)?)?$")
#: Scripts that update, install with --no-install-recommends and remove the apt lists in
#: one go (bitnami/minideb's `install_packages`, Gitpod's `install-packages`).
APT_INSTALL_SCRIPTS = frozenset({"install_packages", "install-packages"})


def _positional(words: list[ShellWord], value_opts: frozenset[str]) -> list[ShellWord]:
    out: list[ShellWord] = []
    skip = False
    for w in words:
        t = w.text
        if skip:
            skip = False
            continue
        if t == "--":
            continue
        if t.startswith("-"):
            if t in value_opts:
                skip = True
            continue
        out.append(w)
    return out


def _op(
    manager: str, cmd: ShellCommand, value_opts: frozenset[str], args: list[ShellWord]
) -> PackageOp:
    pos = _positional(args, value_opts)
    action = pos[0].text if pos else ""
    return PackageOp(manager, action, pos[1:], cmd, [p.text for p in pos])


_ACTION_ALIASES = {
    "apt": {
        "install": "install",
        "update": "update",
        "upgrade": "upgrade",
        "dist-upgrade": "upgrade",
        "full-upgrade": "upgrade",
        "remove": "remove",
        "purge": "remove",
        "autoremove": "remove",
        "clean": "clean",
        "autoclean": "clean",
        "download": "download",
        "build-dep": "install",
        "reinstall": "install",
        "dist-clean": "clean",
        "distclean": "clean",
    },
    "apk": {
        "add": "install",
        "update": "update",
        "upgrade": "upgrade",
        "del": "remove",
        "cache": "clean",
    },
    "rpm": {
        "install": "install",
        "in": "install",
        "update": "upgrade",
        "upgrade": "upgrade",
        "up": "upgrade",
        "remove": "remove",
        "erase": "remove",
        "rm": "remove",
        "clean": "clean",
        "makecache": "update",
        "reinstall": "install",
        "groupinstall": "install",
        "localinstall": "install",
        "builddep": "install",
        "distro-sync": "upgrade",
        "refresh": "update",
        "ref": "update",
        "cc": "clean",
        "dist-upgrade": "upgrade",
        "dup": "upgrade",
        "patch": "upgrade",
    },
    "pip": {
        "install": "install",
        "uninstall": "remove",
        "download": "download",
        "wheel": "build",
        "cache": "clean",
    },
    "npm": {
        "install": "install",
        "i": "install",
        "ci": "install",
        "add": "install",
        "isntall": "install",
        "cache": "clean",
        "prune": "remove",
        "uninstall": "remove",
        "run": "run",
        "run-script": "run",
    },
}


def classify(cmd: ShellCommand) -> PackageOp | None:
    """Recognise a package-manager command (``cmd`` should already be unwrapped). Every
    rule asks about the same commands: the answer is kept on the command."""
    if "package_op" not in cmd.memo:
        cmd.memo["package_op"] = _classify(cmd)
    op: PackageOp | None = cmd.memo["package_op"]
    return op


def _classify(cmd: ShellCommand) -> PackageOp | None:
    if not cmd.words:
        return None
    prog = cmd.program
    args = cmd.words[1:]
    if (
        _PYTHON_RE.match(prog)
        and len(args) >= 2
        and args[0].text == "-m"
        and args[1].text in ("pip", "pip3")
    ):
        prog, args = "pip", args[2:]
    elif (
        _PYTHON_RE.match(prog)
        and len(args) >= 2
        and args[0].text == "-m"
        and args[1].text == "ensurepip"
    ):
        return None
    op: PackageOp | None = None
    if prog in ("apt-get", "apt", "aptitude", "xx-apt-get", "xx-apt"):
        op = _op("apt", cmd, _APT_VALUE_OPTS, args)
        op.action = _ACTION_ALIASES["apt"].get(op.action, op.action)
        if op.action == "install" and cmd.has_flag(*_APT_SIMULATE):
            op.action = "simulate"  # apt-get install -s: a dry run
    elif prog in ("apk", "xx-apk"):
        op = _op("apk", cmd, _APK_VALUE_OPTS, args)
        op.action = _ACTION_ALIASES["apk"].get(op.action, op.action)
    elif prog in ("dnf", "yum", "microdnf", "tdnf", "dnf5"):
        manager = {"tdnf": "dnf", "dnf5": "dnf"}.get(prog, prog)
        op = _op(manager, cmd, _RPM_VALUE_OPTS, args)
        op.action = _ACTION_ALIASES["rpm"].get(op.action, op.action)
    elif prog == "zypper":
        op = _op("zypper", cmd, _ZYPPER_VALUE_OPTS, args)
        op.action = _ACTION_ALIASES["rpm"].get(op.action, op.action)
    elif re.match(r"^pip(\d+(\.\d+)?)?$", prog):
        op = _op("pip", cmd, _PIP_VALUE_OPTS, args)
        op.action = _ACTION_ALIASES["pip"].get(op.action, op.action)
    elif prog == "uv":
        pos = _positional(args, _PIP_VALUE_OPTS)
        if pos and pos[0].text == "pip":
            op = _op("uv", cmd, _PIP_VALUE_OPTS, args[1:])
            op.action = _ACTION_ALIASES["pip"].get(op.action, op.action)
        elif pos and pos[0].text in ("sync", "add"):
            op = PackageOp("uv", "install", pos[1:], cmd, [p.text for p in pos])
    elif prog in ("poetry", "pipenv", "pdm"):
        pos = _positional(
            args, frozenset({"--only", "--with", "--without", "-E", "--extras", "--python"})
        )
        if pos and pos[0].text in ("install", "sync", "add"):
            op = PackageOp(
                prog if prog != "pdm" else "pip", "install", pos[1:], cmd, [p.text for p in pos]
            )
    elif prog in ("npm", "yarn", "pnpm"):
        op = _op(prog, cmd, _NPM_VALUE_OPTS, args)
        if not op.positional and cmd.has_flag(*_INFO_FLAGS):
            op.action = "info"  # yarn --version, npm -v
        elif prog == "yarn" and not op.positional:
            op.action = "install"  # a bare `yarn` installs
        else:
            op.action = _ACTION_ALIASES["npm"].get(op.action, op.action)
    elif prog == "gem":
        op = _op(
            "gem",
            cmd,
            frozenset(
                {"-v", "--version", "-s", "--source", "-i", "--install-dir", "-n", "--bindir"}
            ),
            args,
        )
    elif prog in ("bundle", "bundler"):
        op = _op(
            "bundle",
            cmd,
            frozenset({"--path", "--without", "--with", "-j", "--jobs", "--gemfile"}),
            args,
        )
    elif prog == "go":
        op = _op(
            "go",
            cmd,
            frozenset(
                {"-o", "-ldflags", "-gcflags", "-tags", "-C", "-mod", "-p", "-trimpath_dummy"}
            ),
            args,
        )
        if op.action == "mod" and op.packages:
            op.action = f"mod {op.packages[0].text}"
    elif prog == "cargo":
        op = _op(
            "cargo",
            cmd,
            frozenset(
                {
                    "--target",
                    "-p",
                    "--package",
                    "--bin",
                    "-j",
                    "--jobs",
                    "--features",
                    "--root",
                    "--path",
                    "--manifest-path",
                    "--target-dir",
                }
            ),
            args,
        )
    elif prog in ("conda", "mamba", "micromamba"):
        op = _op(
            "conda",
            cmd,
            frozenset({"-c", "--channel", "-n", "--name", "-p", "--prefix", "-f", "--file"}),
            args,
        )
    return op


def is_cache_mount(mount: str, manager: str) -> bool:
    """Whether a ``--mount`` value is a cache (or tmpfs) mount over the manager's cache."""
    fields = dict(_mount_fields(mount))
    kind = fields.get("type", "bind")
    if kind not in ("cache", "tmpfs"):
        return False
    target = fields.get("target") or fields.get("dst") or fields.get("destination") or ""
    target = posixpath.normpath(target) if target else ""
    spec = MANAGERS.get(manager)
    if spec is None or not target:
        return False
    return any(
        target == t or t.startswith(target + "/") or target.startswith(t + "/")
        for t in (*spec.mount_targets, *spec.cache_dirs)
    )


def _mount_fields(mount: str) -> list[tuple[str, str]]:
    out = []
    for part in mount.split(","):
        key, sep, value = part.partition("=")
        out.append((key.strip().lower(), value.strip() if sep else "true"))
    return out


def mount_fields(mount: str) -> dict[str, str]:
    return dict(_mount_fields(mount))


#: Packages that are build toolchains or headers, per manager family (exact names or regexes).
_TOOLCHAIN_EXACT = frozenset(
    {
        "build-essential",
        "gcc",
        "g++",
        "cpp",
        "make",
        "cmake",
        "clang",
        "llvm",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "binutils",
        "build-base",
        "musl-dev",
        "libc6-dev",
        "libc-dev",
        "gcc-c++",
        "kernel-headers",
        "glibc-devel",
        "ninja-build",
        "meson",
        "gfortran",
        "golang",
        "rustc",
        "cargo",
        "bison",
        "flex",
        "dpkg-dev",
        "linux-headers",
        "swig",
    }
)
_TOOLCHAIN_RE = re.compile(
    r"^(.+-dev|.+-devel|gcc-\d+|g\+\+-\d+|cpp-\d+|clang-\d+|llvm-\d+|binutils-.+"
    r"|@development-tools|@\"?development tools\"?)$"
)


def is_toolchain_package(name: str) -> bool:
    """Whether a package name is a compiler, build tool or development header package."""
    base = re.split(r"[=<>~]", name, maxsplit=1)[0].strip().lower()
    if base.endswith(":amd64") or base.endswith(":arm64"):
        base = base.rsplit(":", 1)[0]
    return base in _TOOLCHAIN_EXACT or bool(_TOOLCHAIN_RE.match(base))
