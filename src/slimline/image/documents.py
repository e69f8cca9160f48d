"""Typed reading of the JSON documents an image is made of (configs, manifests, indexes).

Every JSON document that comes from an image (a registry, an archive, a layout)
is untrusted: any field may be missing, null, of another type, or nested garbage.
A :class:`Fields` wraps one JSON object and hands out typed values, so nothing
downstream ever sees a value of the wrong type:

* a field that analysis relies on (``Env``, ``Cmd``, ``rootfs.diff_ids``...) and
  has the wrong type is an :class:`~slimline.errors.ImageError` naming the document
  and the field: ``config sha256:ab12…: "Env" must be a list of strings, got a number``;
* a purely informative field (``Labels``, ``created``, a history entry's
  ``comment``...) of the wrong type is dropped, with a warning in :attr:`Fields.warnings`.

An absent field and a JSON ``null`` read as the default everywhere. docs/security.md
has the table of fields and what happens to each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slimline.errors import ImageError


def kind(value: Any) -> str:
    """The JSON type of ``value`` as a message says it: ``a number``, ``a list``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def short_digest(digest: str) -> str:
    """``sha256:`` and the first 12 hex digits, for messages."""
    algorithm, _, hexdigest = digest.partition(":")
    return f"{algorithm}:{hexdigest[:12]}…" if len(hexdigest) > 12 else digest


class Fields:
    """Typed access to one JSON object of an untrusted document.

    ``label`` names the document in messages (``oci:DIR: config sha256:ab12…``);
    ``prefix`` is the path of this object inside it (``history[2].``); ``warnings``
    collects what was ignored and is shared with the objects nested in this one.
    """

    def __init__(
        self,
        obj: Any,
        label: str,
        prefix: str = "",
        warnings: list[str] | None = None,
    ) -> None:
        if not isinstance(obj, dict):
            where = f'"{prefix.rstrip(".")}" ' if prefix else ""
            raise ImageError(f"{label}: {where}must be an object, got {kind(obj)}")
        self.obj: dict[str, Any] = obj
        self.label = label
        self.prefix = prefix
        self.warnings: list[str] = [] if warnings is None else warnings

    def error(self, key: str, expected: str, value: Any) -> ImageError:
        """The error for field ``key`` holding ``value`` where ``expected`` was wanted."""
        return ImageError(f'{self.label}: "{self.prefix}{key}" must be {expected}, '
                          f"got {kind(value)}")

    def ignore(self, key: str, expected: str, value: Any) -> None:
        """Note that the informative field ``key`` was ignored."""
        self.warnings.append(f'{self.label}: "{self.prefix}{key}" ignored: it must be '
                             f"{expected}, got {kind(value)}")

    def _checked(self, key: str, ok: Callable[[Any], bool], expected: str) -> Any:
        """The value of ``key`` (None when absent or null); an error unless ``ok`` says yes."""
        value = self.obj.get(key)
        if value is not None and not ok(value):
            raise self.error(key, expected, value)
        return value

    def string(self, key: str, default: str = "") -> str:
        """A string field (``default`` when absent or null)."""
        value: str | None = self._checked(key, lambda v: isinstance(v, str), "a string")
        return default if value is None else value

    def boolean(self, key: str, default: bool = False) -> bool:
        value: bool | None = self._checked(key, lambda v: isinstance(v, bool), "true or false")
        return default if value is None else value

    def strings(self, key: str, *, allow_string: bool = False) -> tuple[str, ...] | None:
        """A list of strings (None when absent or null); with ``allow_string`` a single
        string is taken as a one-item list (Docker accepts ``"Cmd": "sh"``)."""
        value = self.obj.get(key)
        if value is None:
            return None
        if allow_string and isinstance(value, str):
            return (value,)
        expected = "a list of strings" + (" or a string" if allow_string else "")
        if not isinstance(value, list):
            raise self.error(key, expected, value)
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"{key}[{i}]", "a string", item)
        return tuple(value)

    def keys(self, key: str) -> tuple[str, ...]:
        """The sorted keys of an object field whose values do not matter
        (``ExposedPorts``, ``Volumes``); empty when absent or null."""
        value = self.obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, dict):
            raise self.error(key, "an object", value)
        return tuple(sorted(value))

    def nested(self, key: str) -> Fields | None:
        """An object field as :class:`Fields` (None when absent or null)."""
        value = self.obj.get(key)
        if value is None:
            return None
        return Fields(value, self.label, f"{self.prefix}{key}.", self.warnings)

    def objects(self, key: str) -> list[Fields]:
        """A list of objects (empty when absent or null)."""
        value = self.obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "a list of objects", value)
        return [Fields(item, self.label, f"{self.prefix}{key}[{i}].", self.warnings)
                for i, item in enumerate(value)]

    def string_map(self, key: str) -> dict[str, str]:
        """An object of strings (empty when absent or null); raises when it is not one."""
        value = self.obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key, "an object of strings", value)
        for name, item in value.items():
            if not isinstance(item, str):
                raise self.error(f"{key}.{name}", "a string", item)
        return dict(value)

    def info_string(self, key: str, default: str | None = "") -> str | None:
        """An informative string: ``default`` (with a warning) when of another type."""
        value = self.obj.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            self.ignore(key, "a string", value)
            return default
        return value

    def info_string_map(self, key: str) -> dict[str, str]:
        """An informative object of strings (``Labels``): ignored with a warning when it
        is not an object; entries whose values are not strings are dropped, with a warning."""
        value = self.obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.ignore(key, "an object of strings", value)
            return {}
        kept = {}
        for name, item in value.items():
            if isinstance(item, str):
                kept[name] = item
            else:
                self.ignore(f"{key}.{name}", "a string", item)
        return kept
