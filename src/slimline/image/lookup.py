"""Cheap look-ups of an image's identity (diff IDs, history length) without its layers.

Used to tell base-image layers from an image's own: when the base image is known
(``--base``, or the Dockerfile's ``FROM``), its diff IDs are a prefix of the
image's. Look-ups never contact a host the user did not name: the daemon, the
registry the analysed image came from, or a local path.
"""

from __future__ import annotations

from dataclasses import dataclass

from slimline.errors import SlimlineError
from slimline.image.model import Image, Platform
from slimline.image.reference import DOCKER_HUB, DockerReference, parse_docker_reference


@dataclass(frozen=True)
class ImageIdentity:
    name: str
    diff_ids: tuple[str, ...]
    history_length: int | None


def identity_from_daemon(name: str) -> ImageIdentity | None:
    """The identity of a daemon image, from ``inspect`` and ``history`` (no ``save``)."""
    from docker.errors import DockerException

    from slimline.errors import EngineError
    from slimline.image.daemon import engine_client, transport_errors

    try:
        api = engine_client(timeout=30)
        info = api.inspect_image(name)
        history = api.history(name)
    except (EngineError, DockerException, *transport_errors()):
        return None
    layers = (info.get("RootFS") or {}).get("Layers") or []
    return ImageIdentity(name, tuple(str(x) for x in layers),
                         len(history) if isinstance(history, list) else None)


def identity_of(reference: str, platform: Platform | None = None) -> ImageIdentity:
    """The identity of any image reference (``--base``); raises on failure.

    A daemon image is inspected; other transports read manifest and config only
    (a compressed archive has to be read through once).
    """
    from slimline.image import open_image, parse_image_reference

    ref = parse_image_reference(reference)
    if ref.transport in ("docker-daemon", "auto"):
        assert ref.name is not None
        found = identity_from_daemon(ref.name)
        if found is not None:
            return found
        if ref.transport == "docker-daemon":
            raise SlimlineError(f"base image {reference!r} not found in the Docker engine")
    with open_image(ref, platform=platform) as image:
        return ImageIdentity(image.name, image.config.diff_ids, len(image.config.history))


def base_identity(base: str, image: Image, platform: Platform | None) -> ImageIdentity | None:
    """The identity of ``base`` (a Dockerfile FROM) through ``image``'s own transport.

    None when it cannot be found there; nothing is fetched from other hosts.
    """
    if base.lower() == "scratch":
        return ImageIdentity(base, (), 0)
    try:
        wanted = parse_docker_reference(base)
    except SlimlineError:
        return None
    if image.transport == "docker-daemon":
        return identity_from_daemon(base)
    if image.transport == "docker" and image.reference.startswith("docker://"):
        from slimline.image.registry import open_registry

        try:
            source = parse_docker_reference(image.reference[len("docker://"):])
        except SlimlineError:
            return None
        repository = wanted.repository
        if wanted.registry == DOCKER_HUB:
            repository = repository.removeprefix("library/")
        elif wanted.registry != source.registry:
            return None
        candidate = DockerReference(source.registry, repository, wanted.tag, wanted.digest)
        try:
            with open_registry(candidate, f"docker://{candidate}", platform=platform) as base_img:
                return ImageIdentity(base, base_img.config.diff_ids,
                                     len(base_img.config.history))
        except SlimlineError:
            return None
    return None
