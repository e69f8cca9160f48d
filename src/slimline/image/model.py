"""The image model: a manifest, a config and an ordered list of layers.

Shaped after go-containerregistry's small ``v1.Image``/``v1.Layer`` interfaces: every
transport (daemon, archive, OCI layout, registry) produces the same :class:`Image`,
so analysis never knows where an image came from. A :class:`Layer` knows its
identity (diff ID, blob digest, media type) and how to open its raw blob; it never
holds the blob in memory.
"""

from __future__ import annotations

import json
import platform as _platform
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import Any

from slimline.errors import ImageError
from slimline.image.documents import Fields, short_digest
from slimline.image.mediatypes import Compression, layer_compression
from slimline.image.streams import Readable
from slimline.image.tarscan import LayerScan

_ARCH_ALIASES = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armv7l": "arm",
    "armv6l": "arm",
    "i386": "386",
    "i686": "386",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "riscv64": "riscv64",
}


@dataclass(frozen=True)
class Platform:
    """An OS/architecture pair with an optional variant, as in ``linux/arm64/v8``."""

    os: str
    architecture: str
    variant: str = ""

    @classmethod
    def parse(cls, text: str) -> Platform:
        """Parse ``os/arch[/variant]``; raises :class:`ImageError` when malformed."""
        parts = text.strip().split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise ImageError(f"invalid platform {text!r}: expected os/arch[/variant]")
        os_name, arch = parts[0].lower(), parts[1].lower()
        variant = parts[2].lower() if len(parts) == 3 else ""
        return cls(os_name, _ARCH_ALIASES.get(arch, arch), variant)

    @classmethod
    def host(cls) -> Platform:
        """The platform this process runs on (Linux containers on other systems)."""
        machine = _platform.machine().lower()
        arch = _ARCH_ALIASES.get(machine, machine or "amd64")
        variant = "v7" if machine == "armv7l" else "v6" if machine == "armv6l" else ""
        return cls("linux", arch, variant)

    @classmethod
    def from_fields(cls, fields: Fields) -> Platform:
        """From a descriptor's ``platform`` object; its fields must be strings."""
        return cls(fields.string("os"), fields.string("architecture"), fields.string("variant"))

    def matches(self, other: Platform) -> bool:
        """True when ``other`` (an index entry) satisfies this wanted platform.

        A wanted platform without a variant accepts any variant; ``arm64`` treats
        an absent variant and ``v8`` as the same.
        """
        if (self.os, self.architecture) != (other.os, other.architecture):
            return False
        if not self.variant:
            return True
        want, have = self.variant, other.variant
        if self.architecture == "arm64":
            want, have = want or "v8", have or "v8"
        return want == have

    def __str__(self) -> str:
        base = f"{self.os}/{self.architecture}"
        return f"{base}/{self.variant}" if self.variant else base


@dataclass(frozen=True)
class Descriptor:
    """A reference to a blob: media type, digest and size (and optional platform)."""

    media_type: str
    digest: str
    size: int
    platform: Platform | None = None
    annotations: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: Any, what: str) -> Descriptor:
        """Build from a descriptor object; raises :class:`ImageError` when malformed."""
        if not isinstance(obj, dict):
            raise ImageError(f"{what}: descriptor is not an object")
        fields = Fields(obj, what)
        media_type = obj.get("mediaType", "")
        digest = obj.get("digest")
        size = obj.get("size")
        if not isinstance(digest, str) or ":" not in digest:
            raise ImageError(f"{what}: descriptor without a valid digest")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ImageError(f"{what}: descriptor without a valid size")
        if not isinstance(media_type, str):
            raise ImageError(f"{what}: descriptor with an invalid mediaType")
        check_digest(digest, what)
        plat = fields.nested("platform")
        return cls(
            media_type,
            digest,
            size,
            Platform.from_fields(plat) if plat is not None else None,
            fields.string_map("annotations"),
        )


