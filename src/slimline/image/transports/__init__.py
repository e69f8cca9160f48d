"""Transports: one module for each way of reading an image, found by its prefix.

A transport turns its part of a reference (what follows its prefix) into an
:class:`~slimline.image.reference.ImageReference`, and such a reference into an
:class:`~slimline.image.model.Image` whose :class:`~slimline.image.model.ImageSource`
answers what only that place can tell (the engine's size, another image of the
same store, the stored archive again). Nothing outside this package tests which
transport an image or a reference has.

To add a transport: write a module here with a :class:`Transport` subclass (and an
``ImageSource`` subclass when its images can do more than the defaults), and add
one line to :data:`REGISTRY`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slimline.errors import ImageError
from slimline.image.model import Image, ImageIdentity, Platform
from slimline.image.read import ProgressSink
from slimline.image.reference import ImageReference

#: Reference prefix -> ``module:ATTRIBUTE`` of the transport that reads it (``.module``:
#: a module of this package). Modules are imported when a reference needs them.
REGISTRY: dict[str, str] = {
    "docker-daemon:": ".daemon:TRANSPORT",
    "docker-archive:": ".archive:DOCKER_ARCHIVE",
    "oci:": ".oci:TRANSPORT",
    "oci-archive:": ".archive:OCI_ARCHIVE",
    "docker://": ".registry:TRANSPORT",
}
#: What reads a reference without a known prefix: a path, or a name (daemon, else registry).
FALLBACK = ".auto:TRANSPORT"


@dataclass(frozen=True)
class OpenOptions:
    """How to open an image: the platform wanted, full verification, progress."""

    platform: Platform | None = None
    verify_all: bool = False
    progress: ProgressSink | None = None


class Transport(ABC):
    """One way of reading images. Subclasses implement :meth:`parse` and :meth:`open`."""

    #: The transport's name (the prefix without its ``:`` or ``://``).
    name: str = ""
    #: Blobs come from a registry over the network: a pull can be timed.
    remote: bool = False

    @abstractmethod
    def parse(self, rest: str, text: str) -> ImageReference:
        """Make a reference from ``rest`` (``text`` without the prefix)."""

    @abstractmethod
    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        """Open the image ``ref`` names; raises ImageError (or EngineError)."""

    def resolve(self, ref: ImageReference) -> ImageReference:
        """``ref`` with the transport that will actually read it (itself, here)."""
        return ref

    def identity(self, ref: ImageReference, platform: Platform | None) -> ImageIdentity:
        """The identity of ``ref``'s image: its manifest and config only, by default
        (a one-pass source has to be read through once)."""
        with self.open(ref, OpenOptions(platform=platform)) as image:
            return ImageIdentity(image.name, image.config.diff_ids, len(image.config.history))


def split_path_ref(rest: str, exists: Callable[[Path], bool]) -> tuple[str, str | None]:
    """Split ``PATH[:REF]`` where ``PATH`` may itself contain ``:``.

    When the whole of ``rest`` exists it is the path; else the last ``:`` with an
    existing path on its left starts ``REF``; else the first ``:`` does (the path
    does not exist, and opening it says so).
    """
    if ":" not in rest or exists(Path(rest)):
        return rest, None
    colons = [i for i, char in enumerate(rest) if char == ":"]
    for i in reversed(colons):
        if exists(Path(rest[:i])):
            return rest[:i], rest[i + 1:] or None
    path, _, ref = rest.partition(":")
    return path, ref or None


def load(target: str) -> Transport:
    """The transport object named ``module:ATTRIBUTE`` (``.module`` is in this package)."""
    module, _, attribute = target.partition(":")
    found = getattr(importlib.import_module(module, __name__), attribute)
    if not isinstance(found, Transport):
        raise TypeError(f"{target} is not a Transport")
    return found


def prefixes() -> str:
    """The known prefixes, for messages."""
    return ", ".join(REGISTRY)


def parse(text: str) -> ImageReference:
    """Parse what the user typed with the transport its prefix names."""
    if not text:
        raise ImageError("empty image reference")
    for prefix, target in REGISTRY.items():
        if text.startswith(prefix):
            return load(target).parse(text[len(prefix):], text)
    return load(FALLBACK).parse(text, text)
