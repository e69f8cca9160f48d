"""Facts about base images: references, and a catalog of official images and their variants.

The catalog says, for each official image, which tags are "fat" (a full Debian
or Ubuntu userland, often with compilers), which lean variants exist (slim,
alpine, distroless, JRE), and whether the image carries a build toolchain.
Sizes are rough uncompressed figures for the amd64 images, used in messages
only ("about 1 GB"), never in decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slimline.errors import ImageError
from slimline.knowledge.runtimes import (
    DEBIAN_SLIM,
    DISTROLESS,
    DISTROLESS_CC_REPOSITORY,
    DISTROLESS_DEBIAN,
    DISTROLESS_PYTHON_REPOSITORY,
    DISTROLESS_STATIC_REPOSITORY,
    distroless_nodejs_repository,
)
from slimline.reference import DockerReference, parse_docker_reference

#: A parsed image reference such as ``gcr.io/distroless/python3-debian12:nonroot``
#: (``tag`` None when the reference names none).
ImageRef = DockerReference


def parse_image_ref(ref: str) -> ImageRef | None:
    """Parse a reference the way Docker normalises it (:mod:`slimline.reference`);
    None when it is not one."""
    ref = ref.strip()
    if not ref:
        return None
    try:
        return parse_docker_reference(ref)
    except ImageError:
        return None


@dataclass(frozen=True, slots=True)
class BaseImage:
    """What the catalog knows about one base image reference."""

    family: str
    #: "fat", "slim", "alpine", "distroless", "scratch", "jre", "minimal" or "build".
    variant: str
    #: Carries compilers/build tools (gcc, go, rustc, javac, maven...).
    toolchain: bool
    #: Has a shell (/bin/sh): shell-form RUN/CMD work.
    shell: bool
    #: Suggested lean replacements for a final stage, best first.
    suggestions: tuple[str, ...]
    #: Rough uncompressed size in MB, for messages.
    approx_mb: int | None = None
    #: Default user when known ("root" for most; "nonroot" for distroless :nonroot).
    default_user: str | None = "root"
    #: The image's WORKDIR (what a relative COPY destination is resolved against).
    workdir: str | None = "/"


_VERSION_RE = re.compile(r"^(\d+(?:\.\d+)*)")
_DEBIAN_CODENAMES = ("trixie", "bookworm", "bullseye", "buster", "stretch")


def _split_tag(tag: str) -> tuple[str, str | None]:
    """``3.11.7-slim-bookworm`` -> ("3.11.7", "bookworm")."""
    m = _VERSION_RE.match(tag)
    version = m.group(1) if m else ""
    codename = next((c for c in _DEBIAN_CODENAMES if c in tag), None)
    return version, codename


def _lean_tag(version: str, variant: str, codename: str | None) -> str:
    parts = [p for p in (version, variant, codename) if p]
    return "-".join(parts) if parts else variant


def _python(tag: str) -> BaseImage:
    version, codename = _split_tag(tag)
    if "alpine" in tag:
        return BaseImage("python", "alpine", False, True, (), 60)
    if "slim" in tag:
        return BaseImage(
            "python", "slim", False, True, (DISTROLESS_PYTHON_REPOSITORY,), 130
        )
    if "windowsservercore" in tag or "nanoserver" in tag:
        return BaseImage("python", "windows", False, True, (), workdir=None)
    return BaseImage(
        "python",
        "fat",
        True,
        True,
        (f"python:{_lean_tag(version, 'slim', codename)}", DISTROLESS_PYTHON_REPOSITORY),
        1000,
    )


def _node(tag: str) -> BaseImage:
    version, codename = _split_tag(tag)
    if "alpine" in tag:
        return BaseImage("node", "alpine", False, True, (), 140)
    if "slim" in tag:
        return BaseImage("node", "slim", False, True, (), 200)
    major = version.split(".")[0] if version else ""
    distroless = distroless_nodejs_repository(major or "20")
    return BaseImage(
        "node",
        "fat",
        True,
        True,
        (
            f"node:{_lean_tag(version, 'slim', codename)}",
            f"node:{_lean_tag(version, 'alpine', None)}",
            distroless,
        ),
        1100,
    )


def _compiled(family: str, approx: int) -> BaseImage:
    lean = (
        (DISTROLESS_STATIC_REPOSITORY, "scratch")
        if family == "golang"
        else (DISTROLESS_CC_REPOSITORY, DEBIAN_SLIM)
    )
    return BaseImage(family, "build", True, True, lean, approx, workdir="/go" if family == "golang" else "/")


def _ruby(tag: str) -> BaseImage:
    version, codename = _split_tag(tag)
    if "alpine" in tag:
        return BaseImage("ruby", "alpine", False, True, (), 90)
    if "slim" in tag:
        return BaseImage("ruby", "slim", False, True, (), 200)
    return BaseImage(
        "ruby", "fat", True, True, (f"ruby:{_lean_tag(version, 'slim', codename)}",), 1000
    )


def _java(family: str, tag: str) -> BaseImage:
    version, _ = _split_tag(tag)
    if "jre" in tag:
        return BaseImage(family, "jre", False, True, (), 270)
    major = version.split(".")[0] if version else "21"
    suggestions = (f"eclipse-temurin:{major}-jre", f"{DISTROLESS}/java{major}-{DISTROLESS_DEBIAN}")
    return BaseImage(
        family, "fat", True, True, suggestions, 450 if family == "eclipse-temurin" else 500
    )


def _debian(tag: str) -> BaseImage:
    if "slim" in tag:
        return BaseImage("debian", "slim", False, True, (), 75)
    codename = next((c for c in _DEBIAN_CODENAMES if c in tag), "bookworm")
    if tag and tag[0].isdigit():
        codename = {"13": "trixie", "12": "bookworm", "11": "bullseye", "10": "buster"}.get(
            tag.split(".")[0], codename
        )
    return BaseImage("debian", "fat", False, True, (f"debian:{codename}-slim",), 120)


def _php(tag: str) -> BaseImage:
    if "alpine" in tag:
        return BaseImage("php", "alpine", False, True, (), 90, workdir="/var/www/html")
    version, _ = _split_tag(tag)
    flavour = "fpm" if "fpm" in tag else "apache" if "apache" in tag else "cli"
    if flavour == "apache":
        # The apache variant has no alpine build; fpm-alpine behind a web server is the lean path.
        suggestion = f"php:{_lean_tag(version, 'fpm-alpine', None)}"
    else:
        suggestion = f"php:{_lean_tag(version, flavour + '-alpine', None)}"
    return BaseImage("php", "fat", False, True, (suggestion,), 500, workdir="/var/www/html")


def classify_base(ref: str) -> BaseImage | None:
    """What the catalog knows about ``ref`` (None for images it does not know)."""
    if ref.strip().lower() == "scratch":
        return BaseImage("scratch", "scratch", False, False, (), 0, default_user=None)
    parsed = parse_image_ref(ref)
    if parsed is None:
        return None
    tag = (parsed.tag or "latest").lower()
    name = parsed.short_name
    if parsed.registry in ("gcr.io", "cgr.dev") or name.startswith("gcr.io/distroless"):
        if "distroless" in name:
            family = name.rsplit("/", 1)[-1]
            user = "nonroot" if "nonroot" in tag else "root"
            return BaseImage(family, "distroless", False, "debug" in tag, (), 50, default_user=user)
        if parsed.registry == "cgr.dev":
            return BaseImage(
                name, "distroless", False, "dev" in tag, (), 50, default_user="nonroot"
            )
    if name == "python":
        return _python(tag)
    if name == "node":
        return _node(tag)
    if name == "golang":
        return _compiled("golang", 800)
    if name == "rust":
        return _compiled("rust", 1400)
    if name in ("gcc", "buildpack-deps"):
        return _compiled(name, 1300)
    if name in ("maven", "gradle"):
        return BaseImage(name, "build", True, True, ("eclipse-temurin:21-jre",), 600)
    if name == "ruby":
        return _ruby(tag)
    if name in ("openjdk", "eclipse-temurin", "amazoncorretto"):
        return _java(name, tag)
    if name == "debian":
        return _debian(tag)
    if name == "ubuntu":
        return BaseImage("ubuntu", "minimal", False, True, (), 78)
    if name == "alpine":
        return BaseImage("alpine", "alpine", False, True, (), 8)
    if name == "busybox":
        return BaseImage("busybox", "minimal", False, True, (), 5)
    if name == "php":
        return _php(tag)
    return None


#: Images known to start as another user than root (their Dockerfile sets USER): a
#: Dockerfile built FROM them inherits it.
_NON_ROOT_IMAGES = re.compile(
    r"(cimg/|circleci/|jenkins/|quay\.io/jupyter/|jupyter/|gitpod/workspace-|bitnami/"
    r"|nginxinc/nginx-unprivileged|chainguard/|cgr\.dev/|sonarqube\b|kibana\b|logstash\b"
    r"|elasticsearch\b|haproxy\b|memcached\b|docker\.elastic\.co/)"
)


def default_user(ref: str) -> str | None:
    """The user an image starts as when a Dockerfile sets none: "root", or None when the
    image is known to set another user (`cimg/base` runs as circleci, jupyter's images as
    jovyan, haproxy as haproxy). Images slimline does not know are assumed to start as
    root, as Docker does without a USER."""
    if ref.strip().lower() == "scratch":
        return "root"
    info = classify_base(ref)
    if info is not None:
        return info.default_user
    parsed = parse_image_ref(ref)
    name = parsed.short_name if parsed is not None else ref.strip()
    if "/library/" in name:  # a mirror of Docker Hub's official images
        return default_user(name.split("/library/", 1)[1])
    return None if _NON_ROOT_IMAGES.match(name) or published_user(ref) else "root"


#: Images published to run as an unprivileged user of their own (their Dockerfiles end
#: with a non-root USER): a Dockerfile built FROM them without USER does not run as root.
_NON_ROOT_NAMESPACES = {"jupyter": "jovyan", "bitnami": "1001"}
_PUBLISHED_USERS = {"grafana/k6": "k6"}


def published_user(ref: str) -> str | None:
    """The non-root user an image is published to run as, when the catalog knows it."""
    parsed = parse_image_ref(ref)
    if parsed is None:
        return None
    name = parsed.repository  # Docker Hub or quay.io alike: `jupyter/base-notebook`
    if name in _PUBLISHED_USERS:
        return _PUBLISHED_USERS[name]
    return _NON_ROOT_NAMESPACES.get(name.split("/", 1)[0]) if "/" in name else None


#: Official images whose entrypoint starts as root and drops to the service's user
#: (`gosu postgres`, `gosu mysql`...): built FROM them, keeping their ENTRYPOINT, the
#: service does not run as root.
_ENTRYPOINT_DROPS = frozenset({"postgres", "mysql", "mariadb", "redis", "mongo", "rabbitmq"})


def entrypoint_drops_privileges(ref: str) -> bool:
    parsed = parse_image_ref(ref)
    return parsed is not None and parsed.short_name in _ENTRYPOINT_DROPS
