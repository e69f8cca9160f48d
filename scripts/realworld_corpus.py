#!/usr/bin/env python3
"""The labelled real-world corpus: extract it, judge it, check it, measure precision.

Fetched repositories are never committed. What is committed is one TOML file per
repository under ``tests/realworld/repos/<owner>__<name>.toml`` (the format is in
docs/precision.md): the commit, the Dockerfiles linted and a hand judgement of every
finding of the size, context and security rules and of every `fix --unsafe` change.

    python scripts/realworld_corpus.py init OWNER/NAME --kind KIND PATH...  # new repo file
    python scripts/realworld_corpus.py ls OWNER/NAME [PATTERN]         # Dockerfiles in the mirror
    python scripts/realworld_corpus.py extract [REPO...]                 # mirrors -> corpus dir
    python scripts/realworld_corpus.py pending REPO_TOML                 # append unjudged entries
    python scripts/realworld_corpus.py fixdiff REPO_TOML [PATH...]        # the fix --unsafe diffs
    python scripts/realworld_corpus.py check [--fixes]                   # what the test checks
    python scripts/realworld_corpus.py precision [--fixes] > docs/precision-table.md

The repo-file schema, loader and writer live in scripts/realworld_repos.py.
REPO is ``owner/name`` or a repos/*.toml path. ``--repos DIR`` (repeatable) names the
directories of repo files (default: ``tests/realworld/repos`` of the current directory,
else of this script's checkout). Environment: ``SLIMLINE_REALWORLD_DIR`` (extracted trees,
default /work/realworld/corpus), ``SLIMLINE_MIRROR_DIR`` (fetched mirrors, default
/work/.mirror). A file is linted exactly as ``slimline lint --format json PATH`` run from
the root of its extracted tree (in-process, through the CLI).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realworld_repos import (
    _MARKER,
    _REPO_NAME,
    JUDGED_RULE,
    KINDS,
    CorpusError,
    Judgement,
    LintFinding,
    RepoEntry,
    append_checked,
    default_repo_dirs,
    finding_text,
    fix_text,
    header_text,
    load_all,
    load_repo,
    parse_repo,
)

# --------------------------------------------------------------------------- mirrors and trees


def corpus_dir() -> Path:
    return Path(os.environ.get("SLIMLINE_REALWORLD_DIR", "/work/realworld/corpus"))


def mirror_git_dir(repo: str) -> Path:
    base = Path(os.environ.get("SLIMLINE_MIRROR_DIR", "/work/.mirror"))
    git_dir = base / repo.replace("/", "+") / "repo"
    return git_dir / ".git" if (git_dir / ".git").is_dir() else git_dir


def git(repo: str, *args: str) -> bytes:
    git_dir = mirror_git_dir(repo)
    if not git_dir.is_dir():
        raise CorpusError(f"{repo}: no mirror at {git_dir} (fetch github:{repo} first)")
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        raise CorpusError(f"{repo}: git {args[0]} failed: {err[-1] if err else proc.returncode}")
    return proc.stdout


def _tar_of_present_blobs(entry: RepoEntry) -> bytes:
    """A tar of the commit's tree without the blobs the snapshot lacks (named on stderr)."""
    listing = git(entry.repo, "ls-tree", "-r", "-z", entry.commit).split(b"\0")
    items: list[tuple[str, str, str]] = []
    for row in filter(None, listing):
        meta, _, raw_name = row.partition(b"\t")
        raw_mode, kind, sha = meta.split()
        if kind == b"blob":
            items.append(
                (raw_mode.decode(), sha.decode(), raw_name.decode("utf-8", "surrogateescape"))
            )
    batch = "".join(f"{sha}\n" for _, sha, _ in items).encode()
    out = subprocess.run(
        ["git", f"--git-dir={mirror_git_dir(entry.repo)}", "cat-file", "--batch"],
        input=batch,
        capture_output=True,
        check=True,
    ).stdout
    buf = io.BytesIO()
    pos = 0
    missing: list[str] = []
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for mode, _sha, name in items:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if header[-1] == b"missing":
                missing.append(name)
                continue
            size = int(header[2])
            blob = out[pos : pos + size]
            pos += size + 1
            info = tarfile.TarInfo(name)
            if mode == "120000":
                info.type = tarfile.SYMTYPE
                info.linkname = blob.decode("utf-8", "surrogateescape")
                tar.addfile(info)
            else:
                info.size = size
                info.mode = 0o755 if mode == "100755" else 0o644
                tar.addfile(info, io.BytesIO(blob))
    if missing:
        print(
            f"{entry.repo}: {len(missing)} file(s) absent from the snapshot, left out: "
            + ", ".join(missing[:3])
            + (" ..." if len(missing) > 3 else ""),
            file=sys.stderr,
        )
    return buf.getvalue()


