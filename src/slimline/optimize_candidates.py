"""``slimline optimize --runtime auto``: try every runtime, keep the smallest that works.

The runtime catalog (:mod:`slimline.knowledge.runtimes`) has three kinds: ``scratch``
(static binaries), ``distroless`` and ``slim``. For a Dockerfile, :func:`plan` asks the fix
engine for its rewrite on each kind. A kind whose rewrite applies is a candidate; a kind
the rewrite declines (a shell-form command distroless cannot run, apt packages for the
runtime, cgo on scratch...) is listed with the reason and never built; a kind the catalog
says the language cannot run on at all (Python on scratch) is not a candidate.

:func:`optimize_auto` builds the original once, then each candidate (native libraries
carried over as for one runtime; a rewrite identical to one already built is not built
again), probes each, and keeps the smallest image that passed (:func:`decide`). The
result is the kept candidate's, as if that runtime had been asked for, with every
candidate listed and why each was kept or dropped. When no kind has a rewrite (no
``--unsafe``, nothing to restructure, or every kind declined), it is one build, as for an
explicit runtime.
"""

from __future__ import annotations

from dataclasses import replace

from slimline.dockerfile.model import Dockerfile
from slimline.errors import EngineError
from slimline.knowledge.runtimes import LANGUAGES, unavailable_reason
from slimline.optimize import (
    RUNTIME_RULE,
    Candidate,
    ImageSide,
    OptimizeOptions,
    OptimizeResult,
    Progress,
    Session,
    analyze_side,
    engine_ready,
    finish,
    fix_for,
    fix_notes,
    lint_original,
    new_result,
    optimize_fixed,
    restructured,
    rewrite_key,
    take_fix,
)
from slimline.units import human_or_dash

#: The kinds in the order they are tried: the smallest images first.
CANDIDATE_ORDER = ("scratch", "distroless", "slim")


def _never_runs(kind: str, reason: str) -> bool:
    """Whether ``reason`` is the catalog's: no application of this language runs on ``kind``."""
    return reason in {unavailable_reason(language, kind) for language in LANGUAGES}


def plan(df: Dockerfile, options: OptimizeOptions) -> list[Candidate]:
    """The runtime candidates for ``df``, in :data:`CANDIDATE_ORDER`: ``not-built`` when the
    rewrite applies, ``declined`` (with the rewrite's reason) when it refuses that kind.
    Empty when no kind has a rewrite to offer or to decline (the runtime only matters to
    the unsafe multi-stage rewrite: without ``options.unsafe`` there is nothing to try),
    and when every kind is declined for the same reason (not the runtime's fault)."""
    out: list[Candidate] = []
    for kind in CANDIDATE_ORDER:
        fix = fix_for(df, options, kind)
        if restructured(fix):
            out.append(Candidate(kind, "not-built", fix=fix, notes=fix_notes(fix)))
            continue
        reasons = [note for _line, code, note in fix.notes if code == RUNTIME_RULE]
        if reasons and not _never_runs(kind, reasons[0]):
            out.append(Candidate(kind, "declined", f"declined: {reasons[0]}", fix=fix))
    if len({c.reason for c in out}) == 1 and len(out) > 1 and out[0].outcome == "declined":
        return []  # declined whatever the runtime (pip --user...): the fix's notes say why
    return out


def decide(candidates: list[Candidate]) -> Candidate | None:
    """Keep the smallest of the candidates still ``kept`` (built, and passed its probe or
    had none); the others become ``dropped``, larger than it. None when none is left."""
    alive = [c for c in candidates if c.outcome == "kept" and c.side is not None]
    if not alive:
        return None
    winner = min(alive, key=lambda c: c.side.size if c.side is not None else 0)
    assert winner.side is not None
    for cand in alive:
        if cand is not winner and cand.side is not None:
            cand.outcome = "dropped"
            cand.reason = (
                f"larger than {winner.runtime} "
                f"({human_or_dash(cand.side.size)} > {human_or_dash(winner.side.size)})"
            )
    passed = winner.side.probe_passed is True
    winner.reason = (
        "kept: the smallest that passed its probe"
        if passed
        else "kept: the smallest built (no probe: NOT verified)"
    )
    return winner


