"""The facts ``slimline analyze`` establishes about an image.

Every report (terminal, JSON) renders these; nothing here prints. Layer indexes are
0-based (as in dive's JSON); messages for people number layers from 1. Paths are
absolute (``/usr/bin/python3``). Sizes are bytes of file data, which is what
Docker and dive report as an image's and a layer's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
