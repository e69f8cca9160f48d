"""``slimline optimize`` on a compose project: every service with a ``build:``, one by one.

Each service goes through the single-project pipeline (:func:`slimline.optimize.optimize`)
with its context, Dockerfile, target and build arguments, and is probed alone: nothing
orchestrates ``depends_on``, so a service that needs another one to answer its probe
sets ``x-slimline-probe`` to a command probe, or ``false`` (then it is "not probed").
The total is what the project ships: each service's optimized image when it passed,
its original otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from slimline import fsio
from slimline.compose import ComposeProject, ComposeService
from slimline.dockerfile.parser import parse
from slimline.errors import SlimlineError
from slimline.lint.config import load_config
from slimline.optimize import OptimizeOptions, OptimizeResult, Progress, optimize
from slimline.units import DEFAULT_BANDWIDTH_BPS

#: A service's status: the single pipeline's, or "skipped" (not buildable by slimline),
#: "error" (its original does not build, its Dockerfile cannot be read...) or
#: NOT_VERIFIABLE (its original fails its probe alone).
FAILED = frozenset({"build-failed", "probe-failed", "error"})
#: The original image fails its probe when started alone: nothing can be verified for
#: the service (it likely needs another one), so it is neither a gain nor a failure of
#: slimline; it is not written and the exit code is 1, as for a single project.
NOT_VERIFIABLE = "not-verifiable"
NOT_VERIFIABLE_MESSAGE = (
    "not verifiable alone: the original fails its probe too "
    "(does it need another service? set x-slimline-probe)"
)


@dataclass(slots=True)
class ServiceResult:
    service: ComposeService
    status: str
    message: str
    result: OptimizeResult | None = None
    #: Files --write wrote, and where the original Dockerfile was kept.
    written: list[Path] = field(default_factory=list)
    backup: Path | None = None

    @property
    def name(self) -> str:
        return self.service.name

    @property
    def before(self) -> int | None:
        side = self.result.before if self.result else None
        return side.size if side else None

    @property
    def after(self) -> int | None:
        side = self.result.after if self.result else None
        return side.size if side else None

    @property
    def kept(self) -> bool:
        """The optimized image is what ships: smaller, and its probe did not fail."""
        return self.status == "optimized"

    @property
    def runtime(self) -> str:
        """The base of the shipped stage of the image that ships (the optimized
        Dockerfile's when it is kept, else the original's)."""
        if self.result is None:
            return "-"
        text = self.result.fix.fixed if self.kept else self.result.fix.original
        try:
            final = parse(text).final_stage
        except SlimlineError:
            return "-"
        return final.base_expanded if final is not None else "-"

    @property
    def probe(self) -> str:
        """passed, FAILED, not probed (and why)."""
        if self.service.probe_source == "disabled":
            return "not probed (x-slimline-probe: false)"
        if self.service.probe is None:
            return "not probed (no published TCP port, no probe configured)"
        side = None
        if self.result is not None:
            side = self.result.after or self.result.before
        if side is None or side.probe_passed is None:
            return "not run"
        if self.status == NOT_VERIFIABLE:
            return "FAILED (the original too)"
        return "passed" if side.probe_passed else "FAILED"


@dataclass(slots=True)
class ComposeResult:
    compose_file: Path
    project: str
    services: list[ServiceResult]
    ignored: list[str]
    notes: list[str]
    runtime: str
    unsafe: bool

    @property
    def failed(self) -> bool:
        """An optimized image, or an original, does not build, or an optimized image
        fails a probe its original passes."""
        return any(s.status in FAILED for s in self.services)

    @property
    def unverified(self) -> list[str]:
        """The services whose original fails its probe alone."""
        return [s.name for s in self.services if s.status == NOT_VERIFIABLE]

    def totals(self) -> tuple[int, int] | None:
        """(before, after) bytes over the services that were built: after counts each
        service's optimized image when it is kept, its original otherwise."""
        built = [s for s in self.services if s.before is not None]
        if not built:
            return None
        before = sum(s.before or 0 for s in built)
        after = sum((s.after if s.kept and s.after is not None else s.before) or 0 for s in built)
        return before, after


