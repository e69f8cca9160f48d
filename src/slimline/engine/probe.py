"""Probe configuration: how to check that an image of a project works.

A project says it in ``.slimline.toml`` under ``[probe]``, or in
``pyproject.toml`` under ``[tool.slimline.probe]`` (``.slimline.toml`` wins
when both exist). The schema is documented in :mod:`slimline.engine`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from slimline.errors import ParseError, SlimlineError

#: File names looked up in a project directory, in order of precedence.
PROBE_FILES: tuple[str, ...] = (".slimline.toml", "pyproject.toml")

DEFAULT_PATH = "/"
DEFAULT_STATUS = 200
DEFAULT_TIMEOUT = 30.0

_HTTP_KEYS = frozenset({"port", "path", "status", "body_contains"})
_COMMAND_KEYS = frozenset({"command", "output_contains", "exit_code"})
_COMMON_KEYS = frozenset({"timeout", "env"})
_ALL_KEYS = _HTTP_KEYS | _COMMAND_KEYS | _COMMON_KEYS

ProbeKind = Literal["http", "command"]


@dataclass(frozen=True)
class ProbeConfig:
    """What to check on a running container.

    Exactly one of ``port`` (an HTTP probe) and ``command`` (a command probe)
    is set. ``source`` names where the configuration came from, for messages.
    """

    port: int | None = None
    path: str = DEFAULT_PATH
    status: int = DEFAULT_STATUS
    body_contains: str | None = None
    command: tuple[str, ...] | None = None
    output_contains: str | None = None
    exit_code: int = 0
    timeout: float = DEFAULT_TIMEOUT
    env: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None

    @property
    def kind(self) -> ProbeKind:
        return "http" if self.port is not None else "command"

    def describe(self) -> str:
        """One line saying what the probe checks."""
        if self.port is not None:
            what = f"GET {self.path} on container port {self.port} answers {self.status}"
            if self.body_contains is not None:
                what += f" with a body containing {self.body_contains!r}"
            return what
        assert self.command is not None
        what = f"command {list(self.command)!r} exits {self.exit_code}"
        if self.output_contains is not None:
            what += f" with output containing {self.output_contains!r}"
        return what


def _fail(message: str, source: str | None) -> SlimlineError:
    return SlimlineError(f"probe: {message}", path=source)


def _int(value: object, key: str, source: str | None, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{key} must be an integer, not {type(value).__name__}", source)
    if not low <= value <= high:
        raise _fail(f"{key} must be between {low} and {high}, not {value}", source)
    return value


def _str(value: object, key: str, source: str | None) -> str:
    if not isinstance(value, str):
        raise _fail(f"{key} must be a string, not {type(value).__name__}", source)
    return value


def probe_from_mapping(data: Mapping[str, object], source: str | None = None) -> ProbeConfig:
    """Validate a probe table (already parsed) and return its configuration.

    Raises :class:`SlimlineError` naming ``source`` for unknown keys, wrong
    types, out-of-range values, and HTTP and command keys mixed together.
    """
    unknown = sorted(set(data) - _ALL_KEYS)
    if unknown:
        raise _fail(
            f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_ALL_KEYS))})", source
        )
    has_port = "port" in data
    has_command = "command" in data
    if has_port == has_command:
        raise _fail("set exactly one of 'port' (HTTP probe) and 'command' (command probe)", source)
    stray = sorted(set(data) & (_COMMAND_KEYS if has_port else _HTTP_KEYS))
    if stray:
        kind = "an HTTP" if has_port else "a command"
        raise _fail(f"{', '.join(stray)} do(es) not apply to {kind} probe", source)

    timeout = DEFAULT_TIMEOUT
    if "timeout" in data:
        raw = data["timeout"]
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _fail(f"timeout must be a number of seconds, not {type(raw).__name__}", source)
        if not math.isfinite(raw) or raw <= 0:
            raise _fail(f"timeout must be a positive number of seconds, not {raw}", source)
        timeout = float(raw)

    env: dict[str, str] = {}
    if "env" in data:
        raw_env = data["env"]
        if not isinstance(raw_env, Mapping):
            raise _fail('env must be a table of NAME = "value"', source)
        for name, value in raw_env.items():
            if not isinstance(name, str) or not name or "=" in name:
                raise _fail(f"env: bad variable name {name!r}", source)
            env[name] = _str(value, f"env.{name}", source)

    if has_port:
        path = _str(data.get("path", DEFAULT_PATH), "path", source)
        if not path.startswith("/"):
            raise _fail(f"path must start with '/', not {path!r}", source)
        body = data.get("body_contains")
        return ProbeConfig(
            port=_int(data["port"], "port", source, 1, 65535),
            path=path,
            status=_int(data.get("status", DEFAULT_STATUS), "status", source, 100, 599),
            body_contains=None if body is None else _str(body, "body_contains", source),
            timeout=timeout,
            env=env,
            source=source,
        )

    raw_command = data["command"]
    if (
        not isinstance(raw_command, list)
        or not raw_command
        or not all(isinstance(part, str) for part in raw_command)
    ):
        raise _fail('command must be a non-empty list of strings, e.g. ["app", "--check"]', source)
    output = data.get("output_contains")
    return ProbeConfig(
        command=tuple(str(part) for part in raw_command),
        output_contains=None if output is None else _str(output, "output_contains", source),
        exit_code=_int(data.get("exit_code", 0), "exit_code", source, 0, 255),
        timeout=timeout,
        env=env,
        source=source,
    )


def _read_toml(path: Path) -> dict[str, object]:
    from slimline import fsio

    text = fsio.read_text(path, limit=fsio.MAX_CONFIG_BYTES, what="config")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(f"invalid TOML: {exc}", path=path) from exc
    except RecursionError:
        raise ParseError("invalid TOML: nested too deeply to read", path=path) from None


def _probe_table(document: Mapping[str, object], keys: tuple[str, ...]) -> object | None:
    node: object = document
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def load_probe_file(path: Path) -> ProbeConfig | None:
    """Read the probe of one file: ``[probe]`` in a ``.slimline.toml``,
    ``[tool.slimline.probe]`` in a ``pyproject.toml``. None when it has none."""
    document = _read_toml(path)
    keys = ("tool", "slimline", "probe") if path.name == "pyproject.toml" else ("probe",)
    table = _probe_table(document, keys)
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise _fail(f"[{'.'.join(keys)}] must be a table", str(path))
    return probe_from_mapping(table, str(path))


def load_probe_config(project_dir: Path) -> ProbeConfig | None:
    """The probe of a project directory, or None when it declares none.

    ``.slimline.toml`` is read first; ``pyproject.toml`` only when the former
    is absent or has no ``[probe]`` table.
    """
    for name in PROBE_FILES:
        candidate = project_dir / name
        if candidate.is_file():
            config = load_probe_file(candidate)
            if config is not None:
                return config
    return None
