"""Recommendations: what to change, tied to the layer (and Dockerfile line) to change.

Each recommendation names the ``slimline lint`` rules that catch the cause in a
Dockerfile, so the image-side finding leads to the source-side fix.
"""

from __future__ import annotations

from slimline.analysis.model import AnalysisResult, LayerFacts, Recommendation
from slimline.units import human_size

#: Below this, a finding is not worth a line.
MIN_BYTES = 1_000_000
#: Categories a base image brings that a slim or distroless base would not.
_BASE_WASTE = ("toolchain", "headers", "static-libs", "docs", "locales")
_INSTRUCTION_WIDTH = 60


def describe_layer(layer: LayerFacts) -> str:
    """``layer 4 (RUN apt-get update && ...)``: layers are numbered from 1 for people."""
    text = " ".join(layer.instruction.split())
    if len(text) > _INSTRUCTION_WIDTH:
        text = text[: _INSTRUCTION_WIDTH - 3] + "..."
    return f"layer {layer.index + 1} ({text})" if text else f"layer {layer.index + 1}"


def recommend(result: AnalysisResult, min_bytes: int | None = None) -> list[Recommendation]:
    """Recommendations for ``result``, largest saving first.

    Findings smaller than ``min_bytes`` (default: 1 MB or 0.5% of the image, whichever
    is larger) are left out.
    """
    if min_bytes is None:
        min_bytes = max(MIN_BYTES, result.total_size // 200)
    out: list[Recommendation] = []
    layers = result.layers

    # Waste left in a layer of our own: the cause is one of our instructions.
    for cat in result.categories:
        if cat.kind != "waste":
            continue
        for index, kept in cat.final_by_layer.items():
            layer = layers[index]
            if kept < min_bytes or layer.base:
                continue
            out.append(
                Recommendation(
                    id=f"{cat.id}-left",
                    message=f"{human_size(kept)} of {cat.title} left in "
                    f"{describe_layer(layer)}: {cat.advice}",
                    bytes=kept,
                    layer=index,
                    lint_rules=cat.lint_rules,
                )
            )

    # Bytes deleted or rewritten by a later layer: they stay in the earlier one.
    for layer in layers:
        if layer.base:
            continue  # the base image's own history: not ours to change
        for origin, hidden in layer.removed_from.items():
            if hidden < min_bytes or origin == layer.index:
                continue
            source = layers[origin]
            if not layer.whiteouts:
                verb = "overwrites"
            elif not layer.files_changed:
                verb = "deletes"
            else:
                verb = "deletes or overwrites"
            out.append(
                Recommendation(
                    id="cleanup-in-later-layer",
                    message=f"{describe_layer(layer)} {verb} {human_size(hidden)} that "
                    f"{describe_layer(source)} added: the bytes stay in the image; remove "
                    "them in the instruction that creates them, or never copy them in",
                    bytes=hidden,
                    layer=layer.index,
                    lint_rules=("SL110",),
                )
            )

    # The base image brings toolchains, headers and docs that a lean base would not.
    base_by_cat: dict[str, int] = {}
    for cat in result.categories:
        if cat.kind == "waste" and cat.id in _BASE_WASTE:
            kept = sum(b for i, b in cat.final_by_layer.items() if layers[i].base)
            if kept:
                base_by_cat[cat.title] = kept
    base_waste = sum(base_by_cat.values())
    if result.base.layers and base_waste >= max(min_bytes, result.total_size // 20):
        lean = ""
        if result.base.name:
            from slimline.knowledge.images import classify_base

            known = classify_base(result.base.name)
            if known is not None and known.suggestions:
                lean = f" (e.g. {known.suggestions[0]})"
        if result.base.name:
            base_name = f"the base image {result.base.name}"
        elif result.base.layers == 1:
            base_name = "the base image (layer 1)"
        else:
            base_name = f"the base image (layers 1-{result.base.layers})"
        parts = ", ".join(
            f"{title} {human_size(b)}"
            for title, b in sorted(base_by_cat.items(), key=lambda kv: -kv[1])[:4]
        )
        out.append(
            Recommendation(
                id="fat-base",
                message=f"{base_name} brings {human_size(base_waste)} that running needs "
                f"none of ({parts}): build in a full image, run in a slim or distroless "
                f"one{lean}",
                bytes=base_waste,
                layer=None,
                lint_rules=("SL101", "SL102", "SL103"),
            )
        )

    # Tools the final image carries.
    tools = [p for p in result.present if p.paths]
    if tools:
        names = sorted({p.rsplit("/", 1)[-1] for t in tools for p in t.paths})
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        out.append(
            Recommendation(
                id="tools-in-final-image",
                message=f"the final image carries shells and package managers ({shown}): "
                "a distroless or scratch final stage ships none (and needs exec-form CMD)",
                bytes=sum(t.bytes for t in tools),
                layer=None,
                lint_rules=("SL101", "SL103", "SL115"),
            )
        )

    ours_hid = sum(layer.removed_bytes for layer in layers if not layer.base)
    if result.reclaimable_bytes >= min_bytes and ours_hid >= min_bytes:
        out.append(
            Recommendation(
                id="reclaimable",
                message=f"{human_size(result.reclaimable_bytes)} are in layers but not in "
                "the final filesystem: fix the layers above, or squash the image",
                bytes=result.reclaimable_bytes,
                layer=None,
                lint_rules=("SL110", "SL111"),
            )
        )

    out.sort(key=lambda r: (-r.bytes, r.layer if r.layer is not None else -1, r.id))
    return out
