"""The ``docker-daemon:`` transport: images in the local Docker Engine.

The Engine API's ``GET /images/{name}/get`` streams what ``docker save`` writes; the
stream is read in one forward pass (see :mod:`slimline.image.archive`), so no
temporary file is written and only layer headers are kept in memory. Both the
legacy layout and the OCI layout of Docker >= 25 are understood. The engine is
reached through the one client of :mod:`slimline.dockerapi`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from slimline import dockerapi
from slimline.dockerapi import PING_TIMEOUT, engine_call
from slimline.errors import ImageError
from slimline.image.archive import read_archive_stream
from slimline.image.model import Image, ImageIdentity, ImageSource, Platform
from slimline.image.read import ProgressSink
from slimline.image.reference import ImageReference
from slimline.image.streams import ChunkStream, Readable
from slimline.image.transports import OpenOptions, Transport
from slimline.reference import parse_docker_reference

_SHORT_ID = re.compile(r"[0-9a-f]{12,64}")


def identity_from_daemon(name: str) -> ImageIdentity | None:
    """The identity of a daemon image, from ``inspect`` and ``history`` (no ``save``);
    None when no engine answers or it does not hold ``name``."""
    try:
        api = dockerapi.api_client(PING_TIMEOUT)
        info = api.inspect_image(name)
        history = api.history(name)
    except dockerapi.UNAVAILABLE:
        return None
    layers = (info.get("RootFS") or {}).get("Layers") or []
    return ImageIdentity(name, tuple(str(x) for x in layers),
                         len(history) if isinstance(history, list) else None)


class DaemonSource(ImageSource):
    """An image held by the engine, known by its ID."""

    transport = "docker-daemon"

    def __init__(self, image_id: str) -> None:
        self.image_id = image_id

    def stored_size(self) -> int | None:
        """``docker image inspect``'s Size (None if it says none)."""
        with engine_call(f"{self.image_id}: cannot inspect the image in the engine"):
            size = dockerapi.api_client().inspect_image(self.image_id).get("Size")
        return int(size) if isinstance(size, int) else None

    def find(self, name: str, platform: Platform | None) -> ImageIdentity | None:
        return identity_from_daemon(name)

    @contextmanager
    def open_stream(self) -> Iterator[Readable]:
        api = dockerapi.api_client()
        with engine_call(f"{self.image_id}: reading the image from the engine failed"):
            yield ChunkStream(iter(api.get_image(self.image_id)))


def open_daemon(
    name: str,
    reference: str,
    *,
    platform: Platform | None = None,
    verify_all: bool = False,
    progress: ProgressSink | None = None,
) -> Image:
    """Read image ``name`` from the Docker engine (layers are scanned on the way)."""
    what = f"docker-daemon:{name}"
    api = dockerapi.api_client()
    with engine_call(what, absent="no such image in the Docker engine"):
        info = api.inspect_image(name)
    if platform is not None:
        have = Platform(str(info.get("Os", "")), str(info.get("Architecture", "")),
                        str(info.get("Variant", "") or ""))
        if not platform.matches(have):
            raise ImageError(f"{what}: the engine holds {have}, not {platform}")
    source = DaemonSource(str(info.get("Id") or name))
    with engine_call(f"{what}: reading the image from the engine failed"):
        chunks = api.get_image(name)
        image = read_archive_stream(
            ChunkStream(iter(chunks)),
            ref=None,
            platform=platform,
            oci_only=False,
            source=lambda _oci: source,
            reference=reference,
            what=what,
            verify_all=verify_all,
            progress=progress,
            total_hint=int(info.get("Size") or 0),
        )
    tags = info.get("RepoTags") or []
    image.name = str(tags[0]) if tags else name
    return image


class DaemonTransport(Transport):
    """``docker-daemon:NAME[:TAG]``, ``docker-daemon:ID``."""

    name = "docker-daemon"

    def parse(self, rest: str, text: str) -> ImageReference:
        if not rest:
            raise ImageError(f"{text!r}: missing name")
        if rest.startswith("sha256:") or _SHORT_ID.fullmatch(rest):
            return ImageReference(text, self, name=rest)
        return ImageReference(text, self, name=rest, docker=parse_docker_reference(rest))

    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        assert ref.name is not None
        return open_daemon(ref.name, ref.text, platform=options.platform,
                           verify_all=options.verify_all, progress=options.progress)

    def identity(self, ref: ImageReference, platform: Platform | None) -> ImageIdentity:
        assert ref.name is not None
        found = identity_from_daemon(ref.name)
        if found is None:
            raise ImageError(f"docker-daemon:{ref.name}: no such image in the Docker engine")
        return found


TRANSPORT = DaemonTransport()
