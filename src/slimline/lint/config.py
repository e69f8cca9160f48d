"""Lint configuration: ``[tool.slimline]`` in pyproject.toml or a ``.slimline.toml``.

Keys (all optional)::

    select = ["SL1", "SL301"]        # codes, code prefixes, rule names or hadolint codes
    extend-select = ["SL501"]        # added to the selection (e.g. rules off by default)
    ignore = ["SL111", "DL3059"]
    fail-level = "warning"           # style | info | warning | error
    trusted-registries = ["docker.io", "gcr.io"]

    role = "toolchain"               # the image's toolchain is its product (default "app")
    [severity]                       # ([tool.slimline.severity] in pyproject.toml)
    SL111 = "info"
    [roles]                          # per Dockerfile path glob, relative to this file
    "ci/**" = "toolchain"

A Dockerfile under ``.devcontainer/`` has the role "toolchain" unless configured.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slimline import fsio
from slimline.errors import SlimlineError
from slimline.lint.model import Rule, Severity
from slimline.lint.registry import all_rules, hadolint_map

CONFIG_FILES = (".slimline.toml", "slimline.toml", "pyproject.toml")
_KNOWN_KEYS = frozenset(
    {
        "select",
        "extend-select",
        "ignore",
        "fail-level",
        "trusted-registries",
        "severity",
        "probe",
        "role",
        "roles",
        "scan",
    }
)


@dataclass(slots=True)
class LintConfig:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_level: Severity = Severity.WARNING
    trusted_registries: list[str] = field(default_factory=list)
    source: Path | None = None
    #: What every image linted is for: "app" (ships a program) or "toolchain" (its
    #: compilers and tools are the product: golang, CI and dev-container images).
    role: str | None = None
    #: Roles per Dockerfile path glob (relative to the config file), tried first.
    roles: dict[str, str] = field(default_factory=dict)

    def role_of(self, path: Path | None) -> str:
        """The role of the image a Dockerfile builds ("app" or "toolchain"): configured, or
        "toolchain" under `.devcontainer/`, else "app"."""
        configured = self.configured_role(path)
        if configured is not None:
            return configured
        if path is not None and ".devcontainer" in path.parts:
            return "toolchain"
        return "app"

    def configured_role(self, path: Path | None) -> str | None:
        """The role the configuration gives the image (`[roles]`, then `role`), or None."""
        if path is not None:
            candidates = [path.as_posix()]
            if self.source is not None:
                try:
                    rel = path.resolve().relative_to(self.source.resolve().parent)
                    candidates.append(rel.as_posix())
                except (ValueError, OSError):
                    pass
            for pattern, role in self.roles.items():
                if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
                    return role
        return self.role

    def _matches(self, selector: str, r: Rule, *, exact_only: bool = False) -> bool:
        s = selector.strip()
        if s.upper() == "ALL":
            return not exact_only
        if s.upper() == r.code or s.lower() == r.name:
            return True
        if s.upper() in r.hadolint:
            return True
        return not exact_only and r.code.startswith(s.upper()) and len(s) >= 2

    def enabled(self, r: Rule) -> bool:
        if any(self._matches(s, r) for s in self.ignore):
            return False
        if any(self._matches(s, r) for s in self.extend_select):
            return True
        if self.select is None:
            return r.default_enabled
        if r.default_enabled:
            return any(self._matches(s, r) for s in self.select)
        return any(self._matches(s, r, exact_only=True) for s in self.select)

    def severity_of(self, r: Rule) -> Severity:
        return self.severity.get(r.code, r.severity)

    def enabled_rules(self) -> list[Rule]:
        return [r for r in all_rules() if self.enabled(r)]


def _as_list(value: Any, key: str, path: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SlimlineError(f"'{key}' must be a list of strings", path=path)


def _known_selector(selector: str) -> bool:
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    codes = [r.code for r in all_rules()]
    names = [r.name for r in all_rules()]
    return (
        any(c.startswith(s.upper()) for c in codes)
        or s.lower() in names
        or s.upper() in hadolint_map()
    )


ROLES = ("app", "toolchain")


def _role(value: Any, path: Path) -> str:
    if value not in ROLES:
        raise SlimlineError(f"unknown role {value!r} (known: {', '.join(ROLES)})", path=path)
    return str(value)


def config_from_table(table: dict[str, Any], path: Path) -> LintConfig:
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise SlimlineError(
            f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KNOWN_KEYS))})", path=path
        )
    cfg = LintConfig(source=path)
    if "select" in table:
        cfg.select = _as_list(table["select"], "select", path)
    cfg.extend_select = _as_list(table.get("extend-select", []), "extend-select", path)
    cfg.ignore = _as_list(table.get("ignore", []), "ignore", path)
    cfg.trusted_registries = _as_list(
        table.get("trusted-registries", []), "trusted-registries", path
    )
    for key in ("select", "extend-select", "ignore"):
        for sel in _as_list(table.get(key, []), key, path):
            if not _known_selector(sel):
                raise SlimlineError(f"'{key}' names no rule: {sel!r}", path=path)
    if "fail-level" in table:
        try:
            cfg.fail_level = Severity.parse(str(table["fail-level"]))
        except ValueError as exc:
            raise SlimlineError(str(exc), path=path) from None
    if "role" in table:
        cfg.role = _role(table["role"], path)
    roles = table.get("roles", {})
    if not isinstance(roles, dict):
        raise SlimlineError("'roles' must be a table of \"path glob\" = \"role\"", path=path)
    cfg.roles = {str(glob): _role(value, path) for glob, value in roles.items()}
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise SlimlineError("'severity' must be a table of CODE = \"level\"", path=path)
    for code, level in severities.items():
        matched = [r.code for r in all_rules() if LintConfig()._matches(code, r, exact_only=True)]
        if not matched:
            raise SlimlineError(f"'severity' names no rule: {code!r}", path=path)
        try:
            sev = Severity.parse(str(level))
        except ValueError as exc:
            raise SlimlineError(str(exc), path=path) from None
        for c in matched:
            cfg.severity[c] = sev
    return cfg


def read_config_file(path: Path) -> dict[str, Any] | None:
    """The slimline table of a config file, or None when it has none."""
    text = fsio.read_text(path, limit=fsio.MAX_CONFIG_BYTES, what="config")
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise SlimlineError(f"invalid TOML: {exc}", path=path, line=line) from None
    except RecursionError:
        raise SlimlineError("invalid TOML: nested too deeply to read", path=path) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("slimline") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest config at or above ``start`` (a .slimline.toml, or pyproject with a table)."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for d in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = d / name
            if candidate.is_file():
                table = read_config_file(candidate)
                if table is not None:
                    return candidate, table
    return None


def load_config(start: Path, explicit: Path | None = None) -> LintConfig:
    if explicit is not None:
        table = read_config_file(explicit)
        return config_from_table(table or {}, explicit)
    found = find_config(start)
    if found is None:
        return LintConfig()
    path, table = found
    return config_from_table(table, path)
