"""Probe configuration: parsing, defaults, precedence and every validation error."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimline.engine.probe import (
    DEFAULT_TIMEOUT,
    ProbeConfig,
    load_probe_config,
    load_probe_file,
    probe_from_mapping,
)
from slimline.errors import ParseError, SlimlineError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_http_probe_defaults() -> None:
    config = probe_from_mapping({"port": 8000})
    assert config == ProbeConfig(port=8000)
    assert config.kind == "http"
    assert (config.path, config.status, config.body_contains) == ("/", 200, None)
    assert config.timeout == DEFAULT_TIMEOUT == 30.0
    assert dict(config.env) == {}


def test_http_probe_all_keys() -> None:
    config = probe_from_mapping(
        {
            "port": 5000,
            "path": "/health",
            "status": 204,
            "body_contains": "ok",
            "timeout": 12,
            "env": {"MODE": "test"},
        },
        source="x.toml",
    )
    assert config.port == 5000
    assert config.path == "/health"
    assert config.status == 204
    assert config.body_contains == "ok"
    assert config.timeout == 12.0 and isinstance(config.timeout, float)
    assert dict(config.env) == {"MODE": "test"}
    assert config.source == "x.toml"
    assert "GET /health on container port 5000 answers 204" in config.describe()


def test_command_probe() -> None:
    config = probe_from_mapping(
        {"command": ["python", "-c", "print('hi')"], "output_contains": "hi", "timeout": 5.5}
    )
    assert config.kind == "command"
    assert config.command == ("python", "-c", "print('hi')")
    assert config.output_contains == "hi"
    assert config.exit_code == 0
    assert config.port is None
    assert config.timeout == 5.5
    assert "exits 0" in config.describe()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "exactly one of 'port'"),
        ({"port": 80, "command": ["x"]}, "exactly one of 'port'"),
        ({"port": 80, "output_contains": "x"}, "output_contains do(es) not apply to an HTTP"),
        ({"command": ["x"], "body_contains": "x"}, "body_contains do(es) not apply to a command"),
        ({"command": ["x"], "path": "/"}, "path do(es) not apply"),
        ({"port": 80, "bodycontains": "x"}, "unknown key(s) bodycontains"),
        ({"port": "80"}, "port must be an integer, not str"),
        ({"port": True}, "port must be an integer, not bool"),
        ({"port": 0}, "port must be between 1 and 65535, not 0"),
        ({"port": 70000}, "port must be between 1 and 65535"),
        ({"port": 80, "status": 99}, "status must be between 100 and 599"),
        ({"port": 80, "status": 200.0}, "status must be an integer, not float"),
        ({"port": 80, "path": "health"}, "path must start with '/'"),
        ({"port": 80, "path": 3}, "path must be a string"),
        ({"port": 80, "body_contains": 3}, "body_contains must be a string"),
        ({"port": 80, "timeout": 0}, "timeout must be a positive number"),
        ({"port": 80, "timeout": -1.5}, "timeout must be a positive number"),
        ({"port": 80, "timeout": float("inf")}, "timeout must be a positive number"),
        ({"port": 80, "timeout": "30"}, "timeout must be a number of seconds, not str"),
        ({"port": 80, "timeout": False}, "timeout must be a number of seconds, not bool"),
        ({"port": 80, "env": ["A=1"]}, "env must be a table"),
        ({"port": 80, "env": {"A": 1}}, "env.A must be a string, not int"),
        ({"port": 80, "env": {"A=B": "1"}}, "env: bad variable name"),
        ({"command": "python app.py"}, "command must be a non-empty list of strings"),
        ({"command": []}, "command must be a non-empty list of strings"),
        ({"command": ["a", 1]}, "command must be a non-empty list of strings"),
        ({"command": ["a"], "exit_code": 256}, "exit_code must be between 0 and 255"),
        ({"command": ["a"], "output_contains": ["x"]}, "output_contains must be a string"),
    ],
)
def test_invalid_tables(table: dict[str, object], message: str) -> None:
    with pytest.raises(SlimlineError) as info:
        probe_from_mapping(table, source="probe.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("probe.toml: probe: ")


def test_slimline_toml(tmp_path: Path) -> None:
    write(tmp_path / ".slimline.toml", '[probe]\nport = 8080\nbody_contains = "hi"\n')
    config = load_probe_config(tmp_path)
    assert config is not None
    assert (config.port, config.body_contains) == (8080, "hi")
    assert config.source == str(tmp_path / ".slimline.toml")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.slimline.probe]\ncommand = ["app", "--version"]\n'
        'output_contains = "1.0"\n',
    )
    config = load_probe_config(tmp_path)
    assert config is not None
    assert config.command == ("app", "--version")
    assert config.source == str(tmp_path / "pyproject.toml")


def test_slimline_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / ".slimline.toml", "[probe]\nport = 1111\n")
    write(tmp_path / "pyproject.toml", "[tool.slimline.probe]\nport = 2222\n")
    config = load_probe_config(tmp_path)
    assert config is not None and config.port == 1111


def test_pyproject_used_when_slimline_toml_has_no_probe(tmp_path: Path) -> None:
    write(tmp_path / ".slimline.toml", "[lint]\nignore = []\n")
    write(tmp_path / "pyproject.toml", "[tool.slimline.probe]\nport = 2222\n")
    config = load_probe_config(tmp_path)
    assert config is not None and config.port == 2222


def test_no_probe_anywhere(tmp_path: Path) -> None:
    assert load_probe_config(tmp_path) is None
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.other]\nport = 1\n')
    assert load_probe_config(tmp_path) is None


def test_probe_key_in_pyproject_top_level_is_not_read(tmp_path: Path) -> None:
    # A bare [probe] table belongs to .slimline.toml; pyproject uses [tool.slimline.probe].
    write(tmp_path / "pyproject.toml", "[probe]\nport = 2222\n")
    assert load_probe_config(tmp_path) is None


def test_probe_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / ".slimline.toml", 'probe = "port 80"\n')
    with pytest.raises(SlimlineError, match=r"\[probe\] must be a table"):
        load_probe_file(path)


def test_invalid_toml_is_a_parse_error_with_path(tmp_path: Path) -> None:
    path = write(tmp_path / ".slimline.toml", "[probe\nport = 80\n")
    with pytest.raises(ParseError) as info:
        load_probe_config(tmp_path)
    assert info.value.path == str(path)
    assert "invalid TOML" in str(info.value)


def test_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / ".slimline.toml", '[probe]\nport = 80\nstatus = "ok"\n')
    with pytest.raises(SlimlineError) as info:
        load_probe_config(tmp_path)
    assert info.value.path == str(path)
    assert "status must be an integer" in str(info.value)


@pytest.mark.parametrize(
    ("app", "port", "path"),
    [
        ("fastapi-naive", 8000, "/"),
        ("fastapi-complete", 8000, "/"),
        ("flask-layers", 5000, "/health"),
        ("go-server", 8080, "/"),
    ],
)
def test_every_example_declares_an_http_probe(app: str, port: int, path: str) -> None:
    config = load_probe_config(EXAMPLES / app)
    assert config is not None
    assert (config.kind, config.port, config.path, config.status) == ("http", port, path, 200)
    assert config.body_contains