def tree_dir(entry: RepoEntry) -> Path:
    return corpus_dir() / entry.slug


def is_extracted(entry: RepoEntry) -> bool:
    marker = corpus_dir() / f"{entry.slug}{_MARKER}"
    try:
        return marker.read_text().strip() == entry.commit and tree_dir(entry).is_dir()
    except OSError:
        return False


def extract(entry: RepoEntry) -> Path:
    """Extract the tree at the entry's commit from its mirror (kept if already there)."""
    target = tree_dir(entry)
    if is_extracted(entry):
        return target
    base = corpus_dir()
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.slug}.", dir=base))
    try:
        try:
            data = git(entry.repo, "archive", "--format=tar", entry.commit)
        except CorpusError:
            # Snapshots lack files of 4 MiB and more: `git archive` stops at the first one.
            data = _tar_of_present_blobs(entry)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        missing = [f for f in entry.files if not (tmp / f).is_file()]
        if missing:
            raise CorpusError(f"{entry.source}: not a file at {entry.commit[:12]}: {missing[0]}")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    (base / f"{entry.slug}{_MARKER}").write_text(entry.commit + "\n")
    return target


# --------------------------------------------------------------------------- linting


@dataclass
class FileResult:
    path: str
    findings: list[LintFinding]
    error: str | None = None  # the one-line error when slimline refused the file


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _run_cli(tree: Path, args: list[str]) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from slimline.cli import commands  # noqa: F401  (registers the sub-commands)
    from slimline.cli.main import cli

    with _cwd(tree):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def lint_file(tree: Path, path: str) -> FileResult:
    """``slimline lint --format json PATH`` from the tree's root."""
    code, out, err = _run_cli(tree, ["lint", "--format", "json", path])
    if code not in (0, 1):
        lines = (err or out).strip().splitlines()
        return FileResult(path, [], lines[-1] if lines else f"exit code {code}")
    report = json.loads(out)
    findings = [
        LintFinding(path, int(f["line"]), str(f["code"]), str(f["message"]))
        for file in report["files"]
        for f in file["findings"]
    ]
    return FileResult(path, findings)


def fix_diff(tree: Path, path: str) -> str:
    """The diff ``slimline fix --unsafe PATH`` prints (empty when nothing changes)."""
    code, out, err = _run_cli(tree, ["fix", "--unsafe", path])
    if code not in (0, 1):
        lines = (err or out).strip().splitlines()
        raise CorpusError(f"fix --unsafe {path}: {lines[-1] if lines else code}")
    return out if out.startswith(("---", "diff")) or "\n@@" in out else ""


# --------------------------------------------------------------------------- comparing


@dataclass
class RepoCheck:
    entry: RepoEntry
    results: list[FileResult]
    diffs: dict[str, str] | None = None  # path -> diff, when fixes were checked
    problems: list[str] = field(default_factory=list)
    unjudged: list[LintFinding] = field(default_factory=list)
    #: (judgement, still reported) for every judgement
    outcome: list[tuple[Judgement, bool]] = field(default_factory=list)
    unjudged_fixes: list[str] = field(default_factory=list)


