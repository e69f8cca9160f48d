"""From an index or manifest to an :class:`Image`: shared by every OCI-shaped transport.

OCI layouts, OCI archives, Docker >= 25 ``docker save`` archives and registries all
store the same documents: an index (or Docker manifest list) that names one
manifest per platform, a manifest that names a config and layers, and a config
whose ``rootfs.diff_ids`` name the uncompressed layers. Transports supply a
function that fetches a small blob by descriptor (and checks its digest) and a
function that turns a layer descriptor into a :class:`Layer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slimline.errors import ImageError
from slimline.image import mediatypes as mt
from slimline.image.documents import Fields
from slimline.image.model import Descriptor, ImageConfig, Layer, Platform, load_json

#: Fetches a (small) blob named by a descriptor and verifies its digest and size.
FetchBlob = Callable[[Descriptor, str], bytes]
#: Makes the layer at ``index`` from its manifest descriptor and config diff ID.
MakeLayer = Callable[[int, Descriptor, str], Layer]

REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"
CONTAINERD_NAME_ANNOTATION = "io.containerd.image.name"
_REFERENCE_TYPE = "vnd.docker.reference.type"
MAX_DOCUMENT_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Resolved:
    """A resolved image: its manifest descriptor, config and layers."""

    manifest: Descriptor
    config: ImageConfig
    layers: list[Layer]


def is_image_entry(desc: Descriptor) -> bool:
    """False for index entries that are not runnable images (attestations, unknown)."""
    if desc.annotations.get(_REFERENCE_TYPE):
        return False
    plat = desc.platform
    return not (plat is not None and plat.os == "unknown")


def select_from_index(
    index: Any, platform: Platform | None, what: str, ref: str | None = None
) -> Descriptor:
    """Choose one manifest descriptor from an index document.

    ``ref`` matches the ``org.opencontainers.image.ref.name`` annotation (as in
    ``oci:DIR:REF``), or containerd's full image name. Without a ``platform``
    the host's is wanted; an index with a single entry that names no platform is
    taken as it is.
    """
    if not isinstance(index, dict) or not isinstance(index.get("manifests"), list):
        raise ImageError(f"{what}: not an image index")
    entries = [
        Descriptor.from_json(item, f"{what} (manifests[{i}])")
        for i, item in enumerate(index["manifests"])
    ]
    if ref is not None:
        named = [
            d
            for d in entries
            if d.annotations.get(REF_NAME_ANNOTATION) == ref
            or _same_name(d.annotations.get(CONTAINERD_NAME_ANNOTATION), ref)
        ]
        if not named:
            known = sorted(
                {d.annotations[REF_NAME_ANNOTATION] for d in entries
                 if REF_NAME_ANNOTATION in d.annotations}
            )
            hint = f" (it has: {', '.join(known)})" if known else ""
            raise ImageError(f"{what}: no image named {ref!r}{hint}")
        entries = named
    images = [d for d in entries if is_image_entry(d)]
    if not images:
        raise ImageError(f"{what}: the index lists no image manifests")
    if len(images) == 1 and images[0].platform is None:
        return images[0]
    want = platform or Platform.host()
    matching = [d for d in images if d.platform is not None and want.matches(d.platform)]
    if not matching and platform is None and len(images) == 1:
        return images[0]
    if not matching:
        have = ", ".join(sorted({str(d.platform) for d in images if d.platform}))
        raise ImageError(f"{what}: no image for platform {want} (available: {have or 'none'})")
    if want.variant == "" and len(matching) > 1:
        # Prefer the entry whose variant is the architecture's default.
        for d in matching:
            if d.platform is not None and d.platform.variant in ("", "v8"):
                return d
    return matching[0]


def _same_name(annotated: str | None, ref: str) -> bool:
    if not annotated:
        return False
    if annotated == ref:
        return True
    # containerd stores fully qualified names: docker.io/library/python:3.11
    for prefix in ("docker.io/library/", "docker.io/"):
        if annotated.startswith(prefix) and annotated[len(prefix):] == ref:
            return True
    return False


def parse_document(data: bytes, what: str) -> dict[str, Any]:
    obj = load_json(data, what)
    if not isinstance(obj, dict):
        raise ImageError(f"{what}: not a JSON object")
    return obj


def resolve_index_chain(
    top: Descriptor,
    fetch: FetchBlob,
    platform: Platform | None,
    what: str,
    ref: str | None = None,
    depth: int = 0,
) -> tuple[Descriptor, dict[str, Any]]:
    """Follow index -> manifest until an image manifest; return it and its document."""
    if depth > 4:
        raise ImageError(f"{what}: image indexes nested too deeply")
    data = fetch(top, what)
    doc = parse_document(data, what)
    own_type = Fields(doc, what).string("mediaType")  # typed even when the descriptor says
    media_type = top.media_type or own_type
    if media_type in mt.INDEX_TYPES or (not media_type and "manifests" in doc):
        chosen = select_from_index(doc, platform, what, ref if depth == 0 else None)
        return resolve_index_chain(chosen, fetch, platform, what, None, depth + 1)
    if media_type in mt.MANIFEST_TYPES or (not media_type and "layers" in doc):
        return top, doc
    if media_type in (mt.DOCKER_MANIFEST_V1, mt.DOCKER_MANIFEST_V1_SIGNED):
        raise ImageError(f"{what}: unsupported media type {media_type} (Docker schema 1)")
    raise ImageError(f"{what}: unsupported media type {media_type or '(none)'}")


def build_from_manifest(
    manifest_desc: Descriptor,
    manifest: dict[str, Any],
    fetch: FetchBlob,
    make_layer: MakeLayer,
    what: str,
) -> Resolved:
    """Read the config named by ``manifest`` and make its layers."""
    config_desc = Descriptor.from_json(manifest.get("config"), f"{what} (config)")
    if config_desc.media_type and config_desc.media_type not in mt.CONFIG_TYPES:
        raise ImageError(
            f"{what}: unsupported config media type {config_desc.media_type} "
            "(not a container image)"
        )
    raw_layers = manifest.get("layers")
    if not isinstance(raw_layers, list):
        raise ImageError(f"{what}: manifest has no layers list")
    layer_descs = [
        Descriptor.from_json(item, f"{what} (layers[{i}])") for i, item in enumerate(raw_layers)
    ]
    for i, desc in enumerate(layer_descs):
        if not mt.is_layer_type(desc.media_type):
            raise ImageError(
                f"{what}: layer {i + 1} has unsupported media type {desc.media_type or '(none)'}"
            )
    config_data = fetch(config_desc, f"{what} (config)")
    config = ImageConfig.parse(config_data, config_desc.digest, what)
    if len(config.diff_ids) != len(layer_descs):
        raise ImageError(
            f"{what}: manifest lists {len(layer_descs)} layers but the config has "
            f"{len(config.diff_ids)} diff IDs"
        )
    layers = [make_layer(i, d, config.diff_ids[i]) for i, d in enumerate(layer_descs)]
    return Resolved(manifest_desc, config, layers)


def resolve_image(
    top: Descriptor,
    fetch: FetchBlob,
    make_layer: MakeLayer,
    platform: Platform | None,
    what: str,
    ref: str | None = None,
) -> Resolved:
    """Resolve ``top`` (an index or a manifest) down to a config and layers."""
    manifest_desc, manifest = resolve_index_chain(top, fetch, platform, what, ref)
    return build_from_manifest(manifest_desc, manifest, fetch, make_layer, what)


def display_name(desc: Descriptor, reference: str) -> str:
    """A name for an image found through an index entry: a full image name when the
    annotations give one, else the reference the user typed."""
    full = desc.annotations.get(CONTAINERD_NAME_ANNOTATION)
    if full:
        return full
    ref_name = desc.annotations.get(REF_NAME_ANNOTATION, "")
    if "/" in ref_name or ":" in ref_name:
        return ref_name
    return reference
