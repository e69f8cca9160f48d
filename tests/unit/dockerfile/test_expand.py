"""ARG/ENV expansion with BuildKit's operators, quotes and escapes."""

from __future__ import annotations

import pytest

from slimline.dockerfile.expand import expand, expand_value

ENV = {"SET": "value", "EMPTY": "", "PATHV": "/usr/local/bin/python3.12", "V": "a.b.c"}


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("$SET", "value"),
        ("${SET}", "value"),
        ("x${SET}y", "xvaluey"),
        ("$SET-x", "value-x"),
        ("$UNSET", ""),
        ("${UNSET:-dflt}", "dflt"),
        ("${EMPTY:-dflt}", "dflt"),
        ("${EMPTY-dflt}", ""),
        ("${UNSET-dflt}", "dflt"),
        ("${SET:-dflt}", "value"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${UNSET:-${SET}}", "value"),  # nested default
        ("${SET:+pre-${SET}}", "pre-value"),
        ("${SET:?must be set}", "value"),
        ("${V#*.}", "b.c"),
        ("${V##*.}", "c"),
        ("${V%.*}", "a.b"),
        ("${V%%.*}", "a"),
        ("${PATHV/python/py}", "/usr/local/bin/py3.12"),
        ("${V//./-}", "a-b-c"),
        ("${V/./}", "ab.c"),
        ("${V#nomatch}", "a.b.c"),
        ("'$SET'", "$SET"),  # single quotes: literal
        ('"$SET"', "value"),  # double quotes: expanded, quotes removed
        ('"a b"', "a b"),
        ("\\$SET", "$SET"),  # escaped dollar
        ("$", "$"),
        ("a$", "a$"),
        ("$1", ""),
    ],
)
def test_operators(word: str, value: str) -> None:
    assert expand_value(word, ENV) == value


def test_unresolved_names_are_reported() -> None:
    result = expand("${A}-${SET}-$B-${C:-x}", ENV)
    assert result.value == "-value--x"
    assert result.unresolved == {"A", "B"}
    assert not result.complete
    assert expand("${SET}", ENV).complete
    # ${X:?} records the name when it is unset (BuildKit would fail the build).
    assert expand("${UNSET:?}", ENV).unresolved == {"UNSET"}
    # The default's own variables count too.
    assert expand("${UNSET:-$OTHER}", ENV).unresolved == {"OTHER"}


def test_backtick_escape() -> None:
    assert expand_value("`$SET", ENV, "`") == "$SET"
    assert expand_value("C:\\dir\\$SET", ENV, "`") == "C:\\dir\\value"
