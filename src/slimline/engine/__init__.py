"""Build, run and probe images with the real Docker engine.

The API (all typed, nothing printed):

- :meth:`Engine.connect` connects to ``$DOCKER_HOST`` or the default socket
  (:class:`~slimline.errors.EngineError` when nothing answers);
  :func:`engine_available` says whether one answers. The client itself (how
  it is made, its timeouts, its errors) is :mod:`slimline.dockerapi`'s, the
  same one the ``docker-daemon:`` image transport uses.
- :meth:`Engine.builder` / :func:`detect_builder` find the builder: BuildKit
  through buildx, BuildKit through a pre-23 docker CLI with
  ``DOCKER_BUILDKIT=1``, else the legacy builder (``$SLIMLINE_BUILDER`` forces
  one: ``buildx``, ``buildkit``, ``legacy``).
- :meth:`Engine.build` streams the build log to a callback and returns a
  :class:`BuildResult` (image id, builder that ran, duration, notes); a failed
  build raises :class:`BuildError` carrying the log's tail.
- :meth:`Engine.run_probe` starts a container (ports published on 127.0.0.1
  only, on a host port the engine picks), checks it, collects its logs and
  always removes it: a :class:`ProbeResult`.
- :meth:`Engine.image_size` is the size ``docker image inspect`` reports.
- :func:`load_probe_config` reads a project's probe.

Probe schema
------------
In ``.slimline.toml`` as ``[probe]``, or in ``pyproject.toml`` as
``[tool.slimline.probe]`` (``.slimline.toml`` wins when both have one).
Exactly one of ``port`` and ``command``:

HTTP probe
    ``port`` (int, the container port), ``path`` (default ``"/"``),
    ``status`` (default 200), ``body_contains`` (substring of the body,
    optional). Passes when ``GET path`` answers ``status`` with a body
    containing ``body_contains``; retried until ``timeout``.
Command probe
    ``command`` (list of strings, run in the container instead of its CMD;
    an ENTRYPOINT still applies, as with ``docker run IMAGE ARGS``),
    ``output_contains`` (substring of stdout+stderr, optional), ``exit_code``
    (default 0).
Both
    ``timeout`` (seconds, default 30), ``env`` (table of variables set in the
    container).

Example::

    [probe]
    port = 8000
    path = "/health"
    status = 200
    body_contains = "ok"
    timeout = 30
    env = { LOG_LEVEL = "debug" }
"""

from slimline.engine.builder import (
    BuilderChoice,
    BuilderKind,
    CliInfo,
    choose_builder,
    detect_builder,
)
from slimline.engine.client import (
    BuildError,
    BuildResult,
    Engine,
    EngineInfo,
    engine_available,
)
from slimline.engine.probe import (
    ProbeConfig,
    load_probe_config,
    load_probe_file,
    probe_from_mapping,
)
from slimline.engine.probing import ProbeResult

__all__ = [
    "BuildError",
    "BuildResult",
    "BuilderChoice",
    "BuilderKind",
    "CliInfo",
    "Engine",
    "EngineInfo",
    "ProbeConfig",
    "ProbeResult",
    "choose_builder",
    "detect_builder",
    "engine_available",
    "load_probe_config",
    "load_probe_file",
    "probe_from_mapping",
]
