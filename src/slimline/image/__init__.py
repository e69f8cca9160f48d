"""Container images: the OCI model, transports and layer reading.

``open_image("docker-archive:app.tar")`` returns an :class:`Image` whatever the
transport; :func:`iter_layer_scans` reads its layers in parallel and yields what
each contains, in order.
"""

from __future__ import annotations

from pathlib import Path

from slimline.errors import ImageError
from slimline.image.mediatypes import Compression
from slimline.image.model import (
    Descriptor,
    FileRange,
    HistoryEntry,
    Image,
    ImageConfig,
    Layer,
    Platform,
)
from slimline.image.read import ProgressSink, iter_layer_scans, scan_layer
from slimline.image.reference import (
    DockerReference,
    ImageReference,
    parse_docker_reference,
    parse_image_reference,
)
from slimline.image.tarscan import LayerScan

__all__ = [
    "Compression",
    "Descriptor",
    "DockerReference",
    "FileRange",
    "HistoryEntry",
    "Image",
    "ImageConfig",
    "ImageReference",
    "Layer",
    "LayerScan",
    "Platform",
    "ProgressSink",
    "iter_layer_scans",
    "open_image",
    "parse_docker_reference",
    "parse_image_reference",
    "scan_layer",
]


def open_image(
    reference: str | ImageReference,
    *,
    platform: Platform | None = None,
    verify_all: bool = False,
    progress: ProgressSink | None = None,
) -> Image:
    """Open an image by reference (see :mod:`slimline.image.reference` for the forms).

    Sources that can only be read in one forward pass (the Docker engine, a
    compressed archive) are scanned here, reporting to ``progress``; others are
    scanned later by :func:`iter_layer_scans`. Raises :class:`ImageError` (or
    :class:`~slimline.errors.EngineError`) for anything that cannot be read.
    """
    ref = parse_image_reference(reference) if isinstance(reference, str) else reference
    transport = ref.transport
    if transport == "auto":
        from slimline.image.daemon import daemon_has_image

        assert ref.name is not None and ref.docker is not None
        if daemon_has_image(ref.name):
            transport = "docker-daemon"
        else:
            transport = "docker"
    if transport == "docker-daemon":
        from slimline.image.daemon import open_daemon

        assert ref.name is not None
        return open_daemon(ref.name, ref.text, platform=platform, verify_all=verify_all,
                           progress=progress)
    if transport == "docker":
        from slimline.image.registry import open_registry

        assert ref.docker is not None
        return open_registry(ref.docker, ref.text, platform=platform)
    if transport == "oci":
        from slimline.image.layout import open_layout

        assert ref.path is not None
        return open_layout(ref.path, ref.ref, platform, ref.text)
    if transport in ("docker-archive", "oci-archive", "archive"):
        from slimline.image.archive import is_plain_tar, open_archive, open_compressed_archive

        assert ref.path is not None
        what = ref.text if transport == "archive" else f"{transport}:{ref.path}"
        if not Path(ref.path).is_file():
            raise ImageError(f"{what}: no such file")
        try:
            plain = is_plain_tar(ref.path)
        except OSError as exc:
            raise ImageError(f"{what}: cannot read: {exc.strerror}") from None
        if plain:
            return open_archive(ref.path, ref.ref, platform, transport, ref.text)
        return open_compressed_archive(ref.path, ref.ref, platform, transport, ref.text,
                                       verify_all=verify_all, progress=progress)
    raise ImageError(f"{ref.text}: unknown transport {transport!r}")
