"""The whole story in one call: lint, fix, build before and after, verify, analyze, compare.

Nothing the user has is changed here: the optimized Dockerfile is built from a
copy of the build context (only the files the proposed .dockerignore lets
through), and the caller writes the files only when asked and only when the
optimized image passed its probe.

An optimization counts only when a real build of a real image shows it: without
an engine the result says so and carries the findings and the proposed diff;
without a probe it says plainly that behaviour was not verified; an image that
fails its probe is never reported as a gain.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from slimline.analysis.model import AnalysisResult, ImageSummary
from slimline.context import DockerIgnore
from slimline.dockerfile.model import Dockerfile
from slimline.dockerfile.parser import parse_file
from slimline.errors import EngineError, SlimlineError
from slimline.fix.engine import FixResult, fix_dockerfile, unified_diff
from slimline.fix.model import FixOptions
from slimline.fix.target import keep_target
from slimline.lint.config import LintConfig
from slimline.lint.model import Finding
from slimline.nativelibs import carry_native_libraries
from slimline.units import DEFAULT_BANDWIDTH_BPS

if TYPE_CHECKING:
    from slimline.compare import SurfaceChange
    from slimline.engine import Engine

#: Progress events: (step, message). Steps: lint, fix, build-before, build-builder,
#: build-after, probe-before, probe-after, analyze-before, analyze-after, surface,
#: candidate (one runtime of ``--runtime auto`` starts), and "log" for a build log line.
Progress = Callable[[str, str], None]

Status = Literal["optimized", "no-gain", "no-change", "no-engine", "build-failed", "probe-failed"]
#: ``--runtime auto``: try the runtimes the rewrite can produce, keep the smallest that passes.
AUTO = "auto"
#: The rule whose rewrite puts the application on a runtime image.
RUNTIME_RULE = "SL103"
#: The code under which a fix's notes carry what keeping the build target changed.
TARGET_NOTE = "target"
#: What became of a runtime candidate: kept (the result), dropped (built, and failed its
#: probe, did not build or was larger), declined (the rewrite refused it, nothing built),
#: same (its rewrite is identical to one already built), not-built (no engine, --no-build).
Outcome = Literal["kept", "dropped", "declined", "same", "not-built"]


@dataclass(slots=True)
class ImageSide:
    """One built image: how it was built, how big it is, whether it works."""

    tag: str
    image_id: str = ""
    size: int = 0
    layers: int = 0
    build_seconds: float = 0.0
    builder: str = ""
    build_log_tail: str = ""
    probe_passed: bool | None = None
    probe_detail: str = ""
    probe_logs: str = ""
    #: The image in a few numbers, and the full analysis (for HTML reports); None when
    #: analysis was skipped or failed.
    summary: ImageSummary | None = None
    analysis: AnalysisResult | None = None


@dataclass(slots=True)
class Candidate:
    """One runtime that ``--runtime auto`` considered, and what became of it."""

    runtime: str
    outcome: Outcome
    #: Why it was kept or dropped, for people: "kept: the smallest that passed its probe",
    #: "failed probe: ...", "larger than distroless (...)", "declined: ...",
    #: "does not build: ...", "not built: same Dockerfile as slim".
    reason: str = ""
    #: The image built for it (None when nothing was built).
    side: ImageSide | None = None
    #: Its rewrite (with native libraries carried over once built) and what that noted.
    fix: FixResult | None = None
    notes: list[str] = field(default_factory=list)
    #: The end of its build log, or its container's logs when the probe failed.
    failure_log: str = ""


@dataclass(slots=True)
class OptimizeResult:
    dockerfile: Path
    context: Path
    findings: list[Finding]
    fix: FixResult
    diff: str
    status: Status
    message: str
    engine: str = ""
    builder: str = ""
    probe: str | None = None
    before: ImageSide | None = None
    after: ImageSide | None = None
    failed_step: str | None = None
    failure_log: str = ""
    bandwidth_bps: int = DEFAULT_BANDWIDTH_BPS
    notes: list[str] = field(default_factory=list)
    #: The runtime of the rewrite this result carries ("" when no runtime rewrite applies).
    runtime: str = ""
    #: ``--runtime auto``: every runtime considered, the kept one among them; empty for an
    #: explicit runtime.
    candidates: list[Candidate] = field(default_factory=list)
    #: packages removed/added and the attack surface before -> after (both images built)
    surface: SurfaceChange | None = None

    @property
    def verified(self) -> bool:
        return self.after is not None and self.after.probe_passed is True

    def ratio(self) -> float | None:
        if self.before is None or self.after is None or not self.before.size:
            return None
        return self.after.size / self.before.size

    def pull_seconds(self, size: int) -> float:
        return size * 8 / self.bandwidth_bps


@dataclass(frozen=True, slots=True)
class OptimizeOptions:
    dockerfile: Path
    context: Path
    unsafe: bool = False
    #: A runtime kind (slim, distroless, scratch) or ``auto``.
    runtime: str = AUTO
    config: LintConfig = field(default_factory=LintConfig)
    probe: object | None = None  # slimline.engine.ProbeConfig (kept loose: engine is optional)
    build: bool = True
    bandwidth_bps: int = DEFAULT_BANDWIDTH_BPS
    tag_prefix: str = "slimline-optimize"
    analyze: bool = True
    #: The stage to build (``docker build --target``) and the build arguments, both images.
    target: str | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    #: vulnerability database for the attack surface (None: slimline's, when present)
    db_path: Path | None = None
    vulnerabilities: bool = True


def _tag_name(context: Path) -> str:
    name = "".join(
        c if c.isalnum() or c in "-_." else "-" for c in context.resolve().name.lower()
    ).strip("-.")
    return name or "app"


def copy_context(context: Path, dockerfile: Path, result: FixResult, target: Path) -> None:
    """Copy what the build will see into ``target``, then put the fixed files in place.

    Only paths the (proposed or existing) .dockerignore lets through are copied,
    so a large context with `.git` or `node_modules` is not copied for nothing.
    """
    ignore_file = next((p for p in result.files if p.name.endswith(".dockerignore")), None)
    if ignore_file is not None:
        ignore = DockerIgnore.parse(result.files[ignore_file])
    else:
        ignore = DockerIgnore.load(context, dockerfile)
    root = context.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        keep_dirs = []
        for d in dirnames:
            rel = (rel_dir / d).as_posix()
            if ignore.matches(rel) and not ignore.must_descend(rel):
                continue
            keep_dirs.append(d)
            (target / rel).mkdir(parents=True, exist_ok=True)
        dirnames[:] = keep_dirs
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if ignore.matches(rel) and name not in (".dockerignore",):
                continue
            src = Path(dirpath) / name
            dst = target / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_symlink():
                dst.symlink_to(os.readlink(src))
                continue
            try:
                shutil.copy2(src, dst)
            except OSError as exc:  # a FIFO or socket in the context, a file that went away
                raise SlimlineError(
                    f"cannot copy the build context for the optimized build: {exc.strerror or exc}",
                    path=src,
                ) from None
    rel_df = (
        dockerfile.resolve().relative_to(root)
        if dockerfile.resolve().is_relative_to(root)
        else Path(dockerfile.name)
    )
    (target / rel_df).parent.mkdir(parents=True, exist_ok=True)
    (target / rel_df).write_bytes(result.fixed.encode("utf-8", "surrogateescape"))
    for path, content in result.files.items():
        resolved = path.resolve()
        rel_file = resolved.relative_to(root) if resolved.is_relative_to(root) else Path(path.name)
        (target / rel_file).write_text(content, encoding="utf-8")


def optimize(options: OptimizeOptions, progress: Progress | None = None) -> OptimizeResult:
    """Run the whole pipeline; raises SlimlineError only for bad input.

    ``options.runtime`` ``auto`` tries every runtime the rewrite can produce and keeps
    the smallest image that passes its probe (:mod:`slimline.optimize_candidates`);
    a runtime kind builds that one rewrite.
    """
    if options.runtime == AUTO:
        from slimline.optimize_candidates import optimize_auto

        return optimize_auto(options, progress)
    emit = progress or (lambda _step, _msg: None)
    df = lint_original(options, emit)
    return optimize_fixed(options, df, fix_for(df, options, options.runtime), emit)


def lint_original(options: OptimizeOptions, emit: Progress) -> Dockerfile:
    emit("lint", f"linting {options.dockerfile}")
    df = parse_file(options.dockerfile)
    # The fix engine's first pass is the lint: its findings are the file's findings.
    emit("fix", "computing fixes")
    return df


def fix_for(df: Dockerfile, options: OptimizeOptions, runtime: str) -> FixResult:
    """The fix engine's rewrite of ``df`` for one runtime kind."""
    fix = fix_dockerfile(
        df, options.config, options.context, unsafe=options.unsafe, options=FixOptions(runtime=runtime)
    )
    fix, target_note = keep_target(fix, df, options.target)
    if target_note:
        fix.notes.append((0, TARGET_NOTE, target_note))
    return fix