def optimize_auto(options: OptimizeOptions, progress: Progress | None = None) -> OptimizeResult:
    """``optimize`` with ``--runtime auto`` (see the module's docstring)."""
    emit = progress or (lambda _step, _msg: None)
    df = lint_original(options, emit)
    candidates = plan(df, options) if options.unsafe else []
    todo = [c for c in candidates if c.outcome == "not-built"]
    if not todo:
        return _one_build(options, df, candidates, emit)
    first = todo[0]
    assert first.fix is not None
    result = new_result(options, first.fix)
    result.runtime = first.runtime
    result.candidates = candidates
    if not engine_ready(options, result):
        for cand in todo:
            cand.reason = "not built: " + ("--no-build" if not options.build else "no Docker engine")
        result.notes.append(
            "--runtime auto: nothing was built, so no runtime was chosen; the changes shown "
            f"are the {first.runtime} candidate's"
        )
        return result
    from slimline.engine import Engine

    with Engine.connect() as engine:
        session = Session(engine, options, emit)
        session.start(result)
        built: dict[str, str] = {}
        for number, cand in enumerate(todo, 1):
            emit("candidate", f"candidate {number}/{len(todo)}: the {cand.runtime} runtime")
            _try(session, df, cand, built)
    winner = decide(candidates)
    if winner is None:
        return _none_passed(result, todo, options, emit)
    assert winner.fix is not None
    take_fix(result, winner.fix)
    result.notes = list(winner.notes)
    result.runtime = winner.runtime
    result.after = winner.side
    finish(result, replace(options, runtime=winner.runtime), emit)
    result.message = f"{winner.runtime} runtime kept: {result.message}"
    return result


def _try(session: Session, df: Dockerfile, cand: Candidate, built: dict[str, str]) -> None:
    """Build and probe one candidate; its outcome says what happened."""
    assert cand.fix is not None
    side = ImageSide(tag=session.tag(cand.runtime))
    what = f"the {cand.runtime} candidate"
    try:
        rewrite = session.build_rewrite(df, cand.fix, side, cand.runtime, built, what)
    except EngineError as exc:
        cand.side = side
        cand.outcome, cand.reason = "dropped", f"does not build: {exc.message}"
        cand.failure_log = getattr(exc, "log_tail", "") or exc.message
        return
    cand.fix = rewrite.fix
    cand.notes += rewrite.notes
    if rewrite.same_as is not None:
        cand.outcome, cand.reason = "same", f"not built: same Dockerfile as {rewrite.same_as}"
        return
    built[rewrite_key(rewrite.fix)] = cand.runtime
    cand.side = side
    session.check(side, what)
    if side.probe_passed is False:
        cand.outcome, cand.reason = "dropped", f"failed probe: {side.probe_detail}"
        cand.failure_log = side.probe_logs
        return
    cand.outcome = "kept"  # for now: decide() keeps the smallest


def _none_passed(
    result: OptimizeResult, tried: list[Candidate], options: OptimizeOptions, emit: Progress
) -> OptimizeResult:
    """No candidate built and passed: the result shows the first that was built."""
    shown = next((c for c in tried if c.side is not None and c.side.size), tried[0])
    assert shown.fix is not None
    take_fix(result, shown.fix)
    result.notes = list(shown.notes)
    result.runtime = shown.runtime
    result.after = shown.side
    result.failure_log = shown.failure_log
    probed = any(c.reason.startswith("failed probe") for c in tried)
    if probed and result.before is not None and result.after is not None:
        analyze_side(result.before, options, emit, "analyze-before")
        analyze_side(result.after, options, emit, "analyze-after")
    result.status = "probe-failed" if probed else "build-failed"
    result.failed_step = "probe of every candidate" if probed else "build of every candidate"
    result.message = "no runtime candidate passed: " + "; ".join(
        f"{c.runtime} {c.reason}" for c in tried
    ) + "; nothing was written"
    return result


def _one_build(
    options: OptimizeOptions, df: Dockerfile, candidates: list[Candidate], emit: Progress
) -> OptimizeResult:
    """No kind has a rewrite: build the fixes (the same for every kind) once."""
    declined = {c.runtime: c for c in candidates}
    kind = "slim" if "slim" in declined or not declined else candidates[-1].runtime
    fix = declined[kind].fix if kind in declined else None
    result = optimize_fixed(replace(options, runtime=kind), df, fix or fix_for(df, options, kind), emit)
    result.candidates = candidates
    if not options.unsafe and any(f.code == RUNTIME_RULE for f in result.fix.remaining):
        result.notes.append(
            "--runtime auto: no runtime was tried; the multi-stage rewrite needs --unsafe"
        )
    return result
