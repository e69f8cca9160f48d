"""Image references: transports named as in containers-transports(5), and Docker names.

    docker-daemon:NAME[:TAG]        an image in the local Docker Engine
    docker-archive:PATH[:REF]       a ``docker save`` archive (REF: NAME:TAG or @N)
    oci:DIR[:REF]                   an OCI image layout directory
    oci-archive:PATH[:REF]          a tar of an OCI image layout
    docker://HOST/NAME:TAG|@DIGEST  a registry (OCI distribution API)
    NAME[:TAG]                      the daemon when one answers, else the registry

A bare existing path is read as an archive (file) or an OCI layout (directory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from slimline.errors import ImageError

DOCKER_HUB = "docker.io"
TRANSPORTS = ("docker-daemon", "docker-archive", "oci", "oci-archive", "docker")

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH_RE = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST_RE = re.compile(r"^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$")
_DOMAIN_RE = re.compile(r"^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]+)?$")


@dataclass(frozen=True)
class DockerReference:
    """A registry image name: ``registry/repository[:tag][@digest]``."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @property
    def ref(self) -> str:
        """What to ask the registry's manifests endpoint for."""
        return self.digest or self.tag or "latest"

    @property
    def host(self) -> str:
        """The host to connect to (Docker Hub's API lives at registry-1.docker.io)."""
        return "registry-1.docker.io" if self.registry == DOCKER_HUB else self.registry

    def __str__(self) -> str:
        text = f"{self.registry}/{self.repository}"
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text

    def familiar(self) -> str:
        """The short form Docker shows: ``python:3.11`` rather than docker.io/library/..."""
        name = self.repository
        if self.registry == DOCKER_HUB:
            name = name.removeprefix("library/")
        else:
            name = f"{self.registry}/{name}"
        if self.tag:
            name += f":{self.tag}"
        if self.digest:
            name += f"@{self.digest}"
        return name


def parse_docker_reference(text: str) -> DockerReference:
    """Parse a Docker image name; raises :class:`ImageError` when it is not valid."""
    original = text
    if not text or text != text.strip():
        raise ImageError(f"invalid image reference {original!r}")
    digest = None
    if "@" in text:
        text, _, digest = text.partition("@")
        if not _DIGEST_RE.match(digest):
            raise ImageError(f"invalid digest in image reference {original!r}")
    tag = None
    last = text.rpartition("/")[2]
    if ":" in last:
        text, _, tag = text.rpartition(":")
        if not _TAG_RE.match(tag):
            raise ImageError(f"invalid tag in image reference {original!r}")
    first, sep, rest = text.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        if not _DOMAIN_RE.match(first):
            raise ImageError(f"invalid registry in image reference {original!r}")
        registry, path = first, rest
    else:
        registry, path = DOCKER_HUB, text
    if registry in ("index.docker.io", "registry-1.docker.io"):
        registry = DOCKER_HUB
    if registry == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    if not _PATH_RE.match(path):
        raise ImageError(f"invalid repository name in image reference {original!r}")
    if tag is None and digest is None:
        tag = "latest"
    return DockerReference(registry, path, tag, digest)


@dataclass(frozen=True)
class ImageReference:
    """Where to read an image from: a transport and its arguments.

    ``transport`` is one of :data:`TRANSPORTS`, or ``"auto"`` for a bare name (daemon
    first, then registry). ``path`` is the archive or layout path, ``ref`` the image
    selected inside it, ``name`` the daemon image name, ``docker`` the registry name.
    """

    text: str
    transport: str
    path: str | None = None
    ref: str | None = None
    name: str | None = None
    docker: DockerReference | None = None


def _split_path_ref(rest: str) -> tuple[str, str | None]:
    path, sep, ref = rest.partition(":")
    return path, (ref if sep and ref else None)


def parse_image_reference(text: str) -> ImageReference:
    """Parse what the user typed; raises :class:`ImageError` when it cannot be read."""
    if not text:
        raise ImageError("empty image reference")
    if text.startswith("docker://"):
        return ImageReference(text, "docker", docker=parse_docker_reference(text[9:]))
    for transport in ("docker-daemon", "docker-archive", "oci-archive", "oci"):
        prefix = transport + ":"
        if text.startswith(prefix):
            rest = text[len(prefix):]
            if not rest:
                missing = "name" if transport == "docker-daemon" else "path"
                raise ImageError(f"{text!r}: missing {missing}")
            if transport == "docker-daemon":
                if rest.startswith("sha256:") or re.fullmatch(r"[0-9a-f]{12,64}", rest):
                    return ImageReference(text, transport, name=rest)
                return ImageReference(text, transport, name=rest,
                                      docker=parse_docker_reference(rest))
            path, ref = _split_path_ref(rest)
            return ImageReference(text, transport, path=path, ref=ref)
    if Path(text).is_dir():
        return ImageReference(text, "oci", path=text)
    if Path(text).is_file():
        return ImageReference(text, "archive", path=text)
    if "://" in text:
        raise ImageError(f"{text!r}: unknown transport (use one of: "
                         "docker-daemon:, docker-archive:, oci:, oci-archive:, docker://)")
    return ImageReference(text, "auto", name=text, docker=parse_docker_reference(text))