def new_result(options: OptimizeOptions, fix: FixResult) -> OptimizeResult:
    """A result that carries ``fix`` (findings, diff, notes) and nothing built yet."""
    result = OptimizeResult(
        dockerfile=options.dockerfile,
        context=options.context,
        findings=fix.findings,
        fix=fix,
        diff=unified_diff(fix, options.dockerfile),
        status="no-change",
        message="",
        bandwidth_bps=options.bandwidth_bps,
    )
    result.notes += fix_notes(fix)
    if not fix.changed:
        result.message = (
            "nothing to fix: the Dockerfile already follows every rule slimline can fix"
            + _declined(fix)
        )
    return result


def restructured(fix: FixResult) -> bool:
    """Whether the multi-stage rewrite (SL103, the one that picks a runtime) applied."""
    return any(f.code == RUNTIME_RULE and f.edits for f in fix.applied)


def fix_notes(fix: FixResult) -> list[str]:
    """What the fixes declined and what the applied ones left out."""
    notes = [
        note if code == TARGET_NOTE else f"line {line}: {code} not fixed: {note}"
        for line, code, note in fix.notes
    ]
    return notes + [f"line {f.line}: {f.code}: {f.note}" for f in fix.applied if f.note]


def engine_ready(options: OptimizeOptions, result: OptimizeResult) -> bool:
    """Whether images can be built; when not, the result says why (no-engine)."""
    if not options.build:
        if result.fix.changed:
            result.status = "no-engine"
            result.message = (
                "images not built (--no-build): the gain and the behaviour were NOT verified"
            )
        return False
    from slimline.engine import engine_available

    ok, reason = engine_available()
    result.engine = reason
    if not ok:
        result.status = "no-engine"
        result.message = (
            f"no Docker engine ({reason}): images not built, gain and behaviour NOT verified"
        )
    return ok


