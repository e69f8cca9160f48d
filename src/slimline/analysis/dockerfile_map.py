"""Tie layers to the Dockerfile lines that made them (``--dockerfile``).

The final stage's instructions (and those of the stages it is built FROM) are
aligned, in order, with the image's history entries: the same keyword is required,
and the same text (whitespace aside) scores higher. ``FROM`` and ``ARG`` make no
history entry under BuildKit; the classic builder records ``ARG`` as a no-op
entry, which the alignment accepts too. Aligning in order means a repeated
instruction is matched to the right occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from slimline.analysis.history import instruction_of, keyword_of
from slimline.analysis.model import AnalysisResult, DockerfileRef
from slimline.dockerfile import Dockerfile, Instruction
from slimline.image.model import HistoryEntry

_MAKES_LAYER = frozenset(("RUN", "COPY", "ADD"))


@dataclass(frozen=True)
class DockerfileMatch:
    """The result of aligning a Dockerfile with an image's history."""

    by_history: dict[int, DockerfileRef]
    base_name: str | None
    layer_instructions: int  # RUN/COPY/ADD instructions in the final stage chain
    matched_layer_instructions: int
    run_instructions: int = 0
    run_text_matches: int = 0  # RUN instructions whose command text matched too
    #: history indexes matched by keyword and text (not by keyword alone)
    strong: frozenset[int] = frozenset()

    @property
    def plausible(self) -> bool:
        """True when the history looks built from this Dockerfile.

        RUN commands appear verbatim in the history of both builders, so at least
        half of them must match by text; without RUN, most COPY/ADD must match.
        """
        if self.run_instructions:
            return self.run_text_matches * 2 >= self.run_instructions
        if self.layer_instructions == 0:
            return bool(self.by_history)
        return self.matched_layer_instructions * 2 >= self.layer_instructions


def _chain(dockerfile: Dockerfile) -> tuple[list[Instruction], str | None]:
    """Instructions of the final stage and the stages it builds on, oldest first."""
    stage = dockerfile.final_stage
    if stage is None:
        return [], None
    stages = [stage]
    seen = {stage.index}
    while stage.parent is not None and stage.parent not in seen:
        stage = dockerfile.stages[stage.parent]
        seen.add(stage.index)
        stages.append(stage)
    stages.reverse()
    instructions = [
        ins for st in stages for ins in st.instructions if ins.keyword.upper() != "FROM"
    ]
    base = stages[0].base_expanded if stages else None
    return instructions, base


def _norm(text: str) -> str:
    return " ".join(text.replace("\\\n", " ").split())


def _score(ins: Instruction, entry: HistoryEntry) -> int:
    rendered = instruction_of(entry.created_by)
    keyword = keyword_of(rendered)
    if keyword != ins.keyword.upper():
        return 0
    body = _norm(rendered[len(keyword):])
    args = _norm(ins.args)
    if body == args:
        return 3
    return 1


def match_dockerfile(
    dockerfile: Dockerfile, history: tuple[HistoryEntry, ...], path: str, start: int = 0
) -> DockerfileMatch:
    """Align the final stage with ``history[start:]``: the best-scoring in-order match.

    Ties are broken toward the latest history entries, where a build's own steps are.
    """
    instructions, base = _chain(dockerfile)
    entries = history[start:]
    n, m = len(instructions), len(entries)
    # best[i][j]: best score aligning instructions[:i] with entries[:j]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above = best[i], best[i - 1]
        ins = instructions[i - 1]
        for j in range(1, m + 1):
            value = max(above[j], row[j - 1])
            score = _score(ins, entries[j - 1])
            if score:
                value = max(value, score + above[j - 1])
            row[j] = value
    by_history: dict[int, DockerfileRef] = {}
    strong: set[int] = set()
    run_text = 0
    i, j = n, m
    while i > 0 and j > 0:
        score = _score(instructions[i - 1], entries[j - 1])
        if score and best[i][j] == score + best[i - 1][j - 1]:
            ins = instructions[i - 1]
            if score == 3:
                strong.add(start + j - 1)
                if ins.keyword.upper() == "RUN":
                    run_text += 1
            by_history[start + j - 1] = DockerfileRef(
                path=path,
                line=ins.line,
                end_line=ins.end_line,
                keyword=ins.keyword.upper(),
                text=_norm(ins.args),
            )
            i -= 1
            j -= 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    layer_instructions = sum(1 for ins in instructions if ins.keyword.upper() in _MAKES_LAYER)
    matched = sum(1 for ref in by_history.values() if ref.keyword in _MAKES_LAYER)
    runs = sum(1 for ins in instructions if ins.keyword.upper() == "RUN")
    return DockerfileMatch(by_history, base, layer_instructions, matched, runs, run_text,
                           frozenset(strong))


def attach(result: AnalysisResult, match: DockerfileMatch) -> None:
    """Set each layer's and recommendation's Dockerfile reference from ``match``.

    When the Dockerfile does not look like the image's, only instructions whose text
    matched are attached: a keyword alone proves nothing then.
    """
    by_layer: dict[int, DockerfileRef] = {}
    trusted = match.plausible
    for layer in result.layers:
        if not trusted and layer.history_index not in match.strong:
            continue
        ref = match.by_history.get(layer.history_index)
        if ref is not None and not layer.base:
            layer.dockerfile = ref
            by_layer[layer.index] = ref
    result.recommendations = [
        replace(r, dockerfile=by_layer.get(r.layer)) if r.layer is not None else r
        for r in result.recommendations
    ]