def compare(
    entry: RepoEntry, results: list[FileResult], diffs: dict[str, str] | None = None
) -> RepoCheck:
    """What the test asserts, as data: the problems (each one line) and the outcome."""
    check = RepoCheck(entry, results, diffs)
    judged = entry.judgements()
    reported: set[tuple[str, int, str]] = set()
    hint = f"judge it: python scripts/realworld_corpus.py pending {entry.source}"
    for res in results:
        if res.error:
            check.problems.append(f"{entry.repo}: {res.path}: slimline refused it: {res.error}")
        for f in res.findings:
            reported.add(f.key)
            if JUDGED_RULE.match(f.rule) and (f.key not in judged or not judged[f.key].verdict):
                check.unjudged.append(f)
    for f in check.unjudged:
        check.problems.append(
            f"{entry.repo}: {f.path}:{f.line} {f.rule} is not judged ({f.message}); {hint}"
        )
    for j in entry.findings:
        present = j.key in reported
        check.outcome.append((j, present))
        if j.verdict == "right" and not present:
            check.problems.append(
                f"{entry.repo}: {j.path}:{j.line} {j.rule} was judged right but is no longer "
                f"reported ({j.reason})"
            )
        elif j.verdict == "wrong" and present:
            check.problems.append(
                f"{entry.repo}: {j.path}:{j.line} {j.rule} was judged wrong but is reported "
                f"({j.reason})"
            )
    if diffs is not None:
        fixes = entry.fix_judgements()
        for path, diff in diffs.items():
            if diff and (path not in fixes or not fixes[path].verdict):
                check.unjudged_fixes.append(path)
                check.problems.append(
                    f"{entry.repo}: {path}: `fix --unsafe` changes it but the change is not "
                    f"judged; {hint}"
                )
            elif not diff and path in fixes:
                check.problems.append(
                    f"{entry.repo}: {path}: `fix --unsafe` no longer changes it: remove its "
                    "[[fix]] judgement"
                )
    return check


def check_repo(entry: RepoEntry, *, fixes: bool = False) -> RepoCheck:
    tree = tree_dir(entry)
    results = [lint_file(tree, path) for path in entry.files]
    diffs = {path: fix_diff(tree, path) for path in entry.files} if fixes else None
    return compare(entry, results, diffs)


# --------------------------------------------------------------------------- commands


def _entries(args: argparse.Namespace, names: list[str] | None = None) -> list[RepoEntry]:
    dirs = [Path(d) for d in args.repos] if args.repos else default_repo_dirs()
    if not names:
        return load_all(dirs)
    out: list[RepoEntry] = []
    every = None
    for name in names:
        if name.endswith(".toml"):
            out.append(load_repo(Path(name)))
            continue
        every = every if every is not None else {e.repo: e for e in load_all(dirs)}
        if name not in every:
            raise CorpusError(f"{name}: no repo file for it under {', '.join(map(str, dirs))}")
        out.append(every[name])
    return out


def cmd_init(args: argparse.Namespace) -> int:
    repo: str = args.repo
    if not _REPO_NAME.match(repo):
        raise CorpusError(f"{repo!r} is not a GitHub owner/name")
    dirs = [Path(d) for d in args.repos] if args.repos else default_repo_dirs()
    target = dirs[0] / f"{repo.replace('/', '__')}.toml"
    if target.exists():
        raise CorpusError(f"{target} exists already")
    commit = args.commit or git(repo, "rev-parse", "HEAD").decode().strip()
    for path in args.files:
        git(repo, "cat-file", "-e", f"{commit}:{path}")
    text = header_text(repo, commit, args.kind, list(args.files))
    parse_repo(target, text)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"{target}: {len(args.files)} file(s) at {commit[:12]}")
    return 0


def cmd_ls(args: argparse.Namespace) -> int:
    names = git(args.repo, "ls-tree", "-r", "--name-only", "HEAD").decode(errors="replace")
    pattern = re.compile(args.pattern or r"(^|/)(Dockerfile|Containerfile)[^/]*$|\.[Dd]ockerfile$")
    for name in names.splitlines():
        if pattern.search(name):
            print(name)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    for entry in _entries(args, args.repo):
        print(f"{entry.repo}: {extract(entry)}")
    return 0


