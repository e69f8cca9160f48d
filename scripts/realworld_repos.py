"""The repo files of the labelled real-world corpus: schema, loading, writing.

Used by scripts/realworld_corpus.py (see its docstring and docs/precision.md).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDS = (
    "official-image",
    "toolchain",
    "devcontainer",
    "windows",
    "sample-app",
    "oss-project",
    "ci",
    "other",
)
FINDING_VERDICTS = ("right", "wrong", "debatable")
FIX_VERDICTS = ("keeps", "breaks", "debatable")
#: Rules whose every finding is judged: size (SL1xx), context (SL2xx), security (SL3xx).
JUDGED_RULE = re.compile(r"SL[123]\d\d\Z")
_RULE_CODE = re.compile(r"SL\d{3}\Z")
_REPO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_COMMIT = re.compile(r"[0-9a-f]{40}\Z")
_MARKER = ".commit"


class CorpusError(Exception):
    """A repo file, a mirror or a tree that is not as it must be; printed as one line."""


# --------------------------------------------------------------------------- the repo files


@dataclass(frozen=True)
class Judgement:
    path: str
    line: int
    rule: str
    verdict: str  # one of FINDING_VERDICTS, or "" while pending
    reason: str

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.rule)


@dataclass(frozen=True)
class FixJudgement:
    path: str
    verdict: str  # one of FIX_VERDICTS, or "" while pending
    reason: str


@dataclass
class RepoEntry:
    source: Path
    repo: str
    commit: str
    kind: str
    files: list[str]
    findings: list[Judgement] = field(default_factory=list)
    fixes: list[FixJudgement] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.repo.replace("/", "__")

    def judgements(self) -> dict[tuple[str, int, str], Judgement]:
        return {j.key: j for j in self.findings}

    def fix_judgements(self) -> dict[str, FixJudgement]:
        return {j.path: j for j in self.fixes}


def _where(source: Path, table: str | None = None) -> str:
    return f"{source}: {table}" if table else str(source)


def _want_str(source: Path, where: str | None, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise CorpusError(f"{_where(source, where)}: `{key}` must be a string, not {value!r}")
    return value


def _check_keys(source: Path, where: str | None, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CorpusError(
            f"{_where(source, where)}: unknown key(s) {', '.join(unknown)} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    missing = sorted(allowed - set(table))
    if missing:
        raise CorpusError(f"{_where(source, where)}: missing key(s) {', '.join(missing)}")


def _relative_path(source: Path, where: str | None, value: str) -> str:
    parts = value.split("/")
    if not value or value.startswith("/") or "\\" in value or ".." in parts or "" in parts:
        raise CorpusError(
            f"{_where(source, where)}: path {value!r} must be relative, with `/`, without `..`"
        )
    return value


def _tables(source: Path, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(t, dict) for t in items):
        raise CorpusError(f"{source}: `{key}` must be an array of tables ([[{key}]])")
    return items


def parse_repo(source: Path, text: str) -> RepoEntry:
    """Parse and validate one repo file; every schema error names the file and the table."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{source}: not valid TOML: {exc}") from None
    _check_keys(
        source,
        None,
        {k: v for k, v in data.items() if k not in ("finding", "fix")},
        {"repo", "commit", "kind", "files"},
    )
    repo = _want_str(source, None, "repo", data["repo"])
    if not _REPO_NAME.match(repo):
        raise CorpusError(f"{source}: `repo` must be a GitHub owner/name, not {repo!r}")
    if source.suffix == ".toml" and source.stem != repo.replace("/", "__"):
        raise CorpusError(f"{source}: a repo file must be named {repo.replace('/', '__')}.toml")
    commit = _want_str(source, None, "commit", data["commit"])
    if not _COMMIT.match(commit):
        raise CorpusError(f"{source}: `commit` must be 40 lower-case hex digits, not {commit!r}")
    kind = _want_str(source, None, "kind", data["kind"])
    if kind not in KINDS:
        raise CorpusError(f"{source}: `kind` {kind!r} is not one of {', '.join(KINDS)}")
    files_value = data["files"]
    if not isinstance(files_value, list) or not files_value:
        raise CorpusError(f"{source}: `files` must be a non-empty array of paths")
    files = [_relative_path(source, None, _want_str(source, None, "files", f)) for f in files_value]
    doubled = [f for f, n in Counter(files).items() if n > 1]
    if doubled:
        raise CorpusError(f"{source}: `files` lists {doubled[0]!r} twice")
    entry = RepoEntry(source, repo, commit, kind, files)
    seen: set[tuple[str, int, str]] = set()
    for n, table in enumerate(_tables(source, data, "finding"), 1):
        where = f"[[finding]] #{n}"
        _check_keys(source, where, table, {"path", "line", "rule", "verdict", "reason"})
        path = _want_str(source, where, "path", table["path"])
        if path not in files:
            raise CorpusError(f"{source}: {where}: path {path!r} is not in `files`")
        line = table["line"]
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise CorpusError(f"{source}: {where}: `line` must be a positive integer, not {line!r}")
        rule = _want_str(source, where, "rule", table["rule"])
        if not _RULE_CODE.match(rule):
            raise CorpusError(f"{source}: {where}: `rule` must be a code like SL104, not {rule!r}")
        verdict = _want_str(source, where, "verdict", table["verdict"])
        reason = _want_str(source, where, "reason", table["reason"]).strip()
        _check_verdict(source, where, verdict, reason, FINDING_VERDICTS)
        judgement = Judgement(path, line, rule, verdict, reason)
        if judgement.key in seen:
            raise CorpusError(f"{source}: {where}: {path}:{line} {rule} is judged twice")
        seen.add(judgement.key)
        entry.findings.append(judgement)
    fixed: set[str] = set()
    for n, table in enumerate(_tables(source, data, "fix"), 1):
        where = f"[[fix]] #{n}"
        _check_keys(source, where, table, {"path", "verdict", "reason"})
        path = _want_str(source, where, "path", table["path"])
        if path not in files:
            raise CorpusError(f"{source}: {where}: path {path!r} is not in `files`")
        if path in fixed:
            raise CorpusError(f"{source}: {where}: the fix of {path} is judged twice")
        fixed.add(path)
        verdict = _want_str(source, where, "verdict", table["verdict"])
        reason = _want_str(source, where, "reason", table["reason"]).strip()
        _check_verdict(source, where, verdict, reason, FIX_VERDICTS)
        entry.fixes.append(FixJudgement(path, verdict, reason))
    return entry


