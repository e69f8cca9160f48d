"""Runtime stages: where a built application runs, per language and runtime kind.

``slimline fix --unsafe --runtime KIND`` (SL103's multi-stage rewrite) and
``slimline init --runtime KIND`` both end a Dockerfile with a runtime stage of
one of three kinds:

- ``slim``: a Debian slim image with a shell (the language's own ``-slim``
  image, or ``debian:bookworm-slim`` for compiled binaries);
- ``distroless``: Google's distroless images, no shell and no package manager,
  running as their ``nonroot`` user;
- ``scratch``: an empty image, for static binaries only.

This module is the one place that knows, for each language and kind, the image
name, whether it has a shell and a C library, the user it runs as, where its
interpreter lives, and why a language cannot run on a kind at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from slimline.errors import SlimlineError

#: The runtime kinds, in the order the CLI offers them.
RUNTIME_KINDS = ("slim", "distroless", "scratch")
#: The languages that have runtime stages.
LANGUAGES = ("python", "go", "rust", "node")

DISTROLESS = "gcr.io/distroless"
#: The Debian release the distroless images are built from (their ``-debian12`` suffix).
DISTROLESS_DEBIAN = "debian12"
#: The uid (and gid) of distroless' ``nonroot`` user; slimline gives scratch images the same.
NONROOT_UID = 65532
#: The passwd line slimline writes for scratch images (which have no /etc/passwd).
NONROOT_PASSWD = f"nonroot:x:{NONROOT_UID}:{NONROOT_UID}:nonroot:/:/sbin/nologin"
#: The unprivileged user slimline adds on images that run as root otherwise (a high uid,
#: as `docker init` does).
APP_UID = 10001
APP_USERADD = f"useradd --system --uid {APP_UID} --no-create-home --shell /usr/sbin/nologin app"
#: The same on Alpine (busybox adduser: system user, no password, no home).
APP_ADDUSER_BUSYBOX = f"adduser -S -D -H -u {APP_UID} app"
#: The ``node`` user that the node images have.
NODE_UID = 1000
#: Debian's CA bundle: a static binary on scratch needs it copied for TLS.
CA_CERTIFICATES = "/etc/ssl/certs/ca-certificates.crt"

#: The Python of gcr.io/distroless/python3-debian12 (Debian 12's python3).
DISTROLESS_PYTHON_VERSION = "3.11"
DISTROLESS_PYTHON_REPOSITORY = f"{DISTROLESS}/python3-{DISTROLESS_DEBIAN}"
DISTROLESS_PYTHON = f"{DISTROLESS_PYTHON_REPOSITORY}:nonroot"
#: Its interpreter (the image's entrypoint): an ENTRYPOINT that replaces it must name it.
DISTROLESS_PYTHON_INTERPRETER = f"/usr/bin/python{DISTROLESS_PYTHON_VERSION}"
#: CA certificates, tzdata and passwd: for static binaries.
DISTROLESS_STATIC_REPOSITORY = f"{DISTROLESS}/static-{DISTROLESS_DEBIAN}"
DISTROLESS_STATIC = f"{DISTROLESS_STATIC_REPOSITORY}:nonroot"
#: static plus glibc, libgcc and libstdc++: for binaries linked against glibc (Rust, C++).
DISTROLESS_CC_REPOSITORY = f"{DISTROLESS}/cc-{DISTROLESS_DEBIAN}"
DISTROLESS_CC = f"{DISTROLESS_CC_REPOSITORY}:nonroot"
DEBIAN_SLIM = "debian:bookworm-slim"
#: Where slimline puts a Python application's dependencies (a virtual environment).
PYTHON_VENV = "/opt/venv"


#: The Node.js majors that distroless publishes for Debian 12 (``nodejs18-debian12``...).
DISTROLESS_NODEJS_MAJORS = ("18", "20", "22")
#: The entrypoint of the distroless Node.js images: CMD holds the script and its arguments.
DISTROLESS_NODEJS_INTERPRETER = "/nodejs/bin/node"


def distroless_nodejs_repository(major: str) -> str:
    """``gcr.io/distroless/nodejs20-debian12`` for Node.js ``major``."""
    return f"{DISTROLESS}/nodejs{major}-{DISTROLESS_DEBIAN}"


def node_major(version: str) -> str:
    """``18`` for ``18``, ``18.20.4`` or ``18-bookworm``; "" when the version names no major
    (``lts``, ``current``, empty)."""
    head = version.split("-", 1)[0].split(".", 1)[0]
    return head if head.isdigit() else ""


def venv_site_packages(version: str, venv: str = PYTHON_VENV) -> str:
    """The site-packages directory of a virtual environment made by Python ``version``."""
    return f"{venv}/lib/python{version}/site-packages"


@dataclass(frozen=True, slots=True)
class Runtime:
    """One runtime stage: a language's application on a runtime kind."""

    language: str  # python, go, rust, node
    kind: str  # slim, distroless, scratch
    #: The FROM reference.
    image: str
    #: /bin/sh exists: RUN and shell-form commands work.
    shell: bool
    #: glibc exists: dynamically linked binaries (cgo, Rust's default) run.
    glibc: bool
    #: The uid the application runs as.
    uid: int
    #: How that user comes to be: ``image`` (the image's own user, e.g. distroless
    #: ``:nonroot``), ``useradd`` (a RUN in the runtime stage adds it) or ``passwd``
    #: (a passwd file copied from the builder: scratch).
    user_from: str
    #: The interpreter's path, when the image runs one as its entrypoint (distroless).
    interpreter: str | None = None


