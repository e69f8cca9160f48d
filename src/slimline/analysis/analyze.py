"""The ``analyze`` use-case: read an image's layers, merge them, establish the facts."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from slimline.analysis.categories import Classifier
from slimline.analysis.history import (
    BaseBoundary,
    align_history,
    base_from_diff_ids,
    base_from_history,
)
from slimline.analysis.merge import Merger, Version
from slimline.analysis.model import (
    AnalysisResult,
    BaseFacts,
    CategoryFacts,
    DirFact,
    DiveFacts,
    FileFact,
    ImageFacts,
    LayerFacts,
    Presence,
)
from slimline.image import Image, ProgressSink, iter_layer_scans
from slimline.image.mediatypes import Compression
from slimline.image.tarscan import DIR, FILE, HARDLINK
from slimline.knowledge.categories import BIN_DIRS


@dataclass(frozen=True)
class BaseHint:
    """What is known about the base image: its layers' diff IDs (and history length)."""

    diff_ids: tuple[str, ...]
    history_length: int | None
    name: str | None


@dataclass(frozen=True)
class AnalyzeOptions:
    top: int = 10
    verify_all: bool = False
    workers: int | None = None
    base: BaseHint | None = None
    base_name: str | None = None


def analyze_image(
    image: Image,
    options: AnalyzeOptions | None = None,
    progress: ProgressSink | None = None,
) -> AnalysisResult:
    """Read every layer of ``image`` and return what :class:`AnalysisResult` describes."""
    options = options or AnalyzeOptions()
    classifier = Classifier()
    merger = Merger(classifier)
    for _layer, scan in iter_layer_scans(
        image, verify_all=options.verify_all, workers=options.workers, progress=progress
    ):
        merger.add_layer(scan)
    return _facts(image, merger, classifier, options)


def _boundary(image: Image, options: AnalyzeOptions) -> BaseBoundary:
    config = image.config
    if options.base is not None:
        found = base_from_diff_ids(
            config.diff_ids,
            config.history,
            options.base.diff_ids,
            options.base.history_length,
            options.base.name,
        )
        if found is not None:
            return found
    guess = base_from_history(config.history, len(image.layers))
    # A name without layers to check (the Dockerfile's FROM, not found) labels the
    # history's guess; a base whose layers were checked and differ labels nothing.
    if options.base is None and options.base_name and guess.method == "history":
        return BaseBoundary(guess.layers, guess.history_entries, guess.method, options.base_name)
    return guess