class Session:
    """One connected engine, the probe and the tags of one project's images."""

    def __init__(self, engine: Engine, options: OptimizeOptions, emit: Progress) -> None:
        from slimline.engine import ProbeConfig

        self.engine, self.options, self.emit = engine, options, emit
        self.probe = options.probe if isinstance(options.probe, ProbeConfig) else None
        self.name = _tag_name(options.context)

    def tag(self, what: str) -> str:
        return f"{self.options.tag_prefix}/{self.name}:{what}"

    def start(self, result: OptimizeResult) -> ImageSide:
        """Build (and probe) the original, as it is; SlimlineError when it does not build."""
        result.builder = self.engine.builder().kind.describe()
        result.probe = self.probe.describe() if self.probe is not None else None
        before = ImageSide(tag=self.tag("before"))
        result.before = before
        self.emit("build-before", f"building the original image ({before.tag})")
        try:
            _build(
                self.engine,
                before,
                self.options.context,
                self.options.dockerfile,
                self.emit,
                self.options,
            )
        except EngineError as exc:
            raise SlimlineError(
                f"the original Dockerfile does not build: {exc.message}"
                + (f"\n{getattr(exc, 'log_tail', '')}" if getattr(exc, "log_tail", "") else ""),
                path=self.options.dockerfile,
            ) from None
        if self.probe is not None:
            self.emit("probe-before", f"probing the original image: {self.probe.describe()}")
            _probe(self.engine, before, self.probe)
            if not before.probe_passed:
                result.notes.append(
                    "the ORIGINAL image fails its probe too: check the probe settings "
                    f"({before.probe_detail})"
                )
        return before

    def build_rewrite(
        self,
        df: Dockerfile,
        fix: FixResult,
        side: ImageSide,
        runtime: str,
        built: dict[str, str] | None = None,
        what: str = "the optimized image",
    ) -> Rewrite:
        """Build ``fix`` from a copy of the context, with the native libraries its
        dependencies load carried into the runtime stage (found in its built builder
        stage). With ``built`` (Dockerfile texts already built -> their name), a rewrite
        that comes out the same as one of them is not built again. EngineError when it
        does not build."""
        options = replace(self.options, runtime=runtime)
        dockerfile, context = options.dockerfile, options.context
        with tempfile.TemporaryDirectory(prefix="slimline-optimize-") as tmp:
            work = Path(tmp) / "context"
            work.mkdir()
            copy_context(context, dockerfile, fix, work)
            rel_df = (
                dockerfile.resolve().relative_to(context.resolve())
                if dockerfile.resolve().is_relative_to(context.resolve())
                else Path(dockerfile.name)
            )
            notes: list[str] = []
            carried = carry_native_libraries(
                self.engine, options, df, work, work / rel_df, self.tag("builder"), self.emit
            )
            if carried is not None:
                fix, notes = carried
                fix = keep_target(fix, df, options.target)[0]
                (work / rel_df).write_bytes(fix.fixed.encode("utf-8", "surrogateescape"))
            key = rewrite_key(fix)
            if built is not None and key in built:
                return Rewrite(fix, notes, same_as=built[key])
            self.emit("build-after", f"building {what} ({side.tag})")
            _build(self.engine, side, work, work / rel_df, self.emit, options)
            return Rewrite(fix, notes)

    def check(self, side: ImageSide, what: str = "the optimized image") -> None:
        if self.probe is not None:
            self.emit("probe-after", f"probing {what}: {self.probe.describe()}")
            _probe(self.engine, side, self.probe)


