"""Container images: the OCI model, transports and layer reading.

``open_image("docker-archive:app.tar")`` returns an :class:`Image` whatever the
transport; :func:`iter_layer_scans` reads its layers in parallel and yields what
each contains, in order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from slimline.image.mediatypes import Compression
from slimline.image.model import (
    Descriptor,
    FileRange,
    HistoryEntry,
    Image,
    ImageConfig,
    ImageIdentity,
    ImageSource,
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
    "ImageIdentity",
    "ImageReference",
    "ImageSource",
    "Layer",
    "LayerScan",
    "Platform",
    "ProgressSink",
    "iter_layer_scans",
    "naming_errors",
    "open_image",
    "parse_docker_reference",
    "parse_image_reference",
    "scan_layer",
]


@contextlib.contextmanager
def naming_errors(reference: str) -> Iterator[None]:
    """Errors about one layer (``layer 2 (ab12...): ...``) name the image they came from,
    so that a run over several images, or a CI log, says which one is broken."""
    from slimline.errors import ImageError

    try:
        yield
    except ImageError as exc:
        if not exc.message.startswith("layer "):
            raise
        raise ImageError(f"{reference}: {exc.message}", path=exc.path, line=exc.line) from None


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
    from slimline.image.transports import OpenOptions

    ref = parse_image_reference(reference) if isinstance(reference, str) else reference
    return ref.open(OpenOptions(platform, verify_all, progress))
