#!/usr/bin/env python3
"""hadolint against slimline on the labelled real-world corpus, rule by rule.

    python scripts/hadolint_compare.py [--kind KIND]... [--corpus DIR] [--hadolint BIN]
                                       [--only-slimline] REPO_TOML...

For the repo files given (tests/realworld/repos/*.toml; ``--kind`` keeps those of the
named kinds), every listed Dockerfile is linted by hadolint and by slimline from the root
of its extracted tree (``scripts/realworld_corpus.py extract`` makes the trees), slimline
with every rule selected (the off-by-default pinning rules too), hadolint with the
repository's own ``.hadolint.yaml`` when it has one at its root, as the project runs it
(``--no-repo-config``: none; a user's configuration never applies). Inline
``# hadolint ignore=`` pragmas count for both tools. For every slimline rule that names
hadolint codes (the ``hadolint`` column of ``slimline rules --format json``), the lines
each tool reports are compared file by file.

Printed (Markdown): the files hadolint cannot parse (DL1000) or crashes on and the files
slimline rejects, all left out of the comparison; the per-rule table (rules with a line on
either side); every "only hadolint" line as ``repo path:line`` with hadolint's message
and whether the line's stage reaches the final image; with ``--only-slimline`` every
"only slimline" line too; and the counts of the hadolint codes slimline does not map.
Environment: ``SLIMLINE_REALWORLD_DIR`` is the default of ``--corpus``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realworld_corpus import _run_cli, corpus_dir
from realworld_repos import KINDS, CorpusError, RepoEntry, load_repo

#: hadolint runs over this many files at once (one at a time again when a run crashes).
BATCH = 40
#: The files hadolint reads its configuration from in the directory it runs in.
REPO_CONFIGS = (".hadolint.yaml", ".hadolint.yml")


@dataclass
class FileLines:
    """What both tools said about one Dockerfile (None: the tool gave no result)."""

    repo: str
    path: str
    hadolint: list[dict[str, Any]] | None = None
    slimline: list[dict[str, Any]] | None = None
    shipped_lines: set[int] = field(default_factory=set)
    error: str = ""  # why the file is left out
    config: str = ""  # the repository's hadolint configuration file that applied

    @property
    def where(self) -> str:
        return f"{self.repo} {self.path}"


# --------------------------------------------------------------------------- the tools


def default_hadolint() -> str:
    beside = Path(sys.executable).with_name("hadolint")
    return str(beside) if beside.is_file() else (shutil.which("hadolint") or "hadolint")


def mapped_rules() -> dict[str, tuple[str, ...]]:
    """slimline rule code -> the hadolint codes it corresponds to."""
    code, out, err = _run_cli(Path.cwd(), ["rules", "--format", "json"])
    if code != 0:
        raise CorpusError(f"slimline rules failed: {err.strip() or out.strip()}")
    return {r["code"]: tuple(r["hadolint"]) for r in json.loads(out)}


def repo_config(tree: Path) -> str:
    """The repository's hadolint configuration file that hadolint picks up, if any."""
    return next((n for n in REPO_CONFIGS if (tree / n).is_file()), "")


def run_hadolint(
    binary: str, tree: Path, paths: list[str], home: Path, config: Path | None
) -> dict[str, list[dict[str, Any]] | None]:
    """hadolint's findings per path (None when it crashed on the file)."""
    out: dict[str, list[dict[str, Any]] | None] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "xdg"))
    options = ["--config", str(config)] if config else []

    def collect(batch: list[str]) -> None:
        proc = subprocess.run(
            [binary, *options, "--no-fail", "--no-color", "-f", "json", *batch],
            capture_output=True,
            text=True,
            cwd=tree,
            env=env,
            check=False,
            timeout=600,
        )
        try:
            data = json.loads(proc.stdout) if proc.returncode == 0 else None
        except json.JSONDecodeError:
            data = None
        if data is None:
            if len(batch) == 1:
                out[batch[0]] = None
            else:
                for one in batch:
                    collect([one])
            return
        for path in batch:
            out[path] = []
        for item in data:
            out.setdefault(item["file"], []).append(item)

    for i in range(0, len(paths), BATCH):
        collect(paths[i : i + BATCH])
    return out


