"""Apply fixes until the file stops changing (or a pass limit is reached).

Each pass lints the current text, asks the fixers of the reported rules for
edits, applies every fix whose edits do not overlap an earlier one, and parses
the result again. Fixes that conflict wait for the next pass. Because every pass
starts from a fresh lint, fixing twice gives the same text as fixing once.

A file is linted once per pass, and the fixes of a pass see that lint's input
(its semantics and build-context facts); the first pass's findings are the file's
findings before fixing, and the last pass's are what remains.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from slimline import fsio
from slimline.dockerfile.edit import Edit, apply_edits
from slimline.dockerfile.model import Dockerfile
from slimline.dockerfile.parser import parse
from slimline.errors import SlimlineError
from slimline.fix.model import Fix, FixOptions
from slimline.fix.multistage import restructure_finding
from slimline.lint.config import LintConfig
from slimline.lint.context import LintInput, RuleContext
from slimline.lint.engine import lint_dockerfile, lint_input
from slimline.lint.model import Finding, FixKind
from slimline.lint.registry import rules_by_code

MAX_PASSES = 12


@dataclass(slots=True)
class FixResult:
    path: str
    original: str
    fixed: str
    applied: list[Fix] = field(default_factory=list)
    #: Findings on the original file (the first pass's lint).
    findings: list[Finding] = field(default_factory=list)
    #: Findings left after fixing (what no enabled fixer could resolve).
    remaining: list[Finding] = field(default_factory=list)
    #: Other files to write (e.g. .dockerignore): path -> new content.
    files: dict[Path, str] = field(default_factory=dict)
    #: Fixes a fixer declined, with the reason: (line, code, note).
    notes: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original or bool(self.files)


def fix_dockerfile(
    df: Dockerfile,
    config: LintConfig,
    context_dir: Path | None = None,
    *,
    unsafe: bool = False,
    options: FixOptions | None = None,
) -> FixResult:
    """Fix ``df`` in memory; nothing is written."""
    options = options or FixOptions()
    rules = rules_by_code()
    result = FixResult(df.display_path, df.text, df.text)
    text = df.text
    done_files: set[tuple[str, Path]] = set()
    current = df
    #: The lint of ``current`` (None once an edit made it stale).
    findings: list[Finding] | None = None
    for number in range(MAX_PASSES):
        data = LintInput(current, context_dir, config)
        findings = lint_input(data)
        if number == 0:
            result.findings = list(findings)
        to_fix = findings
        if unsafe and config.enabled(rules["SL103"]):
            # The multi-stage rewrite applies whatever the base (SL103 reports only full
            # bases): a finding made for the fix only, never reported as remaining.
            extra = restructure_finding(RuleContext(data, rules["SL103"]), findings)
            to_fix = findings if extra is None else [*findings, extra]
        chosen: list[Fix] = []
        used: list[Edit] = []
        todo = [(entry, f) for f in to_fix if (entry := rules[f.code].fixer) is not None]
        todo.sort(key=lambda item: (item[0].priority, item[1].line))
        restructure_pending = False
        for entry, finding in todo:
            if restructure_pending or (chosen and chosen[0].exclusive):
                break
            if entry.safety is FixKind.UNSAFE and not unsafe:
                continue
            ctx = RuleContext(data, rules[finding.code])
            for fix in entry.fn(ctx, finding, options):
                file_keys = {(fix.code, p) for p in fix.files}
                if file_keys & done_files:
                    continue
                if fix.exclusive and (fix.edits or fix.files):
                    # A restructuring fix runs alone; fixes ranked after it wait for the
                    # next pass, when they see the new shape of the file.
                    if not chosen:
                        chosen, used = [fix], list(fix.edits)
                        done_files |= file_keys
                    restructure_pending = True
                    break
                if any(e.overlaps(u) for e in fix.edits for u in used):
                    continue
                if not fix.edits and not fix.files:
                    if fix.note and (fix.line, fix.code, fix.note) not in result.notes:
                        result.notes.append((fix.line, fix.code, fix.note))
                    continue
                chosen.append(fix)
                used.extend(fix.edits)
                done_files |= file_keys
        if not chosen:
            break
        result.applied.extend(chosen)
        for fix in chosen:
            result.files.update(fix.files)
        if used:
            findings = None
            text = apply_edits(text, used)
            try:
                current = parse(text, df.path)
            except SlimlineError as exc:  # a fixer produced text that does not parse
                raise SlimlineError(
                    f"internal error: a fix ({', '.join(sorted({f.code for f in chosen}))}) "
                    f"produced an unparsable file: {exc.message}",
                    path=df.display_path,
                ) from None
    result.fixed = text
    result.remaining = (
        findings if findings is not None else lint_dockerfile(current, config, context_dir)
    )
    return result


def _label(side: str, path: Path) -> str:
    """git-style ``a/path`` labels for relative paths; absolute paths as they are."""
    return str(path) if path.is_absolute() else f"{side}/{path}"


def _diff_lines(old: str, new: str, path: Path, existed: bool = True) -> list[str]:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=_label("a", path) if existed else "/dev/null",
        tofile=_label("b", path),
    )
    return [
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    ]


def unified_diff(result: FixResult, path: Path) -> str:
    """The fix as a unified diff: the Dockerfile, then every other file it writes."""
    out = _diff_lines(result.original, result.fixed, path)
    for other, content in result.files.items():
        old = fsio.read_if_exists(other, limit=fsio.MAX_IGNORE_BYTES)
        out += _diff_lines(old, content, other, existed=other.exists())
    return "".join(out)
