"""The Docker engine: build images, run them, probe them, measure them.

Builds go through the docker CLI when BuildKit is available (buildx, or a
pre-23 CLI with ``DOCKER_BUILDKIT=1``) and through the Docker SDK's legacy
builder otherwise (see :mod:`slimline.engine.builder`). Everything else
(inspect, run, logs, removal) goes through the Docker SDK.

Containers publish their ports on 127.0.0.1 only, with a host port the engine
picks, and are always removed afterwards.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import docker
import docker.errors

from slimline import dockerapi
from slimline.dockerapi import API_TIMEOUT, ENGINE_ERRORS, PING_TIMEOUT, short_error
from slimline.dockerfile.model import Directive
from slimline.engine.builder import (
    BuilderChoice,
    BuilderKind,
    detect_builder,
    engine_supports_buildkit,
)
from slimline.engine.probe import ProbeConfig
from slimline.engine.probing import LogCallback, ProbeResult, run_container_probe
from slimline.errors import EngineError, ParseError

#: How many lines of a build or container log an error keeps.
LOG_TAIL_LINES = 40


@dataclass(frozen=True)
class EngineInfo:
    """What the engine says about itself."""

    server_version: str
    api_version: str
    os_type: str
    architecture: str
    storage_driver: str
    base_url: str

    @property
    def buildkit_capable(self) -> bool:
        return engine_supports_buildkit(self.server_version, self.os_type)


@dataclass(frozen=True)
class BuildResult:
    """A finished build: the image, how it was built, how long it took."""

    image_id: str
    tag: str | None
    builder: BuilderKind
    cli: str | None
    duration_s: float
    log_tail: str
    notes: tuple[str, ...] = ()


class BuildError(EngineError):
    """A build that failed; ``log_tail`` holds the last lines of its log."""

    def __init__(
        self, message: str, *, log_tail: str, builder: BuilderKind, path: str | Path | None = None
    ) -> None:
        super().__init__(message, path=path)
        self.log_tail = log_tail
        self.builder = builder


def _tail(lines: Sequence[str] | deque[str]) -> str:
    return "\n".join(list(lines)[-LOG_TAIL_LINES:])


def _last_error_line(lines: Sequence[str] | deque[str]) -> str:
    """The most telling line of a failed build log, for one-line messages."""
    for line in reversed(list(lines)):
        text = line.strip()
        lowered = text.lower()
        if text and ("error" in lowered or "failed" in lowered):
            return text[:300]
    for line in reversed(list(lines)):
        if line.strip():
            return line.strip()[:300]
    return "no output"


def _directives(text: str) -> list[Directive]:
    """The parser directives at the top of a Dockerfile ([] when it does not parse)."""
    from slimline.dockerfile import parse

    try:
        dockerfile = parse(text)
    except ParseError:
        return []
    return [node for node in dockerfile.nodes if isinstance(node, Directive)]


def syntax_directive(text: str) -> str | None:
    """The value of the ``# syntax=`` parser directive, if any."""
    for directive in _directives(text):
        if directive.name == "syntax":
            return directive.value
    return None


def strip_syntax_directive(text: str) -> str | None:
    """The Dockerfile without its ``# syntax=`` parser directive, or None when
    it has none. The other directives stay first and every later line keeps its
    line number (a plain ``#`` line takes the removed line's place after them).
    """
    directives = _directives(text)
    if not any(d.name == "syntax" for d in directives):
        return None
    kept = "".join(text[d.span.start : d.span.end] for d in directives if d.name != "syntax")
    block_end = max(d.span.end for d in directives)
    newline = "" if kept.endswith("\n") or not kept else "\n"
    return kept + newline + "#\n" + text[block_end:]


def _frontend_unavailable(log: Sequence[str] | deque[str], frontend: str) -> bool:
    """True when a BuildKit build failed because its syntax frontend image could
    not be resolved (no registry access, image absent)."""
    repository = frontend.split("@", 1)[0].rsplit(":", 1)[0]
    markers = (
        "resolve image config",
        "resolve source metadata",
        "failed to do request",
        "no such host",
        "pull access denied",
    )
    return any(repository in line and any(marker in line for marker in markers) for line in log)