@dataclass(slots=True)
class Rewrite:
    """A rewrite as built: its fix (with native libraries carried) and what that noted."""

    fix: FixResult
    notes: list[str]
    #: The name of an identical rewrite already built (this one was not built again).
    same_as: str | None = None


def rewrite_key(fix: FixResult) -> str:
    """What makes two rewrites build the same image: the Dockerfile and the other files."""
    return fix.fixed + "".join(f"\0{p}\0{c}" for p, c in sorted(fix.files.items()))


def optimize_fixed(
    options: OptimizeOptions, df: Dockerfile, fix: FixResult, emit: Progress
) -> OptimizeResult:
    """Build the original and ``fix`` (one rewrite), probe both, compare."""
    result = new_result(options, fix)
    result.runtime = options.runtime if restructured(fix) else ""
    if not engine_ready(options, result):
        return result
    from slimline.engine import Engine

    with Engine.connect() as engine:
        session = Session(engine, options, emit)
        before = session.start(result)
        if not fix.changed:
            analyze_side(before, options, emit, "analyze-before")
            return result
        after = ImageSide(tag=session.tag("after"))
        result.after = after
        try:
            rewrite = session.build_rewrite(df, fix, after, options.runtime)
        except EngineError as exc:
            result.status = "build-failed"
            result.failed_step = "build of the optimized image"
            result.failure_log = getattr(exc, "log_tail", "") or exc.message
            result.message = f"the optimized Dockerfile does not build: {exc.message}"
            return result
        take_rewrite(result, rewrite)
        session.check(after)
    finish(result, options, emit)
    return result


def take_rewrite(result: OptimizeResult, rewrite: Rewrite) -> None:
    """The result carries ``rewrite`` (after native libraries were carried over)."""
    take_fix(result, rewrite.fix)
    result.notes += rewrite.notes