def _facts(
    image: Image, merger: Merger, classifier: Classifier, options: AnalyzeOptions
) -> AnalysisResult:
    top = max(0, options.top)
    config = image.config
    stats = merger.layers
    categories = classifier.categories
    origins = align_history(config.history, len(image.layers))
    boundary = _boundary(image, options)

    # -- the final filesystem ------------------------------------------------------------
    final_size = 0
    final_files = 0
    final_dirs = 0
    ncat = len(categories)
    cat_final = [0] * ncat
    cat_final_files = [0] * ncat
    cat_final_by_layer: list[dict[int, int]] = [{} for _ in categories]
    presence_kind = [c.kind == "presence" for c in categories]
    direct: dict[str, list[int]] = {}
    direct_get = direct.get
    hardlinks: list[Version] = []
    presence: dict[int, list[str]] = {}
    presence_bytes: dict[int, int] = {}
    for path, version in merger.cur.items():
        kind = version[1]
        if kind == DIR:
            final_dirs += 1
            continue
        parent = path.rpartition("/")[0]
        if kind == FILE:
            size = version[2]
            final_size += size
            final_files += 1
            cat = version[3]
            if cat >= 0:
                cat_final[cat] += size
                cat_final_files[cat] += 1
                by_layer = cat_final_by_layer[cat]
                origin_layer = version[0]
                by_layer[origin_layer] = by_layer.get(origin_layer, 0) + size
                if presence_kind[cat]:
                    presence_bytes[cat] = presence_bytes.get(cat, 0) + size
            slot = direct_get(parent)
            if slot is None:
                direct[parent] = [size, 1]
            else:
                slot[0] += size
                slot[1] += 1
        elif kind == HARDLINK:
            final_files += 1
            target = version[4]
            if target is not None:
                hardlinks.append(target)
        if parent in BIN_DIRS:
            tool = classifier.classify(path)
            if tool >= 0 and presence_kind[tool]:
                presence.setdefault(tool, []).append("/" + path)
    if hardlinks:
        # data a surviving hardlink still refers to stays, once, even if its first path went
        final_ids = {id(v) for v in merger.cur.values() if v[1] == FILE}
        counted: set[int] = set()
        for target in hardlinks:
            key = id(target)
            if key not in final_ids and key not in counted:
                counted.add(key)
                final_size += target[2]

    total_size = sum(s.content_bytes for s in stats)
    wasted = sum(s.wasted_bytes for s in stats)

    largest_files = [
        FileFact("/" + path, version[2], version[0])
        for path, version in heapq.nlargest(
            top,
            ((p, v) for p, v in merger.cur.items() if v[1] == FILE),
            key=lambda item: item[1][2],
        )
    ]
    largest_dirs = _largest_dirs(direct, top)

    # -- layers ----------------------------------------------------------------------------
    layer_facts: list[LayerFacts] = []
    for layer, st, origin in zip(image.layers, stats, origins, strict=True):
        compression = layer.compression.value if layer.compression is not None else None
        layer_facts.append(
            LayerFacts(
                index=layer.index,
                diff_id=layer.diff_id,
                digest=layer.digest,
                media_type=layer.media_type,
                compression=compression,
                blob_size=layer.size,
                tar_size=st.tar_bytes,
                size=st.content_bytes,
                history_index=origin.history_index,
                created_by=origin.created_by,
                instruction=origin.instruction,
                created=origin.created,
                comment=origin.comment,
                base=layer.index < boundary.layers,
                entries=st.entries,
                files_added=st.files_added,
                files_changed=st.files_changed,
                files_removed=st.files_removed,
                dirs_added=st.dirs_added,
                whiteouts=st.whiteouts,
                wasted_bytes=st.wasted_bytes,
                removed_bytes=st.removed_bytes,
                largest_files=[
                    FileFact("/" + path, size, layer.index)
                    for size, path in st.largest[: min(top, len(st.largest))]
                ],
                categories={
                    categories[c].id: b for c, b in sorted(st.category_bytes.items()) if b
                },
                wasted_by=dict(sorted(st.wasted_by.items())),
                removed_from=dict(sorted(st.removed_from.items())),
            )
        )

    # -- categories ------------------------------------------------------------------------
    category_facts = []
    for i, category in enumerate(categories):
        by_layer = {
            st.index: st.category_bytes[i] for st in stats if st.category_bytes.get(i)
        }
        wasted_cat = sum(st.wasted_category_bytes.get(i, 0) for st in stats)
        if not by_layer and not cat_final[i]:
            continue
        category_facts.append(
            CategoryFacts(
                id=category.id,
                title=category.title,
                kind=category.kind,
                final_bytes=cat_final[i],
                final_files=cat_final_files[i],
                wasted_bytes=wasted_cat,
                by_layer=by_layer,
                final_by_layer=dict(sorted(cat_final_by_layer[i].items())),
                lint_rules=category.lint_rules,
                advice=category.advice,
            )
        )
    present = [
        Presence(categories[c].id, categories[c].title, tuple(sorted(paths)),
                 presence_bytes.get(c, 0))
        for c, paths in sorted(presence.items())
    ]

    dive = merger.dive.result([s.content_bytes for s in stats], top)
    blob_sizes = [layer.size for layer in image.layers]
    blob_total = sum(b for b in blob_sizes if b is not None) if all(
        b is not None for b in blob_sizes) else None
    compressed = blob_total if image.layers and all(
        layer.compression not in (None, Compression.NONE) for layer in image.layers
    ) else None

    return AnalysisResult(
        image=ImageFacts(
            reference=image.reference,
            transport=image.transport,
            name=image.name,
            id=config.digest,
            manifest_digest=image.manifest_digest,
            platform=str(image.platform),
            created=config.created,
            user=config.user,
            entrypoint=config.entrypoint,
            cmd=config.cmd,
            working_dir=config.working_dir,
            exposed_ports=config.exposed_ports,
            layer_count=len(image.layers),
            history_count=len(config.history),
        ),
        total_size=total_size,
        final_size=final_size,
        wasted_bytes=wasted,
        reclaimable_bytes=total_size - final_size,
        tar_size=sum(s.tar_bytes for s in stats),
        blob_size=blob_total,
        compressed_size=compressed,
        final_files=final_files,
        final_dirs=final_dirs,
        layers=layer_facts,
        base=BaseFacts(
            layers=boundary.layers,
            history_entries=boundary.history_entries,
            method=boundary.method,
            name=boundary.name,
            size=sum(s.content_bytes for s in stats[: boundary.layers]),
        ),
        dive=DiveFacts(
            efficiency=dive.efficiency,
            wasted_bytes=dive.wasted_bytes,
            user_wasted_percent=dive.user_wasted_percent,
            size_bytes=dive.size_bytes,
            user_size_bytes=dive.user_size_bytes,
            inefficient_files=[("/" + p, n, b) for p, n, b in dive.inefficient],
        ),
        largest_files=largest_files,
        largest_dirs=largest_dirs,
        categories=category_facts,
        present=present,
        warnings=list(config.warnings),  # informative config fields that were ignored
    )


def _largest_dirs(direct: dict[str, list[int]], top: int) -> list[DirFact]:
    """The biggest directories, skipping the root and pass-through directories.

    A directory whose largest subdirectory holds 90% or more of its bytes says
    nothing its subdirectory does not: it is left out.
    """
    totals: dict[str, list[int]] = {d: [size, files] for d, (size, files) in direct.items()}
    for d in list(totals):
        q = d
        while q:
            q = q.rpartition("/")[0]
            if q in totals:
                break
            totals[q] = [0, 0]
    # add every directory into its parent, deepest first
    biggest_child: dict[str, int] = {}
    for d in sorted(totals, key=lambda p: p.count("/"), reverse=True):
        if not d:
            continue
        size, files = totals[d]
        parent = d.rpartition("/")[0]
        slot = totals[parent]
        slot[0] += size
        slot[1] += files
        if size > biggest_child.get(parent, 0):
            biggest_child[parent] = size
    candidates = [
        (size, d, files)
        for d, (size, files) in totals.items()
        if d and size > 0 and biggest_child.get(d, 0) < 0.9 * size
    ]
    return [DirFact("/" + d, size, files) for size, d, files in heapq.nlargest(top, candidates)]