def cmd_pending(args: argparse.Namespace) -> int:
    entry = load_repo(Path(args.repo_toml))
    extract(entry)
    check = check_repo(entry, fixes=not args.no_fixes)
    judged = entry.judgements()
    new = [f for f in check.unjudged if f.key not in judged]
    pending_fixes = [p for p in check.unjudged_fixes if p not in entry.fix_judgements()]
    addition = "".join(finding_text(f) for f in sorted(set(new), key=lambda f: f.key))
    addition += "".join(fix_text(p) for p in pending_fixes)
    diffs = check.diffs or {}
    unchanged = [j.path for j in entry.fixes if not j.verdict and not diffs.get(j.path)]
    if unchanged:  # pending fix entries of files `fix --unsafe` no longer changes
        text = entry.source.read_text(encoding="utf-8")
        for path in unchanged:
            text = text.replace(fix_text(path), "\n", 1)
        text = re.sub(r"\n{3,}", "\n\n", text)
        parse_repo(entry.source, text)
        entry.source.write_text(text, encoding="utf-8")
    if addition:
        append_checked(entry.source, addition)
    waiting = len(check.unjudged) - len(new) + len(check.unjudged_fixes) - len(pending_fixes)
    print(
        f"{entry.source}: {len(new)} finding(s) and {len(pending_fixes)} fix(es) appended "
        f'(verdict ""), {waiting} already pending, {len(unchanged)} pending fix(es) dropped '
        "(no longer changed)"
    )
    for res in check.results:
        if res.error:
            print(f"  {res.path}: slimline refused it: {res.error}")
    return 0


def cmd_fixdiff(args: argparse.Namespace) -> int:
    entry = load_repo(Path(args.repo_toml))
    tree = extract(entry)
    for path in args.paths or entry.files:
        if path not in entry.files:
            raise CorpusError(f"{path} is not in `files` of {entry.source}")
        sys.stdout.write(fix_diff(tree, path))
    return 0


def _checked(args: argparse.Namespace) -> tuple[list[RepoCheck], list[RepoEntry]]:
    done: list[RepoCheck] = []
    skipped: list[RepoEntry] = []
    for entry in _entries(args):
        if is_extracted(entry):
            done.append(check_repo(entry, fixes=args.fixes))
        else:
            skipped.append(entry)
    return done, skipped


def cmd_check(args: argparse.Namespace) -> int:
    done, skipped = _checked(args)
    problems = [p for c in done for p in c.problems]
    for p in problems:
        print(p)
    for e in skipped:
        print(
            f"skipped {e.repo}: not extracted (python scripts/realworld_corpus.py extract {e.repo})"
        )
    files = sum(len(c.entry.files) for c in done)
    judged = sum(len(c.entry.findings) for c in done)
    print(
        f"{len(done)} repo(s), {files} file(s), {judged} judgement(s): "
        f"{len(problems)} problem(s), {len(skipped)} repo(s) skipped"
    )
    return 1 if problems else 0