def take_fix(result: OptimizeResult, fix: FixResult) -> None:
    """The result carries ``fix``: its findings and its diff."""
    if fix is not result.fix:
        result.fix, result.findings = fix, fix.findings
        result.diff = unified_diff(fix, result.dockerfile)


def finish(result: OptimizeResult, options: OptimizeOptions, emit: Progress) -> None:
    """Analyze both images and say what the rewrite gained (or that it failed its probe)."""
    before, after = result.before, result.after
    assert before is not None and after is not None
    analyze_side(before, options, emit, "analyze-before")
    analyze_side(after, options, emit, "analyze-after")
    if after.probe_passed is False:
        result.status = "probe-failed"
        result.failed_step = "probe of the optimized image"
        result.failure_log = after.probe_logs
        result.message = (
            f"the optimized image FAILS its probe ({after.probe_detail}): "
            "not an optimization; nothing was written"
        )
        return
    _attack_surface(result, options, emit)
    ratio = result.ratio() or 1.0
    verified = (
        "verified by the probe"
        if result.probe is not None
        else "behaviour NOT verified (no probe configured)"
    )
    if after.size >= before.size:
        result.status = "no-gain"
        result.message = (
            f"the optimized image is not smaller ({after.size} >= {before.size} bytes); {verified}"
            + _declined(result.fix)
        )
    else:
        result.status = "optimized"
        result.message = f"{1 / ratio:.1f}x smaller ({(1 - ratio) * 100:.1f} % less); {verified}"


def _declined(fix: FixResult) -> str:
    """Why the restructuring rewrite did not apply, when it declined (SL103's refusals)."""
    reasons = [note for _line, code, note in fix.notes if code == RUNTIME_RULE]
    return "".join(f"; no multi-stage rewrite: {reason}" for reason in reasons)


def _build(
    engine: object,
    side: ImageSide,
    context: Path,
    dockerfile: Path,
    emit: Progress,
    options: OptimizeOptions,
) -> None:
    from slimline.engine import Engine

    assert isinstance(engine, Engine)
    started = time.monotonic()
    built = engine.build(
        context,
        dockerfile=dockerfile,
        tag=side.tag,
        target=options.target,
        build_args=options.build_args,
        on_log=lambda line: emit("log", line),
    )
    side.build_seconds = time.monotonic() - started
    side.image_id = built.image_id
    side.builder = built.builder.describe()
    side.build_log_tail = built.log_tail
    side.size = engine.image_size(side.tag)
    attrs = engine.image_attrs(side.tag)
    side.layers = len(attrs.get("RootFS", {}).get("Layers", []) or [])


def _probe(engine: object, side: ImageSide, probe: object) -> None:
    from slimline.engine import Engine, ProbeConfig

    assert isinstance(engine, Engine) and isinstance(probe, ProbeConfig)
    outcome = engine.run_probe(side.tag, probe)
    side.probe_passed = outcome.passed
    side.probe_detail = outcome.detail
    side.probe_logs = outcome.container_logs


def _attack_surface(result: OptimizeResult, options: OptimizeOptions, emit: Progress) -> None:
    """Packages and attack surface of both images, as ``compare`` reads them."""
    if not options.analyze or result.before is None or result.after is None:
        return
    from slimline.compare import surface_change

    emit("surface", "reading the packages and the attack surface of both images")
    try:
        result.surface = surface_change(
            f"docker-daemon:{result.before.tag}", f"docker-daemon:{result.after.tag}",
            db_path=options.db_path, vulnerabilities=options.vulnerabilities)
    except SlimlineError as exc:
        result.notes.append(f"attack surface not compared: {exc}")


def analyze_side(side: ImageSide, options: OptimizeOptions, emit: Progress, step: str) -> None:
    if not options.analyze:
        return
    from slimline.analysis.run import AnalyzeRequest, run_analyze

    emit(step, f"analyzing {side.tag}")
    try:
        analysis = run_analyze(AnalyzeRequest(reference=f"docker-daemon:{side.tag}", top=200))
    except SlimlineError as exc:
        emit("log", f"analysis of {side.tag} failed: {exc}")
        return
    side.analysis = analysis
    side.summary = ImageSummary.of(analysis)
