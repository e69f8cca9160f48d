"""References without a transport prefix: a path, or a name for the engine or a registry.

* an existing directory is an OCI layout, an existing file an image archive (read as
  whichever of ``docker save`` or OCI it holds);
* text that looks like a path (``./x``, ``/x``, ``~/x``, ``x.tar``, ``x.tar.gz``...)
  but names nothing is a local error: it is never looked up on Docker Hub;
* a full image ID is an image of the engine;
* any other text is a Docker name: the engine's image when one answers and holds
  it, else the registry the name points at.
"""

from __future__ import annotations

import re
from pathlib import Path

from slimline.dockerapi import engine_has_image
from slimline.errors import ImageError
from slimline.image.model import Image, ImageIdentity, Platform
from slimline.image.reference import ImageReference
from slimline.image.transports import OpenOptions, Transport, prefixes
from slimline.image.transports.archive import ANY_ARCHIVE
from slimline.image.transports.daemon import TRANSPORT as DAEMON
from slimline.image.transports.daemon import identity_from_daemon
from slimline.image.transports.oci import TRANSPORT as LAYOUT
from slimline.image.transports.registry import BY_NAME
from slimline.reference import is_image_id, parse_docker_reference

_ARCHIVE_SUFFIX = re.compile(r"\.(?:tar|tgz|tar\.gz|tar\.zst|tar\.zstd|oci)$")


def looks_like_path(text: str) -> bool:
    """True for text a user means as a file path rather than an image name."""
    return text.startswith(("/", "./", "../", "~")) or text in (".", "..") \
        or bool(_ARCHIVE_SUFFIX.search(text))


class AutoTransport(Transport):
    """A bare path or name (see the module's doc)."""

    name = "auto"

    def parse(self, rest: str, text: str) -> ImageReference:
        path = Path(rest)
        if path.is_dir():
            return ImageReference(text, LAYOUT, path=rest)
        if path.is_file():
            return ImageReference(text, ANY_ARCHIVE, path=rest)
        if "://" in rest:
            raise ImageError(f"{text!r}: unknown transport (use one of: {prefixes()})")
        if looks_like_path(rest):
            raise ImageError(f"{text}: no such file or directory")
        if is_image_id(rest):
            return ImageReference(text, self, name=rest)
        return ImageReference(text, self, name=rest, docker=parse_docker_reference(rest).tagged())

    def resolve(self, ref: ImageReference) -> ImageReference:
        """The engine's image when it holds the name (or for an image ID), else the registry's."""
        assert ref.name is not None
        if ref.docker is None or engine_has_image(ref.name):
            return ImageReference(ref.text, DAEMON, name=ref.name, docker=ref.docker)
        return ImageReference(ref.text, BY_NAME, docker=ref.docker)

    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        return self.resolve(ref).open(options)

    def identity(self, ref: ImageReference, platform: Platform | None) -> ImageIdentity:
        assert ref.name is not None
        found = identity_from_daemon(ref.name)
        if found is not None:
            return found
        return self.resolve(ref).identity(platform)


TRANSPORT = AutoTransport()
