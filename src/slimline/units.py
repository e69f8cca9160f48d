"""Units for people: byte sizes (parsed the way dive does), durations, percentages, bandwidth."""

from __future__ import annotations

import math

from slimline.errors import SlimlineError

_SIZES = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "ki": 1024,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mi": 1024**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gi": 1024**3,
    "gib": 1024**3,
    "t": 1000**4,
    "tb": 1000**4,
    "ti": 1024**4,
    "tib": 1024**4,
    "p": 1000**5,
    "pb": 1000**5,
    "pi": 1024**5,
    "pib": 1024**5,
    "e": 1000**6,
    "eb": 1000**6,
    "ei": 1024**6,
    "eib": 1024**6,
}


def parse_size(text: str, what: str = "size") -> int:
    """Parse ``20MB``, ``1.5 GiB``, ``512k`` or ``1,000`` into bytes.

    Follows go-humanize's ``ParseBytes``, which dive uses for ``.dive-ci``: decimal
    units for ``kB``/``MB``/``GB``..., binary ones for ``KiB``/``MiB``...,
    case-insensitive, commas in the number ignored.
    """
    raw = text.strip()
    digits = 0
    for ch in raw:
        if ch.isdigit() or ch in ".,":
            digits += 1
        else:
            break
    number, unit = raw[:digits].replace(",", ""), raw[digits:].strip().lower()
    try:
        value = float(number)
    except ValueError:
        raise SlimlineError(
            f"invalid {what} {text!r}: expected a number with a unit such as 20MB or 1.5GiB"
        ) from None
    factor = _SIZES.get(unit)
    if factor is None:
        raise SlimlineError(f"invalid {what} {text!r}: unknown unit {unit!r}")
    result = value * factor
    if not math.isfinite(result) or result >= 2**64:
        raise SlimlineError(f"invalid {what} {text!r}: too large")
    return int(result)


def human_size(size: float) -> str:
    """``1.2 GB``, ``340 MB``, ``12 kB``: decimal units, as Docker prints sizes."""
    value = float(size)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            if unit == "B":
                return f"{sign}{int(value)} B"
            return f"{sign}{value:.3g} {unit}" if value < 100 else f"{sign}{value:.0f} {unit}"
        value /= 1000
    return f"{sign}{value:.0f} TB"  # pragma: no cover - loop always returns


def human_or_dash(size: float | None) -> str:
    """:func:`human_size`, or ``-`` when the size is not known."""
    return "-" if size is None else human_size(size)


#: The bandwidth of pull-time estimates when none is given: 100 Mbit/s, in bits per second.
DEFAULT_BANDWIDTH_BPS = 100_000_000


def seconds(value: float | None) -> str:
    """``12.3 s``, or ``2.5 min`` from 100 seconds on; ``-`` when not known."""
    if value is None:
        return "-"
    return f"{value:.1f} s" if value < 100 else f"{value / 60:.1f} min"


def percent(ratio: float, digits: int = 1) -> str:
    """A ratio as a percentage for people: ``0.4567`` -> ``45.7 %``."""
    return f"{ratio * 100:.{digits}f} %"


def share(part: int, whole: int) -> str:
    """``part`` as a share of ``whole``: ``12.5%`` (``0%`` of nothing)."""
    return f"{100 * part / whole:.1f}%" if whole else "0%"
