"""The ``oci:DIR[:REF]`` transport: an OCI image layout directory (also a bare path to one).

``DIR`` may itself contain ``:``: see :func:`slimline.image.transports.split_path_ref`.
"""

from __future__ import annotations

from pathlib import Path

from slimline.errors import ImageError, SlimlineError
from slimline.image.documents import Fields
from slimline.image.model import (
    Descriptor,
    FileRange,
    Image,
    ImageSource,
    Layer,
    Platform,
    load_json,
)
from slimline.image.reference import ImageReference
from slimline.image.resolve import (
    MAX_DOCUMENT_SIZE,
    build_from_manifest,
    display_name,
    resolve_index_chain,
    select_from_index,
)
from slimline.image.streams import verify_bytes
from slimline.image.transports import OpenOptions, Transport, split_path_ref


class LayoutSource(ImageSource):
    """An image of an OCI layout directory (its layers are byte ranges of blob files)."""

    transport = "oci"


class OciLayout:
    """Blobs of an OCI layout directory, confined to that directory."""

    def __init__(self, root: str, what: str) -> None:
        self.root = Path(root).resolve()
        self.what = what
        if not self.root.is_dir():
            raise ImageError(f"{what}: no such directory")
        marker = self.root / "oci-layout"
        if not marker.is_file():
            raise ImageError(f"{what}: not an OCI layout (no oci-layout file)")
        label = f"{what} (oci-layout)"
        info = Fields(load_json(_read_file(marker, what, 4096), label), label)
        if not info.string("imageLayoutVersion").startswith("1."):
            raise ImageError(f"{what}: unsupported OCI layout version")

    def blob_path(self, digest: str) -> Path:
        algorithm, _, hexdigest = digest.partition(":")
        real = (self.root / "blobs" / algorithm / hexdigest).resolve()
        if not real.is_relative_to(self.root):
            raise ImageError(f"{self.what}: blob {digest} points outside the layout")
        if not real.is_file():
            raise ImageError(f"{self.what}: blob {digest} is missing")
        return real

    def fetch(self, desc: Descriptor, what: str) -> bytes:
        data = _read_file(self.blob_path(desc.digest), what, MAX_DOCUMENT_SIZE)
        verify_bytes(data, desc.digest, what=what, size=desc.size)
        return data

    def layer(self, index: int, desc: Descriptor, diff_id: str) -> Layer:
        path = self.blob_path(desc.digest)
        size = path.stat().st_size
        if size != desc.size:
            raise ImageError(
                f"{self.what}: layer {index + 1} size mismatch: expected {desc.size} bytes, "
                f"got {size} (truncated blob?)"
            )
        return Layer.from_descriptor(index, desc, diff_id,
                                     file_range=FileRange(str(path), 0, size))


def _read_file(path: Path, what: str, limit: int) -> bytes:
    """A document of the layout: a regular file only (a FIFO or a device is refused at
    once instead of blocking or reading forever), of at most ``limit`` bytes."""
    from slimline import fsio

    try:
        return fsio.read_bytes(path, limit=limit, what=path.name)
    except SlimlineError as exc:
        raise ImageError(f"{what}: {exc}") from None


def open_layout(
    directory: str, ref: str | None, platform: Platform | None, reference: str
) -> Image:
    """Open the image ``ref`` (or the only one) of the OCI layout at ``directory``."""
    what = f"oci:{directory}"
    layout = OciLayout(directory, what)
    top = load_json(
        _read_file(layout.root / "index.json", what, MAX_DOCUMENT_SIZE),
        f"{what} (index.json)",
    )
    chosen = select_from_index(top, platform, f"{what} (index.json)", ref)
    manifest_desc, manifest = resolve_index_chain(chosen, layout.fetch, platform, what)
    resolved = build_from_manifest(manifest_desc, manifest, layout.fetch, layout.layer, what)
    name = display_name(chosen, reference)
    return Image(
        reference,
        LayoutSource(),
        name,
        resolved.config,
        resolved.layers,
        manifest_digest=resolved.manifest.digest,
        manifest_media_type=resolved.manifest.media_type or None,
    )


class LayoutTransport(Transport):
    """``oci:DIR[:REF]``."""

    name = "oci"

    def parse(self, rest: str, text: str) -> ImageReference:
        if not rest:
            raise ImageError(f"{text!r}: missing path")
        path, ref = split_path_ref(rest, Path.is_dir)
        return ImageReference(text, self, path=path, ref=ref)

    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        assert ref.path is not None
        return open_layout(ref.path, ref.ref, options.platform, ref.text)


TRANSPORT = LayoutTransport()