def run_slimline(tree: Path, path: str, select: str) -> tuple[list[dict[str, Any]] | None, str]:
    code, out, err = _run_cli(tree, ["lint", "--format", "json", "--select", select, path])
    if code not in (0, 1):
        lines = (err or out).strip().splitlines()
        return None, lines[-1] if lines else f"exit code {code}"
    return [f for file in json.loads(out)["files"] for f in file["findings"]], ""


def shipped_lines(tree: Path, path: str) -> set[int]:
    """The lines of the stages that reach the final image (the final one and its parents)."""
    from slimline.dockerfile.parser import parse_bytes
    from slimline.errors import SlimlineError

    try:
        df = parse_bytes((tree / path).read_bytes(), tree / path)
    except SlimlineError:  # the file slimline rejects is listed as such
        return set()
    if not df.stages:
        return set()
    stage = df.stages[-1]
    lines: set[int] = set()
    seen: set[int] = set()
    while stage.index not in seen:
        seen.add(stage.index)
        for inst in [stage.from_instruction, *stage.instructions]:
            lines.update(range(inst.line, inst.end_line + 1))
        if stage.parent is None:
            break
        stage = df.stages[stage.parent]
    return lines


def lint_repos(
    entries: Iterable[RepoEntry], base: Path, binary: str, *, repo_configs: bool = True
) -> list[FileLines]:
    rules = mapped_rules()
    select = ",".join(rules)
    results: list[FileLines] = []
    with tempfile.TemporaryDirectory(prefix="hadolint-compare-") as tmp:
        home = Path(tmp)
        config = None if repo_configs else home / "empty.yaml"
        if config is not None:
            config.write_text("ignored: []\n")
        for entry in entries:
            tree = base / entry.slug
            if not tree.is_dir():
                raise CorpusError(
                    f"{entry.repo}: no tree at {tree} "
                    f"(python scripts/realworld_corpus.py extract {entry.repo})"
                )
            found = run_hadolint(binary, tree, entry.files, home, config)
            used = repo_config(tree) if repo_configs else ""
            for path in entry.files:
                fl = FileLines(entry.repo, path, hadolint=found.get(path), config=used)
                fl.slimline, fl.error = run_slimline(tree, path, select)
                fl.shipped_lines = shipped_lines(tree, path)
                results.append(fl)
    return results


# --------------------------------------------------------------------------- the report


@dataclass
class RuleRow:
    rule: str
    codes: tuple[str, ...]
    both: int = 0
    only_hadolint: list[tuple[FileLines, dict[str, Any]]] = field(default_factory=list)
    only_slimline: list[tuple[FileLines, dict[str, Any]]] = field(default_factory=list)


def compare(files: list[FileLines], rules: dict[str, tuple[str, ...]]) -> list[RuleRow]:
    rows = [RuleRow(rule, tuple(sorted(codes))) for rule, codes in rules.items() if codes]
    for fl in files:
        if fl.hadolint is None or fl.slimline is None or parse_error(fl):
            continue
        for row in rows:
            had = {f["line"]: f for f in fl.hadolint if f["code"] in row.codes}
            sl = {f["line"]: f for f in fl.slimline if f["code"] == row.rule}
            row.both += len(had.keys() & sl.keys())
            row.only_hadolint += [(fl, had[n]) for n in sorted(had.keys() - sl.keys())]
            row.only_slimline += [(fl, sl[n]) for n in sorted(sl.keys() - had.keys())]
    return sorted(rows, key=lambda r: r.codes)


def parse_error(fl: FileLines) -> bool:
    return any(f["code"] == "DL1000" for f in fl.hadolint or [])