@dataclass(frozen=True, slots=True)
class ComposeOptions:
    """What applies to every service (the single pipeline's options without the paths)."""

    unsafe: bool = False
    runtime: str = "slim"
    build: bool = True
    bandwidth_bps: int = DEFAULT_BANDWIDTH_BPS
    config_path: Path | None = None


def _tag_prefix(project: str, service: str) -> str:
    """``slimline-optimize/PROJECT-SERVICE``: one path component of a valid image name
    (lower-case letters and digits joined by single dashes) whatever the names hold."""
    component = re.sub(r"[^a-z0-9]+", "-", f"{project}-{service}".lower()).strip("-")
    return f"slimline-optimize/{component or 'service'}"


def optimize_compose(
    project: ComposeProject, options: ComposeOptions, progress: Progress | None = None
) -> ComposeResult:
    """Optimize every built service of ``project``; a service that fails does not stop
    the others."""
    emit = progress or (lambda _step, _msg: None)
    result = ComposeResult(
        compose_file=project.path,
        project=project.name,
        services=[],
        ignored=list(project.ignored),
        notes=list(project.notes),
        runtime=options.runtime,
        unsafe=options.unsafe,
    )
    for service in project.services:
        if service.skip is not None or service.context is None or service.dockerfile is None:
            result.services.append(ServiceResult(service, "skipped", service.skip or "not built"))
            continue

        def prefixed(step: str, message: str, _name: str = service.name) -> None:
            emit(step, message if step == "log" else f"[{_name}] {message}")

        single = OptimizeOptions(
            dockerfile=service.dockerfile,
            context=service.context,
            unsafe=options.unsafe,
            runtime=options.runtime,
            config=load_config(service.dockerfile, options.config_path),
            probe=service.probe,
            build=options.build,
            tag_prefix=_tag_prefix(project.name, service.name),
            target=service.target,
            build_args=dict(service.args),
            bandwidth_bps=options.bandwidth_bps,
        )
        try:
            outcome = optimize(single, prefixed)
        except SlimlineError as exc:
            result.services.append(ServiceResult(service, "error", str(exc)))
            continue
        result.services.append(service_result(service, outcome))
    return result


def service_result(service: ComposeService, outcome: OptimizeResult) -> ServiceResult:
    """The single pipeline's outcome as a service's result: NOT_VERIFIABLE when the
    original image was probed and failed (whatever its rewrites did), since nothing
    then says what the service should answer alone."""
    before = outcome.before
    if before is not None and before.probe_passed is False:
        detail = f" ({before.probe_detail})" if before.probe_detail else ""
        return ServiceResult(service, NOT_VERIFIABLE, NOT_VERIFIABLE_MESSAGE + detail, outcome)
    return ServiceResult(service, outcome.status, outcome.message, outcome)


def write_verified(result: ComposeResult) -> list[ServiceResult]:
    """``--write``: each service whose optimized image passed its probe gets its
    Dockerfile (the original kept as ``.orig``) and ``.dockerignore`` written
    atomically. Returns the services written."""
    written: list[ServiceResult] = []
    for service in result.services:
        single = service.result
        if (
            single is None
            or service.status not in ("optimized", "no-gain")
            or single.after is None
            or single.after.probe_passed is not True
        ):
            continue
        fix = single.fix
        if fix.fixed != fix.original:
            service.backup = fsio.rewrite(
                single.dockerfile,
                fix.fixed.encode("utf-8", "surrogateescape"),
                expected=fix.original.encode("utf-8", "surrogateescape"),
            )
            service.written.append(single.dockerfile)
        for other, content in fix.files.items():
            fsio.write_atomic(other, content)
            service.written.append(other)
        written.append(service)
    return written
