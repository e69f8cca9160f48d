"""Builder detection: the choice rules, version parsing and CLI discovery."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from slimline.engine.builder import (
    BuilderKind,
    CliInfo,
    choose_builder,
    cli_candidates,
    engine_supports_buildkit,
    parse_version,
    probe_cli,
)
from slimline.errors import EngineError

NEW_NO_BUILDX = CliInfo("/usr/local/bin/docker", (28, 2, 2), has_buildx=False)
OLD_DEBIAN = CliInfo("/usr/bin/docker", (20, 10, 24), has_buildx=False)
NEW_WITH_BUILDX = CliInfo("/opt/docker", (27, 1, 0), has_buildx=True, buildx_version="v0.16.1")


def test_buildx_preferred_over_builtin_buildkit() -> None:
    choice = choose_builder([OLD_DEBIAN, NEW_WITH_BUILDX])
    assert choice.kind is BuilderKind.BUILDX
    assert choice.cli == "/opt/docker"
    assert "buildx plugin v0.16.1" in choice.reason


def test_new_cli_without_buildx_is_skipped_for_old_debian_cli() -> None:
    # The machines' layout: a newer CLI first on PATH without buildx, Debian's 20.10 behind it.
    choice = choose_builder([NEW_NO_BUILDX, OLD_DEBIAN])
    assert choice.kind is BuilderKind.BUILDKIT
    assert choice.cli == "/usr/bin/docker"
    assert "20.10.24" in choice.reason


def test_only_new_cli_without_buildx_means_legacy() -> None:
    choice = choose_builder([NEW_NO_BUILDX])
    assert choice.kind is BuilderKind.LEGACY
    assert choice.cli is None
    assert "28.2.2" in choice.reason


def test_cli_22_still_has_builtin_buildkit_but_23_does_not() -> None:
    assert CliInfo("a", (22, 6, 0), has_buildx=False).has_builtin_buildkit
    assert not CliInfo("a", (23, 0, 0), has_buildx=False).has_builtin_buildkit
    assert not CliInfo("a", None, has_buildx=False).has_builtin_buildkit


def test_no_cli_at_all() -> None:
    choice = choose_builder([])
    assert choice.kind is BuilderKind.LEGACY
    assert choice.reason == "no docker CLI found"


def test_engine_without_buildkit_forces_legacy() -> None:
    choice = choose_builder([NEW_WITH_BUILDX], engine_buildkit=False)
    assert choice.kind is BuilderKind.LEGACY
    assert "no BuildKit" in choice.reason
    with pytest.raises(EngineError, match="engine has no BuildKit"):
        choose_builder([NEW_WITH_BUILDX], engine_buildkit=False, forced="buildx")


def test_forced_builders() -> None:
    assert choose_builder([NEW_WITH_BUILDX], forced="legacy").kind is BuilderKind.LEGACY
    forced = choose_builder([NEW_WITH_BUILDX, OLD_DEBIAN], forced="buildkit")
    assert (forced.kind, forced.cli) == (BuilderKind.BUILDKIT, "/usr/bin/docker")
    assert choose_builder([OLD_DEBIAN], forced=" AUTO ").kind is BuilderKind.BUILDKIT
    with pytest.raises(EngineError, match="no docker CLI has the buildx plugin"):
        choose_builder([OLD_DEBIAN], forced="buildx")
    with pytest.raises(EngineError, match="no docker CLI has buildx or a built-in"):
        choose_builder([NEW_NO_BUILDX], forced="buildkit")
    with pytest.raises(EngineError, match="expected buildx, buildkit, legacy or auto"):
        choose_builder([OLD_DEBIAN], forced="kaniko")


def test_buildkit_env_only_for_buildkit_kind() -> None:
    base = {"PATH": "/bin", "DOCKER_BUILDKIT": "0"}
    assert choose_builder([OLD_DEBIAN]).env(base)["DOCKER_BUILDKIT"] == "1"
    assert choose_builder([NEW_WITH_BUILDX]).env(base)["DOCKER_BUILDKIT"] == "0"
    assert choose_builder([]).env(base) == base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Docker version 20.10.24+dfsg1, build 297e128", (20, 10, 24)),
        ("Docker version 28.2.2, build e6534b4", (28, 2, 2)),
        ("Docker version 1.13", (1, 13, 0)),
        ("20.10.5-ce", (20, 10, 5)),
        ("no version here", None),
    ],
)
def test_parse_version(text: str, expected: tuple[int, int, int] | None) -> None:
    assert parse_version(text) == expected


@pytest.mark.parametrize(
    ("version", "os_type", "expected"),
    [
        ("20.10.24+dfsg1", "linux", True),
        ("18.09.0", "linux", True),
        ("18.06.1-ce", "linux", False),
        ("24.0.7", "windows", False),
        (None, None, True),
    ],
)
def test_engine_supports_buildkit(version: str | None, os_type: str | None, expected: bool) -> None:
    assert engine_supports_buildkit(version, os_type) is expected


def fake_cli(directory: Path, script: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "docker"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_cli_candidates_order_and_dedup(tmp_path: Path) -> None:
    first = fake_cli(tmp_path / "a", "exit 0\n")
    second = fake_cli(tmp_path / "b", "exit 0\n")
    (tmp_path / "link").mkdir()
    (tmp_path / "link" / "docker").symlink_to(first)
    (tmp_path / "empty").mkdir()
    not_exec = tmp_path / "noexec"
    not_exec.mkdir()
    (not_exec / "docker").write_text("x", encoding="utf-8")
    search = os.pathsep.join(str(tmp_path / d) for d in ("empty", "noexec", "link", "a", "b"))
    found = cli_candidates(path_env=search, env={"SLIMLINE_DOCKER_CLI": str(second)})
    ours = [p for p in found if p.startswith(str(tmp_path))]
    # the explicit CLI first; the symlink and its target count once; non-executables skipped
    assert ours == [str(second), str(tmp_path / "link" / "docker")]


def test_probe_cli_reads_version_and_buildx(tmp_path: Path) -> None:
    old = fake_cli(
        tmp_path / "old",
        'case "$1" in --version) echo "Docker version 20.10.24+dfsg1, build 297e128";;\n'
        "buildx) echo \"docker: 'buildx' is not a docker command.\" >&2; exit 1;;\nesac\n",
    )
    new = fake_cli(
        tmp_path / "new",
        'case "$1" in --version) echo "Docker version 27.1.0, build 6312585";;\n'
        'buildx) echo "github.com/docker/buildx v0.16.1 a1b2c3";;\nesac\n',
    )
    old_info = probe_cli(str(old))
    new_info = probe_cli(str(new))
    assert old_info == CliInfo(str(old), (20, 10, 24), has_buildx=False)
    assert new_info == CliInfo(str(new), (27, 1, 0), has_buildx=True, buildx_version="v0.16.1")
    assert choose_builder([old_info, new_info]).kind is BuilderKind.BUILDX


def test_probe_cli_that_cannot_run(tmp_path: Path) -> None:
    broken = fake_cli(tmp_path / "broken", "exit 3\n")
    info = probe_cli(str(broken))
    assert info == CliInfo(str(broken), None, has_buildx=False)
    missing = probe_cli(str(tmp_path / "nope" / "docker"))
    assert missing.version is None and not missing.has_buildx