def report(files: list[FileLines], rows: list[RuleRow], *, only_slimline: bool) -> str:
    out: list[str] = []
    repos = {fl.repo for fl in files}
    dl1000 = [fl for fl in files if parse_error(fl)]
    crashed = [fl for fl in files if fl.hadolint is None]
    rejected = [fl for fl in files if fl.slimline is None]
    compared = [fl for fl in files if fl not in dl1000 + crashed + rejected]
    out.append(
        f"{len(repos)} repositories, {len(files)} Dockerfiles: {len(compared)} compared, "
        f"{len(dl1000)} hadolint cannot parse (DL1000), {len(crashed)} hadolint crashes on, "
        f"{len(rejected)} slimline rejects.\n"
    )
    for title, group in (
        ("hadolint cannot parse (DL1000)", dl1000),
        ("hadolint crashes on", crashed),
        ("slimline rejects", rejected),
    ):
        if group:
            out.append(f"{title}:\n")
            for fl in group:
                why = fl.error or next(
                    (f["message"] for f in fl.hadolint or [] if f["code"] == "DL1000"), ""
                )
                out.append(f"- {fl.where}: {why.splitlines()[0] if why else '(no output)'}")
            out.append("")
    configs = sorted({f"{fl.repo} `{fl.config}`" for fl in files if fl.config})
    if configs:
        out.append("The repository's hadolint configuration applied: " + ", ".join(configs) + ".\n")
    out.append("| hadolint | slimline | both | only hadolint | only slimline |")
    out.append("|---|---|---:|---:|---:|")
    for row in rows:
        if row.both or row.only_hadolint or row.only_slimline:
            out.append(
                f"| {', '.join(row.codes)} | {row.rule} | {row.both} | "
                f"{len(row.only_hadolint)} | {len(row.only_slimline)} |"
            )
    total = sum(len(r.only_hadolint) for r in rows)
    out.append(f"\nOnly hadolint: {total} lines.\n")
    for row in rows:
        for fl, f in row.only_hadolint:
            ships = "" if f["line"] in fl.shipped_lines else " [stage does not ship]"
            out.append(f"- {f['code']} ({row.rule}) {fl.where}:{f['line']}{ships}: {f['message']}")
    if only_slimline:
        out.append(f"\nOnly slimline: {sum(len(r.only_slimline) for r in rows)} lines.\n")
        for row in rows:
            for fl, f in row.only_slimline:
                out.append(f"- {row.rule} {fl.where}:{f['line']}: {f['message']}")
    mapped = {c for r in rows for c in r.codes} | {"DL1000"}
    unmapped = Counter(
        f["code"]
        for fl in compared
        for f in fl.hadolint or []
        if f["code"] not in mapped and f["code"].startswith("DL")
    )
    shellcheck = sum(1 for fl in compared for f in fl.hadolint or [] if f["code"].startswith("SC"))
    out.append(
        "\nhadolint codes slimline does not map: "
        + (", ".join(f"{c} ({n})" for c, n in unmapped.most_common()) or "none")
        + f"; ShellCheck (SC): {shellcheck}."
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("repos", nargs="+", type=Path, help="repo files (tests/realworld/repos/*.toml)")
    ap.add_argument("--kind", action="append", choices=KINDS, help="keep repos of this kind")
    ap.add_argument(
        "--corpus", type=Path, default=None, help="extracted trees (default: %(default)s)"
    )
    ap.add_argument("--hadolint", default=default_hadolint(), help="the hadolint binary")
    ap.add_argument("--only-slimline", action="store_true", help="list the only-slimline lines")
    ap.add_argument(
        "--no-repo-config", action="store_true", help="ignore the repositories' .hadolint.yaml"
    )
    args = ap.parse_args(argv)
    try:
        entries = [load_repo(p) for p in args.repos]
        entries = [e for e in entries if not args.kind or e.kind in args.kind]
        if not entries:
            raise CorpusError("no repo file left (check --kind)")
        files = lint_repos(
            entries,
            args.corpus or corpus_dir(),
            args.hadolint,
            repo_configs=not args.no_repo_config,
        )
        rows = compare(files, mapped_rules())
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report(files, rows, only_slimline=args.only_slimline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
