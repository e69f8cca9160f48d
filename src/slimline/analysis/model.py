"""The facts ``slimline analyze`` establishes about an image.

Every report (terminal, JSON) renders these; nothing here prints. Layer indexes are
0-based (as in dive's JSON); messages for people number layers from 1. Paths are
absolute (``/usr/bin/python3``). Sizes are bytes of file data, which is what
Docker and dive report as an image's and a layer's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ImageFacts:
    reference: str
    transport: str
    name: str
    id: str  # config digest (the image ID)
    manifest_digest: str | None
    platform: str
    created: str | None
    user: str
    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    working_dir: str
    exposed_ports: tuple[str, ...]
    layer_count: int
    history_count: int


@dataclass(slots=True)
class FileFact:
    path: str
    size: int
    layer: int  # index of the layer that put it there


@dataclass(slots=True)
class DirFact:
    path: str
    size: int
    files: int


@dataclass(slots=True)
class DockerfileRef:
    """A Dockerfile instruction tied to a layer (``--dockerfile``)."""

    path: str
    line: int
    end_line: int
    keyword: str
    text: str


@dataclass(slots=True)
class LayerFacts:
    index: int
    diff_id: str
    digest: str | None
    media_type: str
    compression: str | None
    blob_size: int | None
    tar_size: int
    size: int
    history_index: int
    created_by: str
    instruction: str
    created: str | None
    comment: str
    base: bool
    entries: int
    files_added: int
    files_changed: int
    files_removed: int
    dirs_added: int
    whiteouts: int
    wasted_bytes: int  # this layer's bytes that later layers shadowed or deleted
    removed_bytes: int  # bytes of lower layers this layer shadowed or deleted
    largest_files: list[FileFact]
    categories: dict[str, int]
    wasted_by: dict[int, int]  # wasted bytes of this layer, by the layer that hid them
    removed_from: dict[int, int]  # bytes this layer hid, by the layer that added them
    dockerfile: DockerfileRef | None = None

    @property
    def final_bytes(self) -> int:
        return self.size - self.wasted_bytes


@dataclass(slots=True)
class CategoryFacts:
    id: str
    title: str
    kind: str  # "waste" or "presence"
    final_bytes: int
    final_files: int
    wasted_bytes: int
    by_layer: dict[int, int]  # bytes added by each layer (final or not)
    final_by_layer: dict[int, int]  # of those, bytes still in the final image
    lint_rules: tuple[str, ...]
    advice: str


@dataclass(slots=True)
class BaseFacts:
    layers: int
    history_entries: int
    method: str
    name: str | None
    size: int


@dataclass(slots=True)
class DiveFacts:
    """dive 0.13's numbers, computed the way dive computes them."""

    efficiency: float
    wasted_bytes: int
    user_wasted_percent: float | None  # None when the image has a single layer
    size_bytes: int
    user_size_bytes: int
    inefficient_files: list[tuple[str, int, int]]  # (path, count, cumulative bytes)


@dataclass(slots=True)
class Recommendation:
    id: str
    message: str
    bytes: int
    layer: int | None
    lint_rules: tuple[str, ...]
    dockerfile: DockerfileRef | None = None


@dataclass(slots=True)
class Presence:
    """Tools the final image carries (shells, package managers), by category."""

    category: str
    title: str
    paths: tuple[str, ...]
    bytes: int


@dataclass(slots=True)
class GateResult:
    key: str
    threshold: str
    value: str
    status: str  # "pass", "fail" or "disabled"
    message: str


@dataclass(slots=True)
class AnalysisResult:
    image: ImageFacts
    total_size: int  # bytes of file data in all layers (Docker's image size)
    final_size: int  # bytes of file data after squashing
    wasted_bytes: int  # bytes shadowed or deleted by later layers
    reclaimable_bytes: int  # total_size - final_size: what squashing frees
    tar_size: int  # uncompressed tar streams, headers included
    blob_size: int | None  # layer blobs as the transport stores them
    compressed_size: int | None  # compressed blobs (None if any layer is stored uncompressed)
    final_files: int
    final_dirs: int
    layers: list[LayerFacts]
    base: BaseFacts
    dive: DiveFacts
    largest_files: list[FileFact]
    largest_dirs: list[DirFact]
    categories: list[CategoryFacts]
    present: list[Presence]
    recommendations: list[Recommendation] = field(default_factory=list)
    gates: list[GateResult] = field(default_factory=list)
    dockerfile: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def gates_failed(self) -> bool:
        return any(g.status == "fail" for g in self.gates)


@dataclass(slots=True)
class ImageSummary:
    """One image in a few numbers, from its analysis: what ``compare`` and ``optimize``
    put side by side (``compare`` adds its own figures in ``slimline.compare.ComparedImage``)."""

    reference: str
    name: str
    id: str
    platform: str
    user: str
    content_size: int  # file data of every layer (``AnalysisResult.total_size``)
    compressed_size: int | None  # compressed blobs, when the transport stores them
    layers: int
    efficiency: float  # dive's
    wasted_bytes: int
    reclaimable_bytes: int
    base_name: str | None
    base_method: str
    base_layers: int
    base_size: int
    tools: list[Presence]  # shells and package managers in the final image
    categories: dict[str, int]  # bytes in the final image by category id (non-zero only)

    @classmethod
    def of(cls, result: AnalysisResult) -> ImageSummary:
        """The summary of an analysis."""
        return cls(**summary_fields(result))

    @property
    def user_bytes(self) -> int:
        """Bytes of the layers above the base."""
        return self.content_size - self.base_size

    def tool(self, category: str) -> Presence | None:
        return next((t for t in self.tools if t.category == category), None)

    def tool_names(self, category: str | None = None) -> list[str]:
        """The programs of :attr:`tools` (of one category) by name (``bash``, ``apt-get``), sorted."""
        return sorted({
            path.rsplit("/", 1)[-1]
            for t in self.tools
            if category is None or t.category == category
            for path in t.paths
        })


def summary_fields(result: AnalysisResult) -> dict[str, Any]:
    """The fields of :class:`ImageSummary` for ``result``, as keywords (for subclasses)."""
    return {
        "reference": result.image.reference,
        "name": result.image.name,
        "id": result.image.id,
        "platform": result.image.platform,
        "user": result.image.user,
        "content_size": result.total_size,
        "compressed_size": result.compressed_size,
        "layers": len(result.layers),
        "efficiency": result.dive.efficiency,
        "wasted_bytes": result.wasted_bytes,
        "reclaimable_bytes": result.reclaimable_bytes,
        "base_name": result.base.name,
        "base_method": result.base.method,
        "base_layers": result.base.layers,
        "base_size": result.base.size,
        "tools": list(result.present),
        "categories": {c.id: c.final_bytes for c in result.categories if c.final_bytes},
    }
