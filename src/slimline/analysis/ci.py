"""CI gates: dive's ``.dive-ci`` rules, plus slimline's own.

dive's rules (read from the same ``.dive-ci`` file dive reads, same keys, same
values) are judged on the dive-compatible numbers, so a gate passes or fails
exactly as it would under ``dive --ci``:

* ``lowest-efficiency``: fail when efficiency is below (a ratio, 0-1; default 0.9)
* ``highest-wasted-bytes``: fail when dive's wasted bytes are above (a size; default off)
* ``highest-user-wasted-percent``: fail when wasted / non-base bytes is above
  (a ratio, 0-1; default 0.1)

slimline adds ``max-size`` (the image's total size) and ``max-reclaimable`` (what
squashing would free); both take sizes and are off by default. A value of
``disabled`` (or ``off``, ``false``, empty) turns a rule off. dive's camelCase keys
(``lowestEfficiency``...) are accepted too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slimline import fsio
from slimline.analysis.model import AnalysisResult, GateResult
from slimline.errors import SlimlineError
from slimline.units import human_size, parse_size

DIVE_DEFAULTS = {
    "lowest-efficiency": "0.9",
    "highest-wasted-bytes": "disabled",
    "highest-user-wasted-percent": "0.1",
}
KEYS = (
    "lowest-efficiency",
    "highest-wasted-bytes",
    "highest-user-wasted-percent",
    "max-size",
    "max-reclaimable",
)
_LEGACY = {
    "lowestEfficiency": "lowest-efficiency",
    "highestWastedBytes": "highest-wasted-bytes",
    "highestUserWastedPercent": "highest-user-wasted-percent",
    "maxSize": "max-size",
    "maxReclaimable": "max-reclaimable",
}


def is_disabled(value: str) -> bool:
    return value.strip().lower() in ("", "disabled", "off", "false")


@dataclass(frozen=True)
class Gate:
    key: str
    value: str


_NO_ALIASES = "aliases (*name) are not allowed"


def _loader() -> type:
    """PyYAML's SafeLoader, refusing aliases (``*name``).

    A ``.dive-ci`` never needs them, and nested aliases make a few lines of YAML stand
    for billions of nodes ("billion laughs"): a pull request could put one in the file
    ``analyze --ci`` reads. Anchors alone are harmless and stay allowed.
    """
    import yaml

    class NoAliasLoader(yaml.SafeLoader):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, _NO_ALIASES, event.start_mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def read_dive_ci(path: Path) -> dict[str, str]:
    """The rules of a ``.dive-ci`` file: ``{key: value}`` with dive's key names."""
    import yaml

    text = fsio.read_text(path, limit=fsio.MAX_CONFIG_BYTES, what="CI config")
    try:
        data = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        message = "invalid YAML in CI config"
        if getattr(exc, "problem", None) == _NO_ALIASES:
            message += f": {_NO_ALIASES}"
        raise SlimlineError(
            message, path=path, line=line + 1 if line is not None else None
        ) from None
    except RecursionError:
        raise SlimlineError("invalid YAML in CI config: nested too deeply", path=path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SlimlineError("CI config must be a mapping with a `rules` section", path=path)
    rules = data.get("rules", {})
    if rules is None:
        return {}
    if not isinstance(rules, dict):
        raise SlimlineError("`rules` in the CI config must be a mapping", path=path)
    out: dict[str, str] = {}
    for key, value in rules.items():
        name = _LEGACY.get(str(key), str(key))
        if name not in KEYS:
            raise SlimlineError(f"unknown CI rule {key!r} (known: {', '.join(KEYS)})", path=path)
        if isinstance(value, (dict, list)):
            raise SlimlineError(f"CI rule {key!r} must be a number or a size, not a "
                                f"{'mapping' if isinstance(value, dict) else 'list'}", path=path)
        out[name] = "" if value is None else _scalar(value)
        try:
            _validate(Gate(name, out[name]))
        except SlimlineError as exc:  # name the file the bad value came from
            raise SlimlineError(exc.message, path=path) from None
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resolve_gates(
    ci: bool, file_rules: dict[str, str], flags: dict[str, str | None]
) -> list[Gate]:
    """Combine defaults (with ``ci``), the ``.dive-ci`` file and command-line flags.

    Flags win over the file, the file over dive's defaults. Without ``ci`` only
    thresholds that were given explicitly are checked.
    """
    values: dict[str, str] = dict(DIVE_DEFAULTS) if ci else {}
    values.update(file_rules)
    for key, value in flags.items():
        if value is not None:
            values[key] = value
    gates = [Gate(key, values[key]) for key in KEYS if key in values]
    for gate in gates:
        _validate(gate)
    return gates


def _ratio(gate: Gate) -> float:
    try:
        value = float(gate.value)
    except ValueError:
        raise SlimlineError(f"invalid {gate.key} value {gate.value!r}: expected a ratio "
                            "between 0 and 1") from None
    if not 0 <= value <= 1:
        raise SlimlineError(f"{gate.key} value is outside the allowed range (0-1): "
                            f"{gate.value!r}")
    return value


def _validate(gate: Gate) -> None:
    if is_disabled(gate.value):
        return
    if gate.key in ("lowest-efficiency", "highest-user-wasted-percent"):
        _ratio(gate)
    else:
        parse_size(gate.value, gate.key)


def evaluate(result: AnalysisResult, gates: list[Gate]) -> list[GateResult]:
    """Judge ``result`` against each gate."""
    out: list[GateResult] = []
    for gate in gates:
        if is_disabled(gate.value):
            out.append(GateResult(gate.key, "disabled", "", "disabled", "rule disabled"))
            continue
        out.append(_judge(result, gate))
    return out


def _judge(result: AnalysisResult, gate: Gate) -> GateResult:
    dive = result.dive
    if gate.key == "lowest-efficiency":
        threshold = _ratio(gate)
        value = dive.efficiency
        failed = threshold > value
        message = (f"image efficiency is too low (efficiency={value:.4f} < "
                   f"threshold={gate.value})") if failed else f"efficiency {value:.4f}"
        return GateResult(gate.key, gate.value, f"{value:.6f}", _status(failed), message)
    if gate.key == "highest-user-wasted-percent":
        threshold = _ratio(gate)
        if dive.user_wasted_percent is None:
            # dive divides by zero: +Inf when anything is wasted, NaN (passes) otherwise
            ratio = math.inf if dive.wasted_bytes > 0 else math.nan
        else:
            ratio = dive.user_wasted_percent
        failed = ratio > threshold
        shown = "inf" if math.isinf(ratio) else "nan" if math.isnan(ratio) else f"{ratio:.4f}"
        message = (f"too many bytes wasted, relative to the user bytes added "
                   f"(%-user-wasted-bytes={shown} > threshold={gate.value})") if failed \
            else f"user wasted ratio {shown}"
        return GateResult(gate.key, gate.value, shown, _status(failed), message)
    limit = parse_size(gate.value, gate.key)
    if gate.key == "highest-wasted-bytes":
        value = dive.wasted_bytes
        label = "too many bytes wasted (wasted-bytes={v} > threshold={t})"
    elif gate.key == "max-size":
        value = result.total_size
        label = "image is too large (size={v} > max-size={t})"
    else:
        value = result.reclaimable_bytes
        label = "too many reclaimable bytes (reclaimable={v} > max-reclaimable={t})"
    failed = value > limit
    message = label.format(v=f"{value} ({human_size(value)})", t=gate.value) if failed \
        else f"{value} bytes ({human_size(value)})"
    return GateResult(gate.key, gate.value, str(value), _status(failed), message)


def _status(failed: bool) -> str:
    return "fail" if failed else "pass"
