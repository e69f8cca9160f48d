"""Compose files: the services ``slimline optimize DIR`` builds, read as the Compose spec says.

A compose file is input from the repository, so it is read as hostile: at most
:data:`MAX_COMPOSE_BYTES`, YAML through PyYAML's safe loader, and anchors and aliases
(which compose files use for shared settings) allowed only while the document they
stand for stays under :data:`MAX_NODES` nodes, checked on the composed node graph
before anything is expanded, so a "billion laughs" file is one error line and no
memory. Recursive aliases, duplicate keys and nesting deeper than :data:`MAX_DEPTH`
are errors too.

What is read, per the Compose specification:

- the file: ``compose.yaml``, ``compose.yml``, ``docker-compose.yml``,
  ``docker-compose.yaml`` (compose-go's lookup order), or the one named;
- interpolation of every value: ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
  ``${VAR-default}``, ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``,
  ``${VAR+alt}``, nesting in the operand, ``$$`` for a literal ``$``; variables come
  from the environment, then from the ``.env`` file next to the compose file;
- ``build:`` as a string (the context) or a mapping (``context``, ``dockerfile``,
  ``target``, ``args`` as a mapping or a list); ``dockerfile_inline`` and remote
  contexts are reported as not supported;
- ``ports:`` (short and long syntax) for the first published TCP container port,
  ``environment:`` for the probe's container, and ``x-slimline-probe:``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slimline import fsio
from slimline.engine.probe import ProbeConfig, load_probe_config, probe_from_mapping
from slimline.errors import ParseError

#: Looked up in this order in a project directory (compose-go's ``DefaultFileNames``).
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
MAX_COMPOSE_BYTES = fsio.MAX_CONFIG_BYTES
#: Nodes the document may stand for once every alias is expanded.
MAX_NODES = 100_000
MAX_DEPTH = 64
#: Characters interpolation may produce in all (a long variable used many times).
MAX_INTERPOLATED_CHARS = 16 * 1024 * 1024
PROBE_KEY = "x-slimline-probe"
#: build keys slimline passes to its builds; others are noted as not passed.
_BUILD_KEYS = frozenset({"context", "dockerfile", "target", "args"})
#: build keys that only name or publish the image (nothing to pass).
_BUILD_NAMING_KEYS = frozenset({"labels", "tags", "cache_from", "cache_to", "pull", "no_cache"})
_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_BRACED = re.compile(r"([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-?+])(.*))?", re.DOTALL)


class ComposeError(ParseError):
    """A compose file (or its ``.env``) that cannot be used: one line naming the file."""


@dataclass(frozen=True, slots=True)
class ComposeService:
    """One service of the compose file that has a ``build:``."""

    name: str
    context: Path | None
    dockerfile: Path | None
    target: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    #: The first published TCP container port.
    port: int | None = None
    probe: ProbeConfig | None = None
    #: Where the probe comes from: x-slimline-probe, the context's probe file, ports;
    #: "disabled" (x-slimline-probe: false) or "none".
    probe_source: str = "none"
    #: Why slimline does not build this service (dockerfile_inline, a remote context).
    skip: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComposeProject:
    path: Path
    name: str
    services: tuple[ComposeService, ...]
    #: Services without a build (their image is used as it is).
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def find_compose_file(directory: Path) -> Path | None:
    """The compose file of ``directory``, in the Compose lookup order, or None. A name
    that exists but is not a regular file (a FIFO...) is found too, and refused when read."""
    for name in COMPOSE_FILES:
        candidate = directory / name
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


# -- YAML, bounded ------------------------------------------------------------------------------


def _loader_class() -> type:
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc]
        pass

    return Loader


def _check_graph(root: Any, path: Path) -> None:
    """Refuse, before constructing anything, a document whose aliases expand past
    MAX_NODES, that refers to itself, nests past MAX_DEPTH, or repeats a key."""
    import yaml

    sizes: dict[int, int] = {}
    on_stack: set[int] = set()
    # Iterative post-order walk: (node, depth, children pushed?).
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, expanded = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if expanded:
            on_stack.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_NODES:
                raise ComposeError(
                    f"the document expands to more than {MAX_NODES} nodes through its aliases "
                    "(an alias bomb?)",
                    path=path,
                    line=line,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_stack:
            raise ComposeError("an alias refers to the node that contains it", path=path, line=line)
        if depth > MAX_DEPTH:
            raise ComposeError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=line)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, _ in node.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if k.value in seen:
                        raise ComposeError(
                            f"duplicate key {k.value!r}", path=path, line=k.start_mark.line + 1
                        )
                    seen.add(k.value)
        on_stack.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: Any) -> Iterator[Any]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield k
            yield v


def load_yaml(path: Path) -> Any:
    """The compose document at ``path``: bounded, safe, one error line on bad input."""
    import yaml

    text = fsio.read_text(path, limit=MAX_COMPOSE_BYTES, what="compose file")
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, path)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ComposeError(
            f"invalid YAML: {problem}", path=path, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ComposeError(f"invalid YAML: {exc}", path=path) from None
    except RecursionError:
        raise ComposeError("invalid YAML: nested too deeply to read", path=path) from None
    finally:
        loader.dispose()


# -- interpolation -----------------------------------------------------------------------------


Lookup = Callable[[str], str | None]


class Interpolator:
    """The Compose spec's ``$`` rules over one document, bounded in output size."""

    def __init__(self, lookup: Lookup, path: Path) -> None:
        self.lookup = lookup
        self.path = path
        self.produced = 0
        self.unset: set[str] = set()

    def fail(self, message: str, where: str) -> ComposeError:
        return ComposeError(f"{where}: {message}", path=self.path)

    def string(self, text: str, where: str, depth: int = 0) -> str:
        if "$" not in text:
            return text
        if depth > 10:
            raise self.fail("interpolation nested more than 10 levels deep", where)
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            j = text.find("$", i)
            if j < 0:
                out.append(text[i:])
                break
            out.append(text[i:j])
            nxt = text[j + 1 : j + 2]
            if nxt == "$":
                out.append("$")
                i = j + 2
            elif nxt == "{":
                end = _closing_brace(text, j + 2)
                if end < 0:
                    raise self.fail(f"invalid interpolation format: {text[j:j + 40]!r}", where)
                out.append(self._braced(text[j + 2 : end], where, depth))
                i = end + 1
            else:
                m = _NAME.match(text, j + 1)
                if m is None:
                    out.append("$")
                    i = j + 1
                else:
                    out.append(self._value(m.group(), where))
                    i = m.end()
        result = "".join(out)
        self.produced += len(result)
        if self.produced > MAX_INTERPOLATED_CHARS:
            raise self.fail(
                f"interpolation produces more than {MAX_INTERPOLATED_CHARS} characters", where
            )
        return result

    def _value(self, name: str, where: str) -> str:
        value = self.lookup(name)
        if value is None:
            self.unset.add(name)
            return ""
        return value

    def _braced(self, expr: str, where: str, depth: int) -> str:
        m = _BRACED.fullmatch(expr)
        if m is None:
            raise self.fail(f"invalid interpolation format: '${{{expr[:40]}}}'", where)
        name, op, operand = m.group(1), m.group(2), m.group(3) or ""
        value = self.lookup(name)
        if op is None:
            return self._value(name, where)
        empty_counts = op.startswith(":")
        missing = value is None or (empty_counts and value == "")
        kind = op[-1]
        if kind == "-":
            return self.string(operand, where, depth + 1) if missing else str(value)
        if kind == "+":
            return "" if missing else self.string(operand, where, depth + 1)
        if missing:  # "?": a required variable
            message = self.string(operand, where, depth + 1)
            raise self.fail(
                f"required variable {name} is missing a value"
                + (f": {message}" if message else ""),
                where,
            )
        return str(value)

    def walk(self, value: Any, where: str, depth: int = 0) -> Any:
        """``value`` with every string interpolated (keys are not, as in Compose)."""
        if isinstance(value, str):
            return self.string(value, where)
        if isinstance(value, list):
            return [self.walk(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: self.walk(v, f"{where}.{k}" if where else str(k), depth + 1)
                    for k, v in value.items()}
        return value


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing a ``${`` whose body starts at ``start`` (nesting counted)."""
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


# -- .env --------------------------------------------------------------------------------------

_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "$": "$$"}


def read_dotenv(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of a ``.env`` file, as Compose reads it: ``KEY=value`` lines,
    ``export`` allowed, ``#`` comments, single quotes literal, double quotes with
    escapes; unquoted and double-quoted values are interpolated (with the environment,
    then the earlier lines)."""
    text = fsio.read_text(path, limit=fsio.MAX_CONFIG_BYTES, what=".env file")
    found: dict[str, str] = {}

    def lookup(name: str) -> str | None:
        return environ.get(name, found.get(name))

    i, n, line = 0, len(text), 1
    while i < n:
        end = text.find("\n", i)
        end = n if end < 0 else end
        raw = text[i:end].strip()
        start_line = line
        if not raw or raw.startswith("#"):
            i, line = end + 1, line + 1
            continue
        if raw.startswith("export ") or raw.startswith("export\t"):
            raw = raw[7:].lstrip()
        key, eq, rest = raw.partition("=")
        key = key.strip()
        if not _ENV_KEY.fullmatch(key):
            raise ComposeError(f"invalid variable name {key[:40]!r}", path=path, line=start_line)
        if not eq:
            if key in environ:
                found[key] = environ[key]
            i, line = end + 1, line + 1
            continue
        rest = rest.lstrip()
        interpolate = True
        if rest[:1] in ("'", '"'):
            quote = rest[0]
            # The value may span lines: search the closing quote from here in the text.
            value_start = text.index(quote, text.index("=", i) + 1) + 1
            close = _closing_quote(text, value_start, quote)
            if close < 0:
                raise ComposeError("unterminated quoted value", path=path, line=start_line)
            body = text[value_start:close]
            if quote == "'":
                value, interpolate = body, False
            else:
                value = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)
            line += text.count("\n", i, close)
            end = text.find("\n", close)
            end = n if end < 0 else end
        else:
            value = re.split(r"\s#", rest, maxsplit=1)[0].strip()
        if interpolate:
            value = Interpolator(lookup, path).string(value, key)
        found[key] = value
        i, line = end + 1, line + 1
    return found


def _closing_quote(text: str, start: int, quote: str) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return -1


# -- services ----------------------------------------------------------------------------------


def load_project(path: Path, environ: Mapping[str, str] | None = None) -> ComposeProject:
    """Read the compose file at ``path`` (and the ``.env`` next to it) into the services
    slimline builds. Every error is a :class:`ComposeError` naming the file."""
    environ = dict(os.environ if environ is None else environ)
    dotenv_path = path.parent / ".env"
    present = dotenv_path.exists() or dotenv_path.is_symlink()  # a FIFO is refused, not skipped
    dotenv = read_dotenv(dotenv_path, environ) if present else {}

    def lookup(name: str) -> str | None:
        return environ.get(name, dotenv.get(name))

    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise ComposeError("a compose file is a mapping with a 'services' key", path=path)
    interp = Interpolator(lookup, path)
    doc = interp.walk(raw, "")
    services = doc.get("services")
    if not isinstance(services, dict) or not services:
        raise ComposeError("'services' must be a mapping of at least one service", path=path)
    project_name = doc.get("name")
    if not isinstance(project_name, str) or not project_name.strip():
        project_name = path.parent.resolve().name
    notes: list[str] = []
    if interp.unset:
        notes.append(
            f"variables not set, read as empty strings: {', '.join(sorted(interp.unset))}"
        )
    overrides = [
        p.name for p in path.parent.glob(f"{path.stem}.override.y*ml") if p.suffix in (".yml", ".yaml")
    ]
    if overrides:
        notes.append(f"{', '.join(sorted(overrides))} not merged: slimline reads {path.name} only")
    built: list[ComposeService] = []
    ignored: list[str] = []
    for name, spec in services.items():
        where = f"services.{name}"
        if not isinstance(name, str):
            raise ComposeError(f"service name {name!r} is not a string", path=path)
        if not isinstance(spec, dict):
            raise ComposeError(f"{where} must be a mapping", path=path)
        if "build" not in spec:
            ignored.append(name)
            continue
        built.append(_service(name, spec, path, lookup))
    return ComposeProject(path, project_name, tuple(built), tuple(ignored), tuple(notes))


def _fail(path: Path, where: str, message: str) -> ComposeError:
    return ComposeError(f"{where}: {message}", path=path)


def _text(value: Any, path: Path, where: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        raise _fail(path, where, f"must be a string, not {_kind(value)}")
    return str(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", dict: "a mapping", list: "a list"}.get(
        type(value), type(value).__name__
    )


def _service(name: str, spec: dict[str, Any], path: Path, lookup: Lookup) -> ComposeService:
    where = f"services.{name}"
    build = spec["build"]
    notes: list[str] = []
    if isinstance(build, str):
        build = {"context": build}
    if not isinstance(build, dict):
        raise _fail(path, f"{where}.build", f"must be a string or a mapping, not {_kind(build)}")
    if "dockerfile_inline" in build:
        return ComposeService(
            name, None, None, skip="build.dockerfile_inline is not supported: slimline "
            "optimizes a Dockerfile on disk (move it to a file and name it in build.dockerfile)"
        )
    context_text = _text(build.get("context", "."), path, f"{where}.build.context")
    if "://" in context_text or context_text.startswith("git@"):
        return ComposeService(
            name, None, None, skip=f"remote build context {context_text!r} is not supported: "
            "slimline optimizes a Dockerfile on disk"
        )
    context = path.parent / context_text
    if not context.is_dir():
        raise _fail(path, f"{where}.build.context", f"{context} is not a directory")
    dockerfile = context / _text(build.get("dockerfile", "Dockerfile"), path, f"{where}.build.dockerfile")
    if not dockerfile.is_file():
        raise _fail(path, f"{where}.build.dockerfile", f"{dockerfile} is not a file")
    target = build.get("target")
    if target is not None:
        target = _text(target, path, f"{where}.build.target")
    args = _pairs(build.get("args"), path, f"{where}.build.args", lookup)
    passed = sorted(set(build) - _BUILD_KEYS - _BUILD_NAMING_KEYS)
    if passed:
        notes.append(f"build.{', build.'.join(passed)} not passed to slimline's builds")
    port = _first_tcp_port(spec.get("ports"), path, f"{where}.ports")
    probe, source = _probe(name, spec, context, port, path)
    if probe is not None:
        env = _pairs(spec.get("environment"), path, f"{where}.environment", lookup)
        if env:
            probe = replace(probe, env={**env, **probe.env})
        unapplied = [key for key in ("command", "entrypoint", "env_file") if key in spec]
        if unapplied:
            notes.append(
                f"{', '.join(unapplied)} not applied to the probe's container (the image's own "
                "CMD and ENTRYPOINT run)"
            )
    return ComposeService(
        name, context, dockerfile, target, args, port, probe, source, notes=tuple(notes)
    )


def _pairs(value: Any, path: Path, where: str, lookup: Lookup) -> dict[str, str]:
    """``args``/``environment``: a mapping or a list of ``KEY=value``; a key without a
    value takes the environment's (and is left out when unset)."""
    if value is None:
        return {}
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        for entry in value:
            text = _text(entry, path, f"{where} entry")
            key, eq, val = text.partition("=")
            items.append((key, val if eq else None))
    else:
        raise _fail(path, where, f"must be a mapping or a list, not {_kind(value)}")
    pairs: dict[str, str] = {}
    for key, val in items:
        if not key or "=" in key:
            raise _fail(path, where, f"bad name {key!r}")
        if val is None:
            env_value = lookup(key)
            if env_value is not None:
                pairs[key] = env_value
            continue
        if isinstance(val, dict | list):
            raise _fail(path, f"{where}.{key}", f"must be a string, not {_kind(val)}")
        pairs[key] = str(val).lower() if isinstance(val, bool) else str(val)
    return pairs


def _first_tcp_port(value: Any, path: Path, where: str) -> int | None:
    """The container port of the first published TCP port (short or long syntax)."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise _fail(path, where, f"must be a list, not {_kind(value)}")
    for i, entry in enumerate(value):
        at = f"{where}[{i}]"
        if isinstance(entry, dict):
            if "target" not in entry:
                raise _fail(path, at, "the long syntax needs 'target' (the container port)")
            protocol = str(entry.get("protocol", "tcp")).lower()
            port = _port(str(entry["target"]), path, at)
        elif isinstance(entry, int | str) and not isinstance(entry, bool):
            spec, _, protocol = str(entry).strip().partition("/")
            protocol = (protocol or "tcp").lower()
            container = spec.rsplit("]", 1)[-1].rsplit(":", 1)[-1]
            port = _port(container.split("-", 1)[0], path, at)
        else:
            raise _fail(path, at, f"must be a string or a mapping, not {_kind(entry)}")
        if protocol == "tcp":
            return port
    return None


def _port(text: str, path: Path, where: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise _fail(path, where, f"container port {text[:20]!r} is not a port number")
    return int(text)


def _probe(
    name: str, spec: dict[str, Any], context: Path, port: int | None, path: Path
) -> tuple[ProbeConfig | None, str]:
    where = f"services.{name}.{PROBE_KEY}"
    if PROBE_KEY in spec:
        value = spec[PROBE_KEY]
        if value is False:
            return None, "disabled"
        if not isinstance(value, dict):
            raise _fail(path, where, "must be false or a mapping (the keys of [probe])")
        table = dict(value)
        if "port" not in table and "command" not in table:
            if port is None:
                raise _fail(path, where, "no port nor command, and the service publishes no TCP port")
            table["port"] = port
        return probe_from_mapping(table, f"{path}: {where}"), PROBE_KEY
    probe = load_probe_config(context)
    if probe is not None:
        return probe, str(probe.source)
    if port is not None:
        return ProbeConfig(port=port, source=f"{path}: services.{name}.ports"), "ports"
    return None, "none"