def check_digest(digest: str, what: str) -> None:
    """Raise :class:`ImageError` unless ``digest`` is ``sha256:<64 hex>`` or sha512."""
    algorithm, _, hexdigest = digest.partition(":")
    lengths = {"sha256": 64, "sha512": 128}
    if (
        algorithm not in lengths
        or len(hexdigest) != lengths[algorithm]
        or hexdigest.strip("0123456789abcdef")
    ):
        raise ImageError(f"{what}: invalid digest {digest!r}")


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of the config's ``history``: the instruction that made a step."""

    created_by: str
    created: str | None = None
    comment: str = ""
    author: str = ""
    empty_layer: bool = False


@dataclass(frozen=True)
class ImageConfig:
    """The parts of an image config that analysis and reports use."""

    digest: str
    architecture: str
    os: str
    variant: str
    created: str | None
    user: str
    env: tuple[str, ...]
    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    working_dir: str
    labels: Mapping[str, str]
    exposed_ports: tuple[str, ...]
    volumes: tuple[str, ...]
    history: tuple[HistoryEntry, ...]
    diff_ids: tuple[str, ...]

    #: What was ignored while reading (informative fields of the wrong type), for
    #: the report's warnings.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, data: bytes, digest: str, what: str) -> ImageConfig:
        """Parse config JSON bytes; raises :class:`ImageError` when malformed.

        ``what`` names the image; messages name the config by its digest. Fields
        analysis relies on must have their types; informative ones of the wrong
        type are ignored with a warning (see :mod:`slimline.image.documents`).
        """
        label = f"{what}: config {short_digest(digest)}"
        obj = load_json(data, label)
        if not isinstance(obj, dict):
            raise ImageError(f"{label}: image config is not a JSON object")
        top = Fields(obj, label)
        rootfs = top.nested("rootfs")
        diff_ids = rootfs.strings("diff_ids") if rootfs is not None else None
        if diff_ids is None:
            raise ImageError(f"{label}: image config has no rootfs.diff_ids")
        for diff_id in diff_ids:
            check_digest(diff_id, label)
        # An empty "config" falls back to the legacy "container_config", as Docker does.
        key = "config" if obj.get("config") or not obj.get("container_config") else \
            "container_config"
        cfg = top.nested(key) or Fields({}, label, f"{key}.", top.warnings)
        history = tuple(
            HistoryEntry(
                created_by=item.string("created_by"),
                created=item.info_string("created", None),
                comment=item.info_string("comment") or "",
                author=item.info_string("author") or "",
                empty_layer=item.boolean("empty_layer"),
            )
            for item in top.objects("history")
        )
        return cls(
            digest=digest,
            architecture=top.string("architecture"),
            os=top.string("os"),
            variant=top.string("variant"),
            created=top.info_string("created", None),
            user=cfg.string("User"),
            env=cfg.strings("Env") or (),
            entrypoint=cfg.strings("Entrypoint", allow_string=True),
            cmd=cfg.strings("Cmd", allow_string=True),
            working_dir=cfg.string("WorkingDir"),
            labels=cfg.info_string_map("Labels"),
            exposed_ports=cfg.keys("ExposedPorts"),
            volumes=cfg.keys("Volumes"),
            history=history,
            diff_ids=diff_ids,
            warnings=tuple(top.warnings),
        )


def load_json(data: bytes, what: str) -> Any:
    """Decode JSON or raise :class:`ImageError` naming ``what``."""
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImageError(f"{what}: invalid JSON ({exc})") from None
    except RecursionError:
        raise ImageError(f"{what}: JSON nested too deeply to read") from None


#: Opens a layer's raw blob (still compressed, if it is). The caller closes it.
BlobOpener = Callable[[], AbstractContextManager[Readable]]


@dataclass(frozen=True)
class FileRange:
    """A blob stored as a byte range of a local file (plain tar member or layout blob)."""

    path: str
    offset: int
    length: int


