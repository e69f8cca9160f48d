"""``slimline analyze`` as one call: open, read, analyse, attribute, judge."""

from __future__ import annotations

from dataclasses import dataclass, field

from slimline.analysis.analyze import AnalyzeOptions, BaseHint, analyze_image
from slimline.analysis.ci import Gate, evaluate
from slimline.analysis.model import AnalysisResult
from slimline.analysis.recommend import recommend
from slimline.image import Platform, ProgressSink, naming_errors, open_image
from slimline.image.lookup import base_identity, identity_of


@dataclass(frozen=True)
class AnalyzeRequest:
    """What the user asked ``slimline analyze`` for."""

    reference: str
    platform: str | None = None
    dockerfile: str | None = None
    base: str | None = None
    top: int = 10
    verify_all: bool = False
    workers: int | None = None
    gates: list[Gate] = field(default_factory=list)


def run_analyze(request: AnalyzeRequest, progress: ProgressSink | None = None) -> AnalysisResult:
    """Analyse one image; raises :class:`~slimline.errors.SlimlineError` on bad input."""
    platform = Platform.parse(request.platform) if request.platform else None
    dockerfile = None
    if request.dockerfile is not None:
        from slimline.analysis.dockerfile_map import match_dockerfile
        from slimline.dockerfile import parse_file

        dockerfile = parse_file(request.dockerfile)
    warnings: list[str] = []
    with (
        naming_errors(request.reference),
        open_image(
            request.reference,
            platform=platform,
            verify_all=request.verify_all,
            progress=progress,
        ) as image,
    ):
        image.check_platform(platform)
        match = None
        base_name = request.base
        if dockerfile is not None:
            match = match_dockerfile(dockerfile, image.config.history, request.dockerfile or "")
            base_name = base_name or match.base_name
        hint: BaseHint | None = None
        if request.base is not None:
            ident = identity_of(request.base, platform)
            hint = BaseHint(ident.diff_ids, ident.history_length, request.base)
        elif match is not None and match.base_name:
            ident2 = base_identity(match.base_name, image, platform)
            if ident2 is not None:
                hint = BaseHint(ident2.diff_ids, ident2.history_length, match.base_name)
        options = AnalyzeOptions(
            top=request.top,
            verify_all=request.verify_all,
            workers=request.workers,
            base=hint,
            base_name=base_name,
        )
        result = analyze_image(image, options, progress)
        history = image.config.history
    if hint is not None and result.base.method != "base-image":
        warnings.append(f"the layers of {hint.name} are not the first layers of this image; "
                        "base layers were guessed from the history")
    result.recommendations = recommend(result)
    if dockerfile is not None and match is not None:
        from slimline.analysis.dockerfile_map import attach, match_dockerfile

        start = result.base.history_entries if result.base.method in ("base-image",
                                                                      "history") else 0
        scoped = match_dockerfile(dockerfile, history, request.dockerfile or "", start)
        if scoped.plausible or not match.plausible:
            match = scoped
        if not match.plausible:
            warnings.append(
                f"{request.dockerfile} does not look like the Dockerfile this image was built "
                f"from ({match.run_text_matches} of {match.run_instructions} RUN commands "
                "found in its history)"
            )
        attach(result, match)
        result.dockerfile = request.dockerfile
    result.gates = evaluate(result, request.gates)
    result.warnings.extend(warnings)
    return result