def precision_table(done: list[RepoCheck], *, fixes: bool) -> str:
    from slimline.lint.registry import rules_by_code

    rules = rules_by_code()
    per_rule: dict[str, Counter[str]] = {}
    for c in done:
        for j, present in c.outcome:
            counter = per_rule.setdefault(j.rule, Counter())
            counter[f"{j.verdict or 'pending'}:{'now' if present else 'gone'}"] += 1
        in_file = c.entry.judgements()
        for f in c.unjudged:
            if f.key in in_file:
                continue  # pending in the repo file: counted above
            per_rule.setdefault(f.rule, Counter())["pending:now"] += 1
    files = sum(len(c.entry.files) for c in done)
    lines = [
        f"Measured on {len(done)} repositories, {files} Dockerfiles "
        "(`python scripts/realworld_corpus.py precision`).",
        "",
        '"before" counts every judged finding (as first reported); "now" only those '
        "slimline still reports. Precision = right / (right + wrong); debatable ones are left out.",
        "",
        "| rule | name | default | right | wrong (now / before) | debatable (now) | pending "
        "| precision before | precision now |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    total = Counter[str]()
    for code in sorted(per_rule):
        n = per_rule[code]
        total.update(n)
        rule = rules.get(code)
        lines.append(
            f"| {code} | {rule.name if rule else '(removed)'} | "
            f"{('on' if rule.default_enabled else 'off') if rule else '-'} | "
            f"{n['right:now']} | {n['wrong:now']} / {n['wrong:now'] + n['wrong:gone']} | "
            f"{n['debatable:now']} | {n['pending:now'] + n['pending:gone']} | "
            f"{_pct(n['right:now'] + n['right:gone'], n['wrong:now'] + n['wrong:gone'])} | "
            f"{_pct(n['right:now'], n['wrong:now'])} |"
        )
    lines.append(
        f"| **all** | | | {total['right:now']} | {total['wrong:now']} / "
        f"{total['wrong:now'] + total['wrong:gone']} | {total['debatable:now']} | "
        f"{total['pending:now'] + total['pending:gone']} | "
        f"{_pct(total['right:now'] + total['right:gone'], total['wrong:now'] + total['wrong:gone'])} | "
        f"{_pct(total['right:now'], total['wrong:now'])} |"
    )
    gone_right = total["right:gone"]
    if gone_right:
        lines += ["", f"{gone_right} finding(s) judged right are no longer reported (recall lost)."]
    if fixes:
        verdicts: Counter[str] = Counter()
        for c in done:
            judged = c.entry.fix_judgements()
            for path, diff in (c.diffs or {}).items():
                if diff:
                    verdicts[judged[path].verdict if path in judged else ""] += 1
        verdicts["pending"] = verdicts.pop("", 0)
        changed = sum(verdicts.values())
        lines += [
            "",
            f"`fix --unsafe` changes {changed} of {files} files: {verdicts['keeps']} keep what the "
            f"original did, {verdicts['breaks']} break it, {verdicts['debatable']} debatable, "
            f"{verdicts['pending']} not judged; keeps = "
            f"{_pct(verdicts['keeps'], verdicts['breaks'])} of the judged (debatable left out).",
        ]
    return "\n".join(lines) + "\n"


def _pct(right: int, wrong: int) -> str:
    return f"{100 * right / (right + wrong):.1f}%" if right + wrong else "-"


def cmd_precision(args: argparse.Namespace) -> int:
    done, skipped = _checked(args)
    for e in skipped:
        print(f"skipped {e.repo}: not extracted", file=sys.stderr)
    sys.stdout.write(precision_table(done, fixes=args.fixes))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repos", action="append", help="directory of repo files (repeatable)")
    sub = parser.add_subparsers(dest="command", required=True)
    fixes = ("--fixes", {"action": "store_true", "help": "also run fix --unsafe on every file"})
    #: command -> (help, run, [(argument, options)...])
    commands: dict[str, tuple[str, Any, list[tuple[str, dict[str, Any]]]]] = {
        "init": (
            "write a new repo file (commit: the mirror's HEAD)",
            cmd_init,
            [
                ("repo", {}),
                ("--kind", {"required": True, "choices": KINDS}),
                ("--commit", {}),
                ("files", {"nargs": "+"}),
            ],
        ),
        "ls": (
            "list the Dockerfiles of a mirror's HEAD",
            cmd_ls,
            [
                ("repo", {}),
                ("pattern", {"nargs": "?", "help": "regular expression on the path"}),
            ],
        ),
        "extract": (
            "extract the trees of the repo files from their mirrors",
            cmd_extract,
            [
                ("repo", {"nargs": "*"}),
            ],
        ),
        "pending": (
            'append every unjudged finding and fix with verdict ""',
            cmd_pending,
            [
                ("repo_toml", {}),
                ("--no-fixes", {"action": "store_true", "help": "do not run fix --unsafe"}),
            ],
        ),
        "fixdiff": (
            "print what fix --unsafe changes",
            cmd_fixdiff,
            [
                ("repo_toml", {}),
                ("paths", {"nargs": "*"}),
            ],
        ),
        "check": ("what the test checks, as a report", cmd_check, [fixes]),
        "precision": ("the per-rule precision table (Markdown)", cmd_precision, [fixes]),
    }
    for name, (text, run, arguments) in commands.items():
        p = sub.add_parser(name, help=text)
        for argument, options in arguments:
            p.add_argument(argument, **options)
        p.set_defaults(run=run)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CorpusError as exc:
        print(f"realworld_corpus: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