class RuntimeUnavailable(SlimlineError):
    """A language cannot run on a runtime kind at all (Python on scratch...)."""


#: Why a language cannot run on a kind at all.
_UNAVAILABLE = {
    ("python", "scratch"): "a Python application needs an interpreter: use --runtime slim or distroless",
    ("rust", "scratch"): "a Rust binary links glibc by default: use --runtime distroless or slim",
    ("node", "scratch"): "a Node.js application needs the node runtime: use --runtime slim or distroless",
}


def unavailable_reason(language: str, kind: str) -> str | None:
    """Why ``language`` cannot run on ``kind`` at all; None when it can."""
    return _UNAVAILABLE.get((language, kind))


def runtime_for(language: str, kind: str, version: str = "") -> Runtime:
    """The runtime stage for ``language`` on ``kind``; ``version`` is the language's
    version (Python ``3.11``, Node.js ``20``) where the image name carries it.

    Raises :class:`RuntimeUnavailable` when the language cannot run there.
    """
    if language not in LANGUAGES or kind not in RUNTIME_KINDS:
        raise ValueError(f"no runtime catalog entry for {language} on {kind}")
    reason = unavailable_reason(language, kind)
    if reason is not None:
        raise RuntimeUnavailable(reason)
    if kind == "distroless":
        if language == "node" and node_major(version) not in DISTROLESS_NODEJS_MAJORS:
            raise RuntimeUnavailable(distroless_node_refusal(version))
        image, glibc, interpreter = {
            "python": (DISTROLESS_PYTHON, True, DISTROLESS_PYTHON_INTERPRETER),
            "node": (
                f"{distroless_nodejs_repository(node_major(version))}:nonroot",
                True,
                DISTROLESS_NODEJS_INTERPRETER,
            ),
            "go": (DISTROLESS_STATIC, False, None),
        }.get(language, (DISTROLESS_CC, True, None))
        return Runtime(language, kind, image, False, glibc, NONROOT_UID, "image", interpreter)
    if kind == "scratch":  # only static binaries (Go) are left
        return Runtime(language, kind, "scratch", False, False, NONROOT_UID, "passwd")
    if language == "python":
        return Runtime(language, kind, f"python:{version}-slim", True, True, APP_UID, "useradd")
    if language == "node":
        return Runtime(language, kind, f"node:{version}-slim", True, True, NODE_UID, "image")
    return Runtime(language, kind, DEBIAN_SLIM, True, True, APP_UID, "useradd")


# -- refusals whose wording depends on who refuses -----------------------------------
# ``fix`` converts an existing build; ``init`` (``project=True``) writes one for a project.


def python_version_refusal(version: str, *, project: bool = False) -> str:
    """Distroless' Python is not the one the build (or project) uses."""
    fact = f"distroless {DISTROLESS_PYTHON_REPOSITORY.rsplit('/', 1)[-1]} runs Python {DISTROLESS_PYTHON_VERSION}"
    if project:
        return f"{fact}; this project uses {version}: use --runtime slim"
    return f"{fact}, the build uses {version}"


def cgo_refusal(*, project: bool = False) -> str:
    """Go code that imports "C" links glibc: it cannot run where there is none."""
    if project:
        return 'the Go code imports "C" (cgo): no static binary, so no scratch or distroless/static; use --runtime slim'
    return 'the Go code imports "C" (cgo): it cannot run on scratch or distroless/static; use --runtime slim'


def shell_refusal(kind: str, instead: str = "use --runtime slim") -> str:
    """The runtime part of a build runs shell commands, and ``kind`` has no shell;
    ``instead`` says what would work."""
    return f"the runtime part runs shell commands, which {kind} cannot: {instead}"


def distroless_node_refusal(version: str) -> str:
    """Distroless publishes Node.js images for a few majors only."""
    published = ", ".join(DISTROLESS_NODEJS_MAJORS)
    which = f"Node.js {version}" if version else "a Node.js version without a major number"
    return f"distroless has no image for {which} (only for {published}): use --runtime slim"
