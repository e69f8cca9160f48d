"""Which image builder is available, and through which docker CLI.

Three ways to build, best first:

``buildx``
    a docker CLI with the buildx plugin (``docker buildx build --load``);
    what Docker Desktop and docker-ce >= 23 ship.
``buildkit``
    a docker CLI older than 23, whose built-in BuildKit client runs when
    ``DOCKER_BUILDKIT=1`` is set (Debian's docker.io 20.10, for example).
    CLIs from 23 on dropped that client: without buildx they either refuse
    ``DOCKER_BUILDKIT=1`` or fall back to the legacy builder.
``legacy``
    the engine's classic builder, driven through the Docker SDK (no CLI
    needed). No ``RUN --mount``, no heredocs, no parallel stages.

Either BuildKit way also needs an engine that has BuildKit (18.09 or newer,
Linux). The choice is a pure function of what was found (:func:`choose_builder`)
so that it can be tested without running anything; :func:`probe_cli` and
:func:`cli_candidates` do the looking.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from slimline.errors import EngineError

#: Environment variable forcing a builder: buildx, buildkit, legacy or auto.
BUILDER_ENV = "SLIMLINE_BUILDER"
#: Environment variable naming a docker CLI to consider before those on PATH.
DOCKER_CLI_ENV = "SLIMLINE_DOCKER_CLI"

#: Places a distribution's docker CLI lives even when another one comes first on PATH.
WELL_KNOWN_CLIS: tuple[str, ...] = ("/usr/bin/docker",)

_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


class BuilderKind(StrEnum):
    """How an image gets built."""

    BUILDX = "buildx"
    BUILDKIT = "buildkit"
    LEGACY = "legacy"

    @property
    def is_buildkit(self) -> bool:
        return self is not BuilderKind.LEGACY

    def describe(self) -> str:
        return {
            BuilderKind.BUILDX: "BuildKit (docker buildx)",
            BuilderKind.BUILDKIT: "BuildKit (DOCKER_BUILDKIT=1, CLI built-in client)",
            BuilderKind.LEGACY: "legacy builder (Docker SDK)",
        }[self]


@dataclass(frozen=True)
class CliInfo:
    """What was found about one docker CLI binary."""

    path: str
    version: tuple[int, int, int] | None
    has_buildx: bool
    buildx_version: str | None = None

    @property
    def has_builtin_buildkit(self) -> bool:
        """True for CLIs before 23.0, which carry their own BuildKit client."""
        return self.version is not None and self.version[0] < 23


@dataclass(frozen=True)
class BuilderChoice:
    """The builder to use, the CLI that drives it (None for legacy), and why."""

    kind: BuilderKind
    cli: str | None
    reason: str

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment to run :attr:`cli` with."""
        env = dict(os.environ if base is None else base)
        if self.kind is BuilderKind.BUILDKIT:
            env["DOCKER_BUILDKIT"] = "1"
        return env


