"""``slimline sbom`` on the command line: formats, -o, a directory, bad input (exit 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner
from rootfs_fixture import write_directory, write_image

from slimline.cli.main import cli
from slimline.cli.sbom import sbom_command as _registered  # noqa: F401


def test_json_of_an_archive_to_a_file(tmp_path: Path) -> None:
    archive = write_image(tmp_path / "image.tar")
    target = tmp_path / "sbom.json"
    result = CliRunner().invoke(cli, ["sbom", str(archive), "--format", "json", "-o",
                                      str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    doc = json.loads(target.read_text())
    assert doc["summary"]["packages"] == 11
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sbom.json.")]


def test_cyclonedx_of_a_root_directory(tmp_path: Path) -> None:
    root = write_directory(tmp_path / "rootfs")
    result = CliRunner().invoke(cli, ["sbom", f"dir:{root}", "-f", "cyclonedx"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["metadata"]["component"]["type"] == "file"
    assert len(doc["components"]) == 12  # the OS and 11 packages


def test_table_is_the_default(tmp_path: Path) -> None:
    root = write_directory(tmp_path / "rootfs")
    result = CliRunner().invoke(cli, ["sbom", str(root)])
    assert result.exit_code == 0, result.output
    assert "Packages" in result.output and "requests" in result.output


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tar"
    broken.write_bytes(b"not a tar at all" * 100)
    for argument in (str(broken), f"dir:{tmp_path / 'missing'}",
                     f"docker-archive:{tmp_path / 'missing.tar'}"):
        result = CliRunner().invoke(cli, ["sbom", argument, "-f", "json"])
        assert result.exit_code == 2, (argument, result.output)
        assert result.output.startswith("slimline: ")
        assert len(result.output.strip().splitlines()) == 1


def test_hostile_file_names_in_every_format(tmp_path: Path) -> None:
    root = write_directory(tmp_path / "rootfs")
    app = os.fsencode(root / "app")
    # a name that is not UTF-8, one with an escape sequence, one that looks like markup
    for name in (b"caf\xe9.bin", b"\x1b[31mred\x1b[0m", b"[bold]x"):
        with open(os.path.join(app, name), "wb") as fh:
            fh.write(b"x" * 3000)
    table = CliRunner().invoke(cli, ["sbom", str(root)])
    assert table.exit_code == 0, table.output
    assert "/app/caf\\xe9.bin" in table.output
    assert "/app/\\x1b[31mred\\x1b[0m" in table.output and "\x1b" not in table.output
    assert "/app/[bold]x" in table.output
    doc = json.loads(CliRunner().invoke(cli, ["sbom", str(root), "-f", "json"]).output)
    assert "/app/caf\udce9.bin" in {u["path"] for u in doc["unowned"]}
    for fmt in ("cyclonedx", "spdx"):
        result = CliRunner().invoke(cli, ["sbom", str(root), "-f", fmt])
        assert result.exit_code == 0, result.output
        json.loads(result.output)


def test_output_into_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    root = write_directory(tmp_path / "rootfs")
    result = CliRunner().invoke(cli, ["sbom", str(root), "-f", "spdx", "-o",
                                      str(tmp_path / "nowhere" / "sbom.json")])
    assert result.exit_code == 2
    assert result.output.startswith("slimline: ") and "nowhere" in result.output
    assert len(result.output.strip().splitlines()) == 1
