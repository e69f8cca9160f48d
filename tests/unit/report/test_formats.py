"""The format registry, the escaping helpers and the shared units."""

from __future__ import annotations

import json

import click
import pytest

from slimline.cli import commands  # noqa: F401  (registers the commands)
from slimline.cli.main import cli
from slimline.report import FORMATS, get_format
from slimline.report.safe import json_dumps, one_line, visible
from slimline.units import percent, seconds, share

COMMANDS = ("lint", "analyze", "compare", "optimize", "sbom", "scan")


def _choices(command: str) -> tuple[str, ...]:
    cmd = cli.commands[command]
    option = next(p for p in cmd.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    return tuple(str(c) for c in option.type.choices)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_offered_format_renders_the_command(command: str) -> None:
    offered = _choices(command)
    assert offered[0] == "text"
    for name in offered:
        assert get_format(name).supports(command), (command, name)


@pytest.mark.parametrize("command", ["analyze", "compare", "optimize"])
def test_html_renders_the_commands_with_an_html_option(command: str) -> None:
    assert any(p.name == "html_path" for p in cli.commands[command].params)
    assert get_format("html").supports(command)


def test_registry_modules_define_a_format() -> None:
    for name in FORMATS:
        fmt = get_format(name)
        assert any(fmt.supports(c) for c in COMMANDS), name
    assert not get_format("sarif").supports("analyze")
    assert _choices("lint") == ("text", "json", "sarif", "github")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("x/[/]", "x/[/]"),
        ("uvicorn[standard]", "uvicorn[standard]"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\x07 csi\x9b del\x7f nul\x00", "bell\\x07 csi\\x9b del\\x7f nul\\x00"),
        ("bad-\udcff.txt", "bad-\ufffd.txt"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("é ü 日本", "é ü 日本"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    visible(raw).encode("utf-8")


def test_one_line_shows_tabs_and_newlines() -> None:
    assert one_line("a\tb\nc\rd") == "a\\tb\\nc\\rd"


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_json_dumps_escapes_only_lone_surrogates(ensure_ascii: bool) -> None:
    doc = {"path": "bad-\udcff.txt", "name": "日本", "esc": "\x1b"}
    out = json_dumps(doc, ensure_ascii=ensure_ascii)
    raw = out.encode("utf-8")
    assert b"bad-\\udcff.txt" in raw and b"\\u001b" in raw
    assert ("日本" in out) is not ensure_ascii
    assert json.loads(raw) == doc
    assert out.endswith("}\n")


def test_units() -> None:
    assert seconds(None) == "-"
    assert seconds(12.34) == "12.3 s"
    assert seconds(150) == "2.5 min"
    assert percent(0.4567) == "45.7 %"
    assert percent(0.4567, 2) == "45.67 %"
    assert share(1, 8) == "12.5%"
    assert share(1, 0) == "0%"