def parse_version(text: str) -> tuple[int, int, int] | None:
    """The first ``X.Y[.Z]`` in ``text`` (``Docker version 20.10.24+dfsg1, ...``)."""
    match = _VERSION_RE.search(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def engine_supports_buildkit(server_version: str | None, os_type: str | None) -> bool:
    """BuildKit runs inside Linux engines from 18.09 on."""
    if os_type is not None and os_type.lower() != "linux":
        return False
    if server_version is None:
        return True
    version = parse_version(server_version)
    return version is None or version >= (18, 9, 0)


def choose_builder(
    clis: Sequence[CliInfo],
    *,
    engine_buildkit: bool = True,
    forced: str | None = None,
) -> BuilderChoice:
    """Pick the builder from what was found, best first (see the module doc).

    ``forced`` (``buildx``, ``buildkit``, ``legacy`` or ``auto``/None) makes the
    choice explicit; a forced builder that is not available raises
    :class:`EngineError` rather than silently building another way.
    """
    wanted = (forced or "auto").strip().lower()
    if wanted not in {"auto", "buildx", "buildkit", "legacy"}:
        raise EngineError(f"{BUILDER_ENV}={forced!r}: expected buildx, buildkit, legacy or auto")
    if wanted == "legacy":
        return BuilderChoice(BuilderKind.LEGACY, None, "legacy builder requested")

    if not engine_buildkit:
        if wanted != "auto":
            raise EngineError(f"builder {wanted!r} requested but the engine has no BuildKit")
        return BuilderChoice(BuilderKind.LEGACY, None, "the engine has no BuildKit")

    if wanted in {"auto", "buildx"}:
        for cli in clis:
            if cli.has_buildx:
                version = f" {cli.buildx_version}" if cli.buildx_version else ""
                return BuilderChoice(
                    BuilderKind.BUILDX, cli.path, f"{cli.path} has the buildx plugin{version}"
                )
        if wanted == "buildx":
            raise EngineError("builder 'buildx' requested but no docker CLI has the buildx plugin")

    for cli in clis:
        if cli.has_builtin_buildkit:
            assert cli.version is not None
            shown = ".".join(map(str, cli.version))
            return BuilderChoice(
                BuilderKind.BUILDKIT,
                cli.path,
                f"{cli.path} ({shown}) builds with BuildKit when DOCKER_BUILDKIT=1",
            )
    if wanted == "buildkit":
        raise EngineError(
            "builder 'buildkit' requested but no docker CLI has buildx or a built-in BuildKit client"
        )

    if clis:
        shown = ", ".join(
            f"{cli.path} ({'.'.join(map(str, cli.version)) if cli.version else '?'})"
            for cli in clis
        )
        reason = f"no buildx plugin and no pre-23 docker CLI among {shown}"
    else:
        reason = "no docker CLI found"
    return BuilderChoice(BuilderKind.LEGACY, None, reason)


def cli_candidates(
    path_env: str | None = None, extra: Iterable[str] = (), env: Mapping[str, str] | None = None
) -> list[str]:
    """Docker CLIs to consider, in order, each file once: ``$SLIMLINE_DOCKER_CLI``,
    then every ``docker`` on PATH, then :data:`WELL_KNOWN_CLIS`."""
    env = os.environ if env is None else env
    search = env.get("PATH", os.defpath) if path_env is None else path_env
    found: list[str] = []
    seen: set[str] = set()

    def add(candidate: str | None) -> None:
        if not candidate:
            return
        path = Path(candidate)
        if not (path.is_file() and os.access(path, os.X_OK)):
            return
        real = str(path.resolve())
        if real in seen:
            return
        seen.add(real)
        found.append(str(path))

    add(env.get(DOCKER_CLI_ENV))
    for directory in search.split(os.pathsep):
        if directory:
            add(str(Path(directory) / "docker"))
    for candidate in (*extra, *WELL_KNOWN_CLIS):
        add(candidate)
    return found


def _run(argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def probe_cli(path: str, timeout: float = 10.0) -> CliInfo:
    """Ask one docker CLI its version and whether it has buildx (no engine needed)."""
    version_run = _run([path, "--version"], timeout)
    version = None
    if version_run is not None and version_run.returncode == 0:
        version = parse_version(version_run.stdout)
    buildx_run = _run([path, "buildx", "version"], timeout)
    has_buildx = buildx_run is not None and buildx_run.returncode == 0
    buildx_version = None
    if has_buildx and buildx_run is not None:
        words = buildx_run.stdout.split()
        buildx_version = words[1] if len(words) > 1 else None
    return CliInfo(path=path, version=version, has_buildx=has_buildx, buildx_version=buildx_version)


def detect_builder(
    *,
    engine_buildkit: bool = True,
    forced: str | None = None,
    env: Mapping[str, str] | None = None,
) -> BuilderChoice:
    """Look at the docker CLIs on this machine and choose (``$SLIMLINE_BUILDER``
    forces a builder when ``forced`` is None)."""
    env = os.environ if env is None else env
    if forced is None:
        forced = env.get(BUILDER_ENV) or None
    if forced is not None and forced.strip().lower() == "legacy":
        return choose_builder([], forced="legacy")
    clis = [probe_cli(path) for path in cli_candidates(env=env)]
    return choose_builder(clis, engine_buildkit=engine_buildkit, forced=forced)