@dataclass
class Layer:
    """One filesystem layer of an image.

    ``digest``/``size``/``media_type`` describe the blob as stored by the transport
    (compressed or not); ``diff_id`` is the digest of the uncompressed tar, from the
    config. ``compression`` is None when the transport does not say (legacy
    ``docker save`` archives), and is then detected from the blob's first bytes.
    """

    index: int
    diff_id: str
    media_type: str
    compression: Compression | None
    digest: str | None
    size: int | None
    opener: BlobOpener | None = None
    file_range: FileRange | None = None
    scan: LayerScan | None = None

    @classmethod
    def from_descriptor(
        cls,
        index: int,
        desc: Descriptor,
        diff_id: str,
        *,
        opener: BlobOpener | None = None,
        file_range: FileRange | None = None,
    ) -> Layer:
        """The layer a manifest's descriptor names (its media type says the compression)."""
        return cls(index=index, diff_id=diff_id, media_type=desc.media_type,
                   compression=layer_compression(desc.media_type), digest=desc.digest,
                   size=desc.size, opener=opener, file_range=file_range)

    def open_raw(self) -> AbstractContextManager[Readable]:
        """Open the raw blob; raises :class:`ImageError` when the layer has no source."""
        if self.opener is None:
            raise ImageError(f"layer {self.index + 1}: no readable source")
        return self.opener()


@dataclass(frozen=True)
class ImageIdentity:
    """What tells an image's layers apart from another's, without reading them."""

    name: str
    diff_ids: tuple[str, ...]
    history_length: int | None


class ImageSource:
    """Where an image was read from, and what only that place can do.

    Every transport gives the images it opens a source (a subclass); callers ask the
    source instead of testing which transport an image came from. The defaults are
    what a source that can do none of these things answers.
    """

    #: The transport's name, shown in reports (``docker-daemon``, ``oci``...).
    transport: str = ""

    def stored_size(self) -> int | None:
        """The uncompressed size the store itself reports (the engine's, for daemon
        images); None when it reports none."""
        return None

    def find(self, name: str, platform: Platform | None) -> ImageIdentity | None:
        """The identity of another image of the same store, by Docker name (a
        Dockerfile's ``FROM``); None when it is not there. Never contacts a host
        the user did not name."""
        return None

    def open_stream(self) -> AbstractContextManager[Readable]:
        """The whole stored image again from its start, as stored (perhaps compressed),
        for sources that are read in one forward pass."""
        raise ImageError(f"{self.transport or 'this source'}: cannot be read again")


@dataclass
class Image:
    """An image read through one transport.

    ``reference`` is what the user asked for; ``source`` knows where the image
    came from and what that place can do (``transport`` is its name, for
    reports). ``manifest_digest`` is known for registries and OCI layouts, not
    for daemons and legacy archives. Use as a context manager, or call
    :meth:`close`, to release open files and connections.
    """

    reference: str
    source: ImageSource
    name: str
    config: ImageConfig
    layers: list[Layer]
    manifest_digest: str | None = None
    manifest_media_type: str | None = None
    _resources: ExitStack = field(default_factory=ExitStack, repr=False)

    @property
    def transport(self) -> str:
        """The name of the transport that read the image (for reports only)."""
        return self.source.transport

    @property
    def config_digest(self) -> str:
        """The digest of the config blob: the image ID."""
        return self.config.digest

    @property
    def platform(self) -> Platform:
        return Platform(self.config.os, self.config.architecture, self.config.variant)

    def check_platform(self, wanted: Platform | None) -> None:
        """Raise :class:`ImageError` unless the image is for ``wanted`` (when given).

        An image whose config names no OS is taken as matching.
        """
        if wanted is not None and self.config.os and not wanted.matches(self.platform):
            raise ImageError(f"{self.reference}: the image is {self.platform}, not {wanted}")

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def close(self) -> None:
        self._resources.close()

    def __enter__(self) -> Image:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
