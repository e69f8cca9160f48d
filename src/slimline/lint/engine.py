"""Run the selected rules over Dockerfiles and collect findings."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slimline.dockerfile.model import Dockerfile
from slimline.dockerfile.parser import parse, parse_file
from slimline.lint import pragmas
from slimline.lint.buildcontext import skip_reason
from slimline.lint.config import LintConfig
from slimline.lint.context import LintInput, RuleContext
from slimline.lint.model import Finding, Severity

_DOCKERFILE_RE = re.compile(
    r"^(?:Dockerfile|Containerfile)(?:\..+)?$|^.+\.(?:Dockerfile|Containerfile|dockerfile|containerfile)$"
)
_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)


@dataclass(slots=True)
class LintResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    dockerfile: Dockerfile | None = None

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)


def is_dockerfile_name(name: str) -> bool:
    """Dockerfile, Containerfile, Dockerfile.prod, app.Dockerfile... (not .dockerignore)."""
    if name.endswith(".dockerignore"):
        return False
    return bool(_DOCKERFILE_RE.match(name))


def discover(root: Path) -> list[Path]:
    """Dockerfiles below ``root``, sorted, skipping VCS, virtualenv and dependency dirs."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            if is_dockerfile_name(name):
                found.append(Path(dirpath) / name)
    return found


def lint_dockerfile(
    df: Dockerfile,
    config: LintConfig,
    context_dir: Path | None = None,
    *,
    context_given: bool = False,
) -> list[Finding]:
    """Every finding of the enabled rules on a parsed file, suppressions applied, sorted."""
    return lint_input(LintInput(df, context_dir, config, context_given))


def lint_input(data: LintInput) -> list[Finding]:
    """:func:`lint_dockerfile` on a prepared input, whose semantics and cached context facts
    the caller can go on using (the fix engine hands the same input to the fixes)."""
    df, config = data.dockerfile, data.config
    suppressions = pragmas.collect(df)
    findings: list[Finding] = []
    rules = config.enabled_rules()
    needs_context = any(r.needs_context for r in rules)
    if data.context_dir is not None and not data.context_given and needs_context:
        data.context_skipped = skip_reason(df, data.semantics, data.context_dir)
    for rule in rules:
        if rule.needs_context and (data.context_dir is None or data.context_skipped):
            continue
        ctx = RuleContext(data, rule)
        seen: set[tuple[int, int, str]] = set()
        for finding in rule.check(ctx):
            # One rule never says the same thing twice about one place.
            key = (finding.line, finding.column, finding.message)
            if key in seen or suppressions.suppressed(finding):
                continue
            seen.add(key)
            findings.append(finding)
    findings.sort(key=Finding.sort_key)
    return findings


def lint_path(path: Path, config: LintConfig, context_dir: Path | None = None) -> LintResult:
    """Parse and lint one file (ParseError propagates to the caller)."""
    df = parse_file(path)
    ctx = context_dir if context_dir is not None else path.parent
    return LintResult(str(path), lint_dockerfile(df, config, ctx), df)


def lint_text(
    text: str,
    config: LintConfig | None = None,
    *,
    path: str = "Dockerfile",
    context_dir: Path | None = None,
) -> list[Finding]:
    """Lint source text (used by tests and by ``slimline lint -``)."""
    df = parse(text, path)
    return lint_dockerfile(df, config or LintConfig(), context_dir)


def at_or_above(findings: Iterable[Finding], level: Severity) -> Iterator[Finding]:
    return (f for f in findings if f.severity >= level)