class Engine:
    """A connection to a Docker engine (use :meth:`connect`)."""

    def __init__(self, client: Any, base_url: str | None = None) -> None:
        self._client = client
        self._base_url = base_url
        self._builder: BuilderChoice | None = None
        self._info: EngineInfo | None = None

    # -- connection -------------------------------------------------------------------------
    @classmethod
    def connect(cls, base_url: str | None = None, *, timeout: float = API_TIMEOUT) -> Engine:
        """Connect to ``base_url``, else to ``$DOCKER_HOST``, else to the default
        socket; raise :class:`EngineError` when nothing answers."""
        return cls(dockerapi.connect(base_url, timeout=timeout), base_url)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def client(self) -> Any:
        """The underlying ``docker.DockerClient``."""
        return self._client

    def info(self) -> EngineInfo:
        if self._info is None:
            version = self._client.version()
            info = self._client.info()
            self._info = EngineInfo(
                server_version=str(version.get("Version", "")),
                api_version=str(version.get("ApiVersion", "")),
                os_type=str(info.get("OSType", version.get("Os", ""))),
                architecture=str(info.get("Architecture", version.get("Arch", ""))),
                storage_driver=str(info.get("Driver", "")),
                base_url=str(self._client.api.base_url),
            )
        return self._info

    def builder(self, forced: str | None = None) -> BuilderChoice:
        """The builder :meth:`build` uses (detected once per connection)."""
        if forced is not None:
            return detect_builder(engine_buildkit=self.info().buildkit_capable, forced=forced)
        if self._builder is None:
            self._builder = detect_builder(engine_buildkit=self.info().buildkit_capable)
        return self._builder

    def _cli_env(self, choice: BuilderChoice) -> dict[str, str]:
        env = choice.env()
        if self._base_url is not None:
            env["DOCKER_HOST"] = self._base_url
        return env

    # -- images -----------------------------------------------------------------------------
    def image_attrs(self, ref: str) -> dict[str, Any]:
        """``docker image inspect`` of ``ref``; :class:`EngineError` when absent."""
        try:
            return cast(dict[str, Any], self._client.api.inspect_image(ref))
        except docker.errors.ImageNotFound as exc:
            raise EngineError(f"no image {ref!r} in the engine") from exc
        except ENGINE_ERRORS as exc:
            raise EngineError(f"cannot inspect image {ref!r}: {short_error(exc)}") from exc

    def image_exists(self, ref: str) -> bool:
        try:
            self._client.api.inspect_image(ref)
        except docker.errors.ImageNotFound:
            return False
        return True

    def image_id(self, ref: str) -> str:
        return str(self.image_attrs(ref)["Id"])

    def image_size(self, ref: str) -> int:
        """Uncompressed size in bytes, as ``docker image inspect`` reports it."""
        return int(self.image_attrs(ref)["Size"])

    def remove_image(self, ref: str, *, force: bool = True) -> None:
        """Remove an image (or one tag of it); absent images are not an error."""
        try:
            self._client.api.remove_image(ref, force=force)
        except docker.errors.ImageNotFound:
            return
        except ENGINE_ERRORS as exc:
            raise EngineError(f"cannot remove image {ref!r}: {short_error(exc)}") from exc

    # -- builds -----------------------------------------------------------------------------
    def build(
        self,
        context: str | Path,
        *,
        dockerfile: str | Path | None = None,
        tag: str | None = None,
        target: str | None = None,
        build_args: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        no_cache: bool = False,
        on_log: LogCallback | None = None,
        builder: str | None = None,
        timeout: float | None = None,
    ) -> BuildResult:
        """Build ``context`` (with ``dockerfile``, default ``context/Dockerfile``).

        The log streams line by line to ``on_log``. Returns the image id and the
        builder that ran; raises :class:`BuildError` with the log's tail on
        failure. With BuildKit, a ``# syntax=`` frontend image that cannot be
        resolved (no registry access) makes the build run again with the
        engine's built-in frontend, and the result says so in ``notes``.
        """
        context_path = Path(context)
        if not context_path.is_dir():
            raise EngineError("build context is not a directory", path=context_path)
        dockerfile_path = (
            Path(dockerfile) if dockerfile is not None else context_path / "Dockerfile"
        )
        if (
            not dockerfile_path.is_absolute()
            and dockerfile is not None
            and not dockerfile_path.exists()
        ):
            dockerfile_path = context_path / dockerfile_path
        if not dockerfile_path.is_file():
            raise EngineError("no Dockerfile here", path=dockerfile_path)
        choice = self.builder(builder)
        notes: list[str] = []
        text = dockerfile_path.read_text(encoding="utf-8", errors="surrogateescape")
        frontend = syntax_directive(text)
        if frontend is not None and choice.kind is BuilderKind.LEGACY:
            notes.append(f"the legacy builder ignores the '# syntax={frontend}' directive")

        started = time.monotonic()
        if choice.kind is BuilderKind.LEGACY:
            image_id, log = self._build_legacy(
                context_path,
                dockerfile_path,
                tag,
                target,
                build_args,
                labels,
                no_cache,
                on_log,
                timeout,
            )
        else:
            try:
                image_id, log = self._build_cli(
                    choice,
                    context_path,
                    dockerfile_path,
                    tag,
                    target,
                    build_args,
                    labels,
                    no_cache,
                    on_log,
                    timeout,
                )
            except BuildError as exc:
                stripped = strip_syntax_directive(text) if frontend is not None else None
                if (
                    stripped is None
                    or frontend is None
                    or not _frontend_unavailable(exc.log_tail.splitlines(), frontend)
                ):
                    raise
                notes.append(
                    f"the Dockerfile frontend {frontend} could not be resolved (no registry "
                    "access); built with the engine's built-in Dockerfile frontend instead"
                )
                if on_log is not None:
                    on_log(f"slimline: {notes[-1]}")
                with tempfile.TemporaryDirectory(prefix="slimline-dockerfile-") as tmp:
                    copy = Path(tmp) / dockerfile_path.name
                    copy.write_text(stripped, encoding="utf-8", errors="surrogateescape")
                    image_id, log = self._build_cli(
                        choice,
                        context_path,
                        copy,
                        tag,
                        target,
                        build_args,
                        labels,
                        no_cache,
                        on_log,
                        timeout,
                    )
        return BuildResult(
            image_id=image_id,
            tag=tag,
            builder=choice.kind,
            cli=choice.cli,
            duration_s=time.monotonic() - started,
            log_tail=_tail(log),
            notes=tuple(notes),
        )

    def _build_cli(
        self,
        choice: BuilderChoice,
        context: Path,
        dockerfile: Path,
        tag: str | None,
        target: str | None,
        build_args: Mapping[str, str] | None,
        labels: Mapping[str, str] | None,
        no_cache: bool,
        on_log: LogCallback | None,
        timeout: float | None,
    ) -> tuple[str, deque[str]]:
        assert choice.cli is not None
        with tempfile.TemporaryDirectory(prefix="slimline-build-") as tmp:
            iidfile = Path(tmp) / "iid"
            argv = [choice.cli]
            argv += (
                ["buildx", "build", "--load"] if choice.kind is BuilderKind.BUILDX else ["build"]
            )
            argv += ["--progress=plain", "--iidfile", str(iidfile), "-f", str(dockerfile)]
            if tag:
                argv += ["-t", tag]
            if target:
                argv += ["--target", target]
            if no_cache:
                argv.append("--no-cache")
            for key, value in (build_args or {}).items():
                argv += ["--build-arg", f"{key}={value}"]
            for key, value in (labels or {}).items():
                argv += ["--label", f"{key}={value}"]
            argv.append(str(context))
            log: deque[str] = deque(maxlen=400)
            returncode, timed_out = self._stream(argv, self._cli_env(choice), log, on_log, timeout)
            if timed_out:
                raise BuildError(
                    f"build did not finish within {timeout:g} s",
                    log_tail=_tail(log),
                    builder=choice.kind,
                    path=dockerfile,
                )
            if returncode != 0:
                raise BuildError(
                    f"build failed with {choice.kind.describe()}: {_last_error_line(log)}",
                    log_tail=_tail(log),
                    builder=choice.kind,
                    path=dockerfile,
                )
            image_id = iidfile.read_text().strip() if iidfile.exists() else ""
        if not image_id and tag:
            image_id = self.image_id(tag)
        if not image_id:
            raise BuildError(
                "build succeeded but reported no image id",
                log_tail=_tail(log),
                builder=choice.kind,
                path=dockerfile,
            )
        return image_id, log

    @staticmethod
    def _stream(
        argv: list[str],
        env: dict[str, str],
        log: deque[str],
        on_log: LogCallback | None,
        timeout: float | None,
    ) -> tuple[int, bool]:
        try:
            process = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                text=True,
                errors="replace",
                bufsize=1,
            )
        except OSError as exc:
            raise EngineError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
        timed_out = threading.Event()
        timer: threading.Timer | None = None
        if timeout is not None:

            def expire() -> None:
                timed_out.set()
                process.kill()

            timer = threading.Timer(timeout, expire)
            timer.start()
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.rstrip("\n")
                log.append(line)
                if on_log is not None:
                    on_log(line)
            returncode = process.wait()
        finally:
            if timer is not None:
                timer.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
        return returncode, timed_out.is_set()

    def _build_legacy(
        self,
        context: Path,
        dockerfile: Path,
        tag: str | None,
        target: str | None,
        build_args: Mapping[str, str] | None,
        labels: Mapping[str, str] | None,
        no_cache: bool,
        on_log: LogCallback | None,
        timeout: float | None,
    ) -> tuple[str, deque[str]]:
        log: deque[str] = deque(maxlen=400)
        image_id = ""
        error: str | None = None
        deadline = None if timeout is None else time.monotonic() + timeout
        pending = ""

        def emit(text: str) -> None:
            nonlocal pending
            pending += text
            while "\n" in pending:
                line, pending = pending.split("\n", 1)
                log.append(line)
                if on_log is not None:
                    on_log(line)

        try:
            relative = os.path.relpath(dockerfile.resolve(), context.resolve())
            stream: Iterator[dict[str, Any]] = self._client.api.build(
                path=str(context),
                dockerfile=relative if not relative.startswith("..") else str(dockerfile.resolve()),
                tag=tag,
                target=target,
                buildargs=dict(build_args or {}),
                labels=dict(labels or {}),
                nocache=no_cache,
                rm=True,
                forcerm=True,
                decode=True,
            )
            for chunk in stream:
                if "stream" in chunk:
                    emit(str(chunk["stream"]))
                elif "status" in chunk:
                    emit(f"{chunk['status']} {chunk.get('progress', '')}".rstrip() + "\n")
                if "error" in chunk:
                    error = str(chunk["error"]).strip()
                    emit(error + "\n")
                aux = chunk.get("aux")
                if isinstance(aux, dict) and "ID" in aux:
                    image_id = str(aux["ID"])
                if deadline is not None and time.monotonic() > deadline:
                    error = f"build did not finish within {timeout:g} s"
                    break
        except ENGINE_ERRORS as exc:
            error = short_error(exc)
        if pending:
            emit("\n")
        if error is not None:
            raise BuildError(
                f"build failed with {BuilderKind.LEGACY.describe()}: {error[:300]}",
                log_tail=_tail(log),
                builder=BuilderKind.LEGACY,
                path=dockerfile,
            )
        if not image_id and tag:
            image_id = self.image_id(tag)
        if not image_id:
            raise BuildError(
                "build finished but reported no image id",
                log_tail=_tail(log),
                builder=BuilderKind.LEGACY,
                path=dockerfile,
            )
        return image_id, log

    # -- containers -------------------------------------------------------------------------
    def run_probe(
        self, image: str, probe: ProbeConfig, *, on_log: LogCallback | None = None
    ) -> ProbeResult:
        """Start ``image``, check it with ``probe``, collect its logs, remove it.

        HTTP probes publish the probe's port on 127.0.0.1 (a host port the
        engine picks) and retry until the expected answer comes or the
        timeout passes; command probes run ``probe.command`` instead of the
        image's CMD and check its exit code and output. The container is
        removed whatever happens.
        """
        if not self.image_exists(image):
            raise EngineError(f"no image {image!r} in the engine")
        return run_container_probe(self._client, image, probe, on_log=on_log)


def engine_available(base_url: str | None = None) -> tuple[bool, str]:
    """Whether an engine answers, and a one-line reason either way."""
    try:
        with Engine.connect(base_url, timeout=PING_TIMEOUT) as engine:
            info = engine.info()
    except EngineError as exc:
        return False, str(exc)
    return True, f"Docker Engine {info.server_version} at {info.base_url}"