def _check_verdict(
    source: Path, where: str, verdict: str, reason: str, allowed: tuple[str, ...]
) -> None:
    if verdict and verdict not in allowed:
        raise CorpusError(
            f"{source}: {where}: `verdict` {verdict!r} is not one of {', '.join(allowed)} "
            '(or "" while pending)'
        )
    if verdict and not reason:
        raise CorpusError(f"{source}: {where}: a `{verdict}` verdict needs a one-line `reason`")


def load_repo(source: Path) -> RepoEntry:
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{source}: cannot read: {exc}") from None
    return parse_repo(source, text)


def default_repo_dirs() -> list[Path]:
    here = Path.cwd() / "tests" / "realworld" / "repos"
    return [here if here.is_dir() else ROOT / "tests" / "realworld" / "repos"]


def load_all(dirs: Iterable[Path]) -> list[RepoEntry]:
    entries: dict[str, RepoEntry] = {}
    for d in dirs:
        if not d.is_dir():
            raise CorpusError(f"{d}: no such directory of repo files")
        for source in sorted(d.glob("*.toml")):
            entry = load_repo(source)
            if entry.repo in entries:
                raise CorpusError(f"{source}: {entry.repo} is also in {entries[entry.repo].source}")
            entries[entry.repo] = entry
    return sorted(entries.values(), key=lambda e: e.repo)


# --------------------------------------------------------------------------- writing entries


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif 0xD800 <= code <= 0xDFFF:
            raise CorpusError(f"{value!r}: an undecodable byte cannot be written in TOML")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_comment(text: str) -> str:
    """One comment line: printable characters only."""
    clean = "".join(ch if ch.isprintable() else " " for ch in text.replace("\n", " "))
    return "# " + clean[:300]


def header_text(repo: str, commit: str, kind: str, files: list[str]) -> str:
    lines = [
        f"repo = {toml_string(repo)}",
        f"commit = {toml_string(commit)}",
        f"kind = {toml_string(kind)}",
        "files = [",
        *(f"  {toml_string(f)}," for f in files),
        "]",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class LintFinding:
    path: str
    line: int
    rule: str
    message: str

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.rule)


def finding_text(finding: LintFinding) -> str:
    return (
        f"\n{toml_comment(finding.message)}\n[[finding]]\n"
        f"path = {toml_string(finding.path)}\nline = {finding.line}\n"
        f'rule = {toml_string(finding.rule)}\nverdict = ""\nreason = ""\n'
    )


def fix_text(path: str) -> str:
    return f'\n[[fix]]\npath = {toml_string(path)}\nverdict = ""\nreason = ""\n'


def append_checked(source: Path, addition: str) -> None:
    """Append to a repo file, refusing (file untouched) if the result would not load."""
    old = source.read_text(encoding="utf-8")
    new = old + ("" if old.endswith("\n") else "\n") + addition
    parse_repo(source, new)
    tmp = source.with_suffix(".toml.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(source)
