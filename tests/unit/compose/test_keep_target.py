"""A build target that named the original's last stage names the shipped stage again
after the multi-stage rewrite (compose's build.target needs no change)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.dockerfile.parser import parse
from slimline.fix.engine import FixResult, fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.fix.target import keep_target
from slimline.lint.config import LintConfig

WEB = Path(__file__).resolve().parents[3] / "examples" / "compose-two-services" / "web"


def retarget(original: str, fixed: str, target: str | None) -> tuple[str, str]:
    result, note = keep_target(FixResult("Dockerfile", original, fixed), parse(original), target)
    return result.fixed, note


def test_the_go_rewrite_of_the_example_keeps_its_target() -> None:
    df = parse((WEB / "Dockerfile").read_text(), WEB / "Dockerfile")
    fix = fix_dockerfile(df, LintConfig(), WEB, unsafe=True, options=FixOptions(runtime="distroless"))
    kept, note = keep_target(fix, df, "app")
    fixed = parse(kept.fixed)
    assert [s.name for s in fixed.stages] == ["app-build", "app"]
    assert fixed.stages[-1].base_expanded == "gcr.io/distroless/static-debian12:nonroot"
    assert "COPY --from=app-build /usr/local/bin/web" in kept.fixed
    assert "'app-build'" in note
    assert kept.files == fix.files and kept.applied == fix.applied


def test_every_reference_to_the_stage_is_renamed() -> None:
    original = "FROM golang:1.19 AS App\nRUN go build -o /x .\n"
    fixed = (
        "FROM golang:1.19 as App\nRUN go build -o /x .\n"
        "FROM App AS test\nRUN --mount=type=bind,from=app,target=/src true\n"
        "FROM scratch AS runtime\nCOPY --from=App /x /x\n"
    )
    text, _ = retarget(original, fixed, "App")
    assert text == (
        "FROM golang:1.19 as App-build\nRUN go build -o /x .\n"
        "FROM App-build AS test\nRUN --mount=type=bind,from=App-build,target=/src true\n"
        "FROM scratch AS App\nCOPY --from=App-build /x /x\n"
    )


def test_a_free_name_is_chosen() -> None:
    original = "FROM debian AS app-build\nFROM debian AS app\n"
    fixed = "FROM debian AS app-build\nFROM debian AS app\nFROM scratch\nCOPY --from=app / /\n"
    text, _ = retarget(original, fixed, "app")
    assert text == (
        "FROM debian AS app-build\nFROM debian AS app-build-1\nFROM scratch AS app\n"
        "COPY --from=app-build-1 / /\n"
    )


@pytest.mark.parametrize(
    ("original", "fixed", "target"),
    [
        # no target, or a target that is not the last stage: the stages stay as they are
        ("FROM debian AS app\n", "FROM debian AS app\nFROM scratch\n", None),
        ("FROM debian AS dev\nFROM debian AS prod\n", "FROM debian AS dev\nFROM debian AS prod\nFROM scratch\n", "dev"),
        # the rewrite kept the target last, or changed nothing
        ("FROM debian AS app\nRUN a\nRUN b\n", "FROM debian AS app\nRUN a && b\n", "app"),
        ("FROM debian AS app\n", "FROM debian AS app\n", "app"),
    ],
)
def test_unchanged(original: str, fixed: str, target: str | None) -> None:
    assert retarget(original, fixed, target) == (fixed, "")
