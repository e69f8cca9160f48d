"""Cheap look-ups of an image's identity (diff IDs, history length) without its layers.

Used to tell base-image layers from an image's own: when the base image is known
(``--base``, or the Dockerfile's ``FROM``), its diff IDs are a prefix of the
image's. Look-ups never contact a host the user did not name: the daemon, the
registry the analysed image came from, or a local path.
"""

from __future__ import annotations

from slimline.errors import SlimlineError
from slimline.image.model import Image, ImageIdentity, Platform
from slimline.reference import parse_docker_reference

__all__ = ["ImageIdentity", "base_identity", "identity_of"]


def identity_of(reference: str, platform: Platform | None = None) -> ImageIdentity:
    """The identity of any image reference (``--base``); raises on failure.

    A daemon image is inspected; other transports read manifest and config only
    (a compressed archive has to be read through once).
    """
    from slimline.image.reference import parse_image_reference

    return parse_image_reference(reference).identity(platform)


def base_identity(base: str, image: Image, platform: Platform | None) -> ImageIdentity | None:
    """The identity of ``base`` (a Dockerfile FROM) in the store ``image`` came from.

    None when it cannot be found there; nothing is fetched from other hosts.
    """
    if base.lower() == "scratch":
        return ImageIdentity(base, (), 0)
    try:
        parse_docker_reference(base)
    except SlimlineError:
        return None
    return image.source.find(base, platform)
