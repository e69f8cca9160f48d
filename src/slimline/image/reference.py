"""Image references: a transport and what it needs, as in containers-transports(5).

    docker-daemon:NAME[:TAG]        an image in the local Docker Engine
    docker-archive:PATH[:REF]       a ``docker save`` archive (REF: NAME:TAG or @N)
    oci:DIR[:REF]                   an OCI image layout directory
    oci-archive:PATH[:REF]          a tar of an OCI image layout
    docker://HOST/NAME:TAG|@DIGEST  a registry (OCI distribution API)
    NAME[:TAG]                      the daemon when one answers, else the registry

A bare existing path is read as an archive (file) or an OCI layout (directory).
Which module reads which prefix is said in :mod:`slimline.image.transports`;
Docker names are parsed by the one parser, :mod:`slimline.reference`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slimline.reference import DOCKER_HUB, DockerReference, parse_docker_reference

if TYPE_CHECKING:
    from slimline.image.model import Image, ImageIdentity, Platform
    from slimline.image.transports import OpenOptions, Transport

__all__ = [
    "DOCKER_HUB",
    "DockerReference",
    "ImageReference",
    "parse_docker_reference",
    "parse_image_reference",
]


@dataclass(frozen=True)
class ImageReference:
    """Where to read an image from: a transport and its arguments.

    ``text`` is what the user typed; ``path`` is the archive or layout path, ``ref``
    the image selected inside it, ``name`` the daemon image name, ``docker`` the
    registry name (each transport fills what it uses).
    """

    text: str
    transport: Transport
    path: str | None = None
    ref: str | None = None
    name: str | None = None
    docker: DockerReference | None = None

    def resolve(self) -> ImageReference:
        """The reference with a concrete transport (a bare name: daemon or registry)."""
        return self.transport.resolve(self)

    def open(self, options: OpenOptions) -> Image:
        return self.transport.open(self, options)

    def identity(self, platform: Platform | None = None) -> ImageIdentity:
        """The image's identity, as cheaply as the transport can tell it."""
        return self.transport.identity(self, platform)


def parse_image_reference(text: str) -> ImageReference:
    """Parse what the user typed; raises :class:`ImageError` when it cannot be read."""
    from slimline.image.transports import parse

    return parse(text)
