"""What a rule sees: the parsed file, its semantics, the build context, the config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slimline.dockerfile.model import Dockerfile, Instruction, Node, Span, Stage
from slimline.dockerfile.semantics import Semantics
from slimline.lint.config import LintConfig
from slimline.lint.model import Finding, Rule


@dataclass(slots=True)
class LintInput:
    """One Dockerfile to lint, with the directory sent as its build context."""

    dockerfile: Dockerfile
    context_dir: Path | None
    config: LintConfig
    #: The context was named by the user (``--context``): context rules always run.
    context_given: bool = False
    semantics: Semantics = field(init=False)
    #: Why the context rules were skipped (set by the engine; None: they ran, or no context).
    context_skipped: str | None = field(default=None, init=False)
    #: Build-context facts computed once per file and shared by rules.
    cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.semantics = Semantics(self.dockerfile)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


class RuleContext:
    """Handed to a rule's check: read the input, report findings."""

    def __init__(self, data: LintInput, rule: Rule) -> None:
        self.data = data
        self.rule = rule
        self.df = data.dockerfile
        self.sem = data.semantics
        self.config = data.config

    @property
    def stages(self) -> list[Stage]:
        return self.df.stages

    @property
    def final_stage(self) -> Stage | None:
        return self.df.final_stage

    @property
    def context_dir(self) -> Path | None:
        return self.data.context_dir

    def report(
        self,
        where: Node | Span | int,
        message: str,
        *,
        hint: str | None = None,
        path: str | None = None,
        data: dict[str, object] | None = None,
        related: tuple[Node, ...] = (),
    ) -> Finding:
        """A finding at a node, a source span, or a 1-based line (for other files).

        A finding reported at a node carries it, so its fix edits that node directly;
        ``related`` names other nodes the fix needs (e.g. an earlier COPY)."""
        if isinstance(where, int):
            line, column, end_line, end_column = where, 1, where, None
        else:
            span = where.span if isinstance(where, Node) else where
            start = self.df.position(span.start)
            # End at the last character, not at the next line's start.
            end_offset = max(span.start, span.end - 1)
            while end_offset > span.start and self.df.text[end_offset] in "\r\n":
                end_offset -= 1
            end = self.df.position(end_offset)
            line, column, end_line, end_column = start.line, start.column, end.line, end.column + 1
        r = self.rule
        return Finding(
            code=r.code,
            name=r.name,
            severity=self.config.severity_of(r),
            category=r.category,
            message=message,
            path=path if path is not None else self.df.display_path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            hint=hint,
            hadolint=r.hadolint,
            fix=r.fix,
            data=data or {},
            node=where if isinstance(where, Node) else None,
            related=related,
        )

    def instructions(self, *keywords: str, stage: Stage | None = None) -> list[Instruction]:
        """Instructions (ONBUILD excluded) with one of ``keywords`` (all when none given)."""
        source = stage.instructions if stage is not None else self.df.instructions
        return [i for i in source if not keywords or i.keyword in keywords]
