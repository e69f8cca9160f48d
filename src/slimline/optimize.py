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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from slimline.analysis.model import AnalysisResult, ImageSummary
from slimline.context import DockerIgnore
from slimline.dockerfile.parser import parse_file
from slimline.errors import EngineError, SlimlineError
from slimline.fix.engine import FixResult, fix_dockerfile, unified_diff
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig
from slimline.lint.model import Finding
from slimline.nativelibs import carry_native_libraries
from slimline.units import DEFAULT_BANDWIDTH_BPS

if TYPE_CHECKING:
    from slimline.compare import SurfaceChange

#: Progress events: (step, message). Steps: lint, fix, build-before, build-after, probe-before,
#: probe-after, analyze-before, analyze-after, surface, and "log" for a build log line.
Progress = Callable[[str, str], None]

Status = Literal["optimized", "no-gain", "no-change", "no-engine", "build-failed", "probe-failed"]


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
    runtime: str = "slim"
    config: LintConfig = field(default_factory=LintConfig)
    probe: object | None = None  # slimline.engine.ProbeConfig (kept loose: engine is optional)
    build: bool = True
    bandwidth_bps: int = DEFAULT_BANDWIDTH_BPS
    tag_prefix: str = "slimline-optimize"
    analyze: bool = True
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
    """Run the whole pipeline; raises SlimlineError only for bad input."""
    emit = progress or (lambda _step, _msg: None)
    dockerfile, context = options.dockerfile, options.context
    emit("lint", f"linting {dockerfile}")
    df = parse_file(dockerfile)
    # The fix engine's first pass is the lint: its findings are the file's findings.
    emit("fix", "computing fixes")
    fix = fix_dockerfile(
        df,
        options.config,
        context,
        unsafe=options.unsafe,
        options=FixOptions(runtime=options.runtime),
    )
    diff = unified_diff(fix, dockerfile)
    result = OptimizeResult(
        dockerfile=dockerfile,
        context=context,
        findings=fix.findings,
        fix=fix,
        diff=diff,
        status="no-change",
        message="",
        bandwidth_bps=options.bandwidth_bps,
    )
    result.notes += [f"line {line}: {code} not fixed: {note}" for line, code, note in fix.notes]
    result.notes += [f"line {f.line}: {f.code}: {f.note}" for f in fix.applied if f.note]
    if not fix.changed:
        result.message = (
            "nothing to fix: the Dockerfile already follows every rule slimline can fix"
            + _declined(fix)
        )
        if not options.build:
            return result
    if not options.build:
        result.status = "no-engine"
        result.message = (
            "images not built (--no-build): the gain and the behaviour were NOT verified"
        )
        return result

    from slimline.engine import Engine, ProbeConfig, engine_available

    ok, reason = engine_available()
    if not ok:
        result.status = "no-engine"
        result.engine = reason
        result.message = (
            f"no Docker engine ({reason}): images not built, gain and behaviour NOT verified"
        )
        return result
    result.engine = reason
    probe = options.probe if isinstance(options.probe, ProbeConfig) else None
    result.probe = probe.describe() if probe is not None else None
    name = _tag_name(context)
    with Engine.connect() as engine:
        choice = engine.builder()
        result.builder = choice.kind.describe()
        before = ImageSide(tag=f"{options.tag_prefix}/{name}:before")
        after = ImageSide(tag=f"{options.tag_prefix}/{name}:after")
        result.before = before
        # -- build the original, as it is ------------------------------------------------
        emit("build-before", f"building the original image ({before.tag})")
        try:
            _build(engine, before, context, dockerfile, emit)
        except EngineError as exc:
            raise SlimlineError(
                f"the original Dockerfile does not build: {exc.message}"
                + (f"\n{getattr(exc, 'log_tail', '')}" if getattr(exc, "log_tail", "") else ""),
                path=dockerfile,
            ) from None
        if probe is not None:
            emit("probe-before", f"probing the original image: {probe.describe()}")
            _probe(engine, before, probe)
            if not before.probe_passed:
                result.notes.append(
                    "the ORIGINAL image fails its probe too: check the probe settings "
                    f"({before.probe_detail})"
                )
        if not fix.changed:
            _analyze(before, options, emit, "analyze-before")
            return result
        # -- build the optimized one from a copy of the context ---------------------------
        result.after = after
        with tempfile.TemporaryDirectory(prefix="slimline-optimize-") as tmp:
            work = Path(tmp) / "context"
            work.mkdir()
            copy_context(context, dockerfile, fix, work)
            rel_df = (
                dockerfile.resolve().relative_to(context.resolve())
                if dockerfile.resolve().is_relative_to(context.resolve())
                else Path(dockerfile.name)
            )
            carried = carry_native_libraries(
                engine, options, df, work, work / rel_df, f"{options.tag_prefix}/{name}:builder", emit
            )
            if carried is not None:
                fix, notes = carried
                result.fix, result.findings = fix, fix.findings
                result.diff = unified_diff(fix, dockerfile)
                result.notes += notes
                (work / rel_df).write_bytes(fix.fixed.encode("utf-8", "surrogateescape"))
            emit("build-after", f"building the optimized image ({after.tag})")
            try:
                _build(engine, after, work, work / rel_df, emit)
            except EngineError as exc:
                result.status = "build-failed"
                result.failed_step = "build of the optimized image"
                result.failure_log = getattr(exc, "log_tail", "") or exc.message
                result.message = f"the optimized Dockerfile does not build: {exc.message}"
                return result
        if probe is not None:
            emit("probe-after", f"probing the optimized image: {probe.describe()}")
            _probe(engine, after, probe)
            if not after.probe_passed:
                result.status = "probe-failed"
                result.failed_step = "probe of the optimized image"
                result.failure_log = after.probe_logs
                result.message = (
                    f"the optimized image FAILS its probe ({after.probe_detail}): "
                    "not an optimization; nothing was written"
                )
                _analyze(before, options, emit, "analyze-before")
                _analyze(after, options, emit, "analyze-after")
                return result
    _analyze(before, options, emit, "analyze-before")
    _analyze(after, options, emit, "analyze-after")
    _attack_surface(result, options, emit)
    ratio = result.ratio() or 1.0
    verified = (
        "verified by the probe"
        if probe is not None
        else "behaviour NOT verified (no probe configured)"
    )
    if after.size >= before.size:
        result.status = "no-gain"
        result.message = (
            f"the optimized image is not smaller ({after.size} >= {before.size} bytes); {verified}"
            + _declined(fix)
        )
    else:
        result.status = "optimized"
        result.message = f"{1 / ratio:.1f}x smaller ({(1 - ratio) * 100:.1f} % less); {verified}"
    return result


def _declined(fix: FixResult) -> str:
    """Why the restructuring rewrite did not apply, when it declined (SL103's refusals)."""
    reasons = [note for _line, code, note in fix.notes if code == "SL103"]
    return "".join(f"; no multi-stage rewrite: {reason}" for reason in reasons)


def _build(
    engine: object, side: ImageSide, context: Path, dockerfile: Path, emit: Progress
) -> None:
    from slimline.engine import Engine

    assert isinstance(engine, Engine)
    started = time.monotonic()
    built = engine.build(
        context, dockerfile=dockerfile, tag=side.tag, on_log=lambda line: emit("log", line)
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


def _analyze(side: ImageSide, options: OptimizeOptions, emit: Progress, step: str) -> None:
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
