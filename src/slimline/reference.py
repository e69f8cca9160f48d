"""Docker image names: the one parser, after docker/distribution's ``reference`` package.

``parse_docker_reference`` follows ``ParseNormalizedNamed``:

* the first path component is a registry (domain) when it contains ``.`` or
  ``:``, is ``localhost``, or has upper-case letters; otherwise the name is on
  Docker Hub (``docker.io``);
* ``index.docker.io`` (and ``registry-1.docker.io``, Docker Hub's API host) are
  written ``docker.io``; a one-component Docker Hub name gets ``library/``;
* the repository must be lower case (an upper-case name is an error that says
  so), 255 characters at most, and made of the grammar's path components;
* a tag is ``[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}``; a digest is ``sha256:`` with 64
  or ``sha512:`` with 128 lower-case hex digits;
* a bare 64-digit hex string is an image ID, not a name.

A name without tag or digest keeps ``tag=None``; :meth:`DockerReference.tagged`
adds ``latest`` (distribution's ``TagNameOnly``). This module depends on nothing
else in slimline but its errors, so the knowledge catalog and the image
transports share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from slimline.errors import ImageError

DOCKER_HUB = "docker.io"
#: Other names of Docker Hub, normalised to :data:`DOCKER_HUB`.
_HUB_ALIASES = frozenset({"index.docker.io", "registry-1.docker.io"})
_HUB_API_HOST = "registry-1.docker.io"
NAME_TOTAL_LENGTH_MAX = 255

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_PATH_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_RE = re.compile(
    rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
)
_TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST_RE = re.compile(r"sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}")
_IMAGE_ID_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class DockerReference:
    """A normalised image name: ``registry/repository[:tag][@digest]``."""

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
        return _HUB_API_HOST if self.registry == DOCKER_HUB else self.registry

    @property
    def is_official(self) -> bool:
        """A Docker Hub official image (``docker.io/library/...``)."""
        return self.registry == DOCKER_HUB and self.repository.startswith("library/")

    @property
    def short_name(self) -> str:
        """``python`` for official images, ``user/app`` on Docker Hub, else ``host/path``."""
        if self.registry == DOCKER_HUB:
            return self.repository.removeprefix("library/")
        return f"{self.registry}/{self.repository}"

    def tagged(self) -> DockerReference:
        """This name with the ``latest`` tag when it has neither tag nor digest."""
        if self.tag is None and self.digest is None:
            return replace(self, tag="latest")
        return self

    def familiar(self) -> str:
        """The short form Docker shows: ``python:3.11`` rather than docker.io/library/..."""
        name = self.short_name
        if self.tag:
            name += f":{self.tag}"
        if self.digest:
            name += f"@{self.digest}"
        return name

    def __str__(self) -> str:
        text = f"{self.registry}/{self.repository}"
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


def is_image_id(text: str) -> bool:
    """True for a full image ID: 64 hex digits, with or without ``sha256:``."""
    return _IMAGE_ID_RE.fullmatch(text.removeprefix("sha256:")) is not None


def split_domain(name: str) -> tuple[str | None, str]:
    """Split a registry off a name as Docker does (``splitDockerDomain``), unnormalised."""
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        return first, rest
    return None, name


def parse_docker_reference(text: str) -> DockerReference:
    """Parse and normalise a Docker image name; raises :class:`ImageError` when invalid."""
    original = text
    if not text or text != text.strip():
        raise ImageError(f"invalid image reference {original!r}")
    if _IMAGE_ID_RE.fullmatch(text):
        raise ImageError(f"invalid image reference {original!r}: a 64-digit hex string is an "
                         "image ID, not a name")
    digest = None
    if "@" in text:
        text, _, digest = text.partition("@")
        if not _DIGEST_RE.fullmatch(digest):
            raise ImageError(f"invalid digest in image reference {original!r}")
    domain, remainder = split_domain(text)
    tag = None
    path, sep, tag_text = remainder.partition(":")
    if sep:
        if not _TAG_RE.fullmatch(tag_text):
            raise ImageError(f"invalid tag in image reference {original!r}")
        tag = tag_text
    if path != path.lower():
        raise ImageError(f"invalid image reference {original!r}: repository name {path!r} "
                         "must be lower case")
    if domain is not None and not _DOMAIN_RE.fullmatch(domain):
        raise ImageError(f"invalid registry in image reference {original!r}")
    registry = domain or DOCKER_HUB
    if registry in _HUB_ALIASES:
        registry = DOCKER_HUB
    if registry == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    if not _PATH_RE.fullmatch(path):
        raise ImageError(f"invalid repository name in image reference {original!r}")
    if len(f"{registry}/{path}") > NAME_TOTAL_LENGTH_MAX:
        raise ImageError(f"invalid image reference {original!r}: the name is longer than "
                         f"{NAME_TOTAL_LENGTH_MAX} characters")
    return DockerReference(registry, path, tag, digest)
