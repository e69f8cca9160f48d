"""compare() end to end on two small images, the reports and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from imagebuilder import E, Spec, d, layer, write_docker25_archive, write_oci_layout

from slimline.cli.compare import compare_command as _registered  # noqa: F401
from slimline.cli.main import cli
from slimline.compare import CompareResult, compare, diff_trees, parse_bandwidth
from slimline.errors import SlimlineError
from slimline.image.files import FileInfo
from slimline.report import RenderOptions
from slimline.report.json import COMPARE_SCHEMA as SCHEMA
from slimline.report.json import compare_dict as to_dict
from slimline.report.markdown import compare_markdown
from slimline.report.views import highlights, summary_rows

MB = 1_000_000

STATUS_A = """\
Package: gcc-12
Status: install ok installed
Installed-Size: 60000
Version: 12.2.0

Package: make
Status: install ok installed
Installed-Size: 1500
Version: 4.3

Package: libc6-dev
Status: install ok installed
Installed-Size: 12000
Version: 2.36

Package: dpkg
Status: install ok installed
Installed-Size: 6000
Version: 1.21

Package: libc6
Status: install ok installed
Installed-Size: 13000
Version: 2.36
"""

STATUS_B = """\
Package: libc6
Status: install ok installed
Installed-Size: 13000
Version: 2.36
"""


def text(name: str, content: str) -> E:
    return E(name, "file", data=content.encode())


def f(name: str, size: int) -> E:
    """A file of ``size`` zero bytes (quick to write, whatever its size)."""
    return E(name, "file", data=bytes(size))


def builder_like() -> Spec:
    return Spec([
        layer([d("bin"), f("bin/sh", 100_000), d("usr"), d("usr/bin"),
               f("usr/bin/apt-get", 50_000), f("usr/bin/dpkg", 300_000),
               f("usr/bin/gcc-12", 1_000_000), f("usr/bin/make", 250_000),
               d("usr/lib"), d("usr/lib/gcc"), d("usr/lib/gcc/x86_64-linux-gnu"),
               f("usr/lib/gcc/x86_64-linux-gnu/cc1", 3 * MB),
               f("usr/lib/gcc/x86_64-linux-gnu/lto1", 2 * MB),
               d("usr/include"), f("usr/include/stdio.h", 30_000),
               f("usr/lib/libc.so.6", 2 * MB), f("usr/lib/libssl.so", 600_000),
               f("usr/lib/libcrypto.so", 400_000),
               d("var"), d("var/lib"), d("var/lib/dpkg"), text("var/lib/dpkg/status", STATUS_A)]),
        layer([d("app"), f("app/main.py", 1_000)]),
    ])


def runtime_like() -> Spec:
    return Spec([
        layer([d("usr"), d("usr/lib"), f("usr/lib/libc.so.6", 2 * MB),
               d("var"), d("var/lib"), d("var/lib/dpkg"), d("var/lib/dpkg/status.d"),
               text("var/lib/dpkg/status.d/libc6", STATUS_B.replace("Status: install ok "
                                                                    "installed\n", ""))]),
        layer([d("app"), f("app/main.py", 5_000)]),
    ], config_extra={"User": "65532"})


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    tmp_path = tmp_path_factory.mktemp("pair")
    write_oci_layout(tmp_path / "a", builder_like(), "gzip")
    write_docker25_archive(tmp_path / "b.tar", runtime_like())
    return f"oci:{tmp_path / 'a'}", f"docker-archive:{tmp_path / 'b.tar'}"


@pytest.fixture(scope="module")
def result(pair: tuple[str, str]) -> CompareResult:
    return compare(*pair, bandwidth_bps=8 * MB)


def test_sides(result: CompareResult) -> None:
    a, b = result.a, result.b
    assert a.layers == b.layers == 2
    assert a.size == a.content_size and a.size_source == "layers"
    assert a.size == sum((100_000, 50_000, 300_000, 1_000_000, 250_000, 3 * MB, 2 * MB,
                          30_000, 2 * MB, 600_000, 400_000, len(STATUS_A), 1_000))
    assert a.compressed_size is not None and b.compressed_size is None  # b is uncompressed
    assert a.user == "" and b.user == "65532"
    assert a.tool("shells") is not None and b.tool("shells") is None
    assert a.tool("package-managers") is not None and b.tool("package-managers") is None
    assert a.package_counts() == {"deb": 5} and b.package_counts() == {"deb": 1}


def test_pull_time_uses_uncompressed_bytes_unless_both_are_compressed(
        result: CompareResult) -> None:
    assert result.pull_basis == "uncompressed"
    assert result.pull_seconds(result.a) == pytest.approx(result.a.size * 8 / (8 * MB))


def test_differences_largest_first_with_directories_aggregated(result: CompareResult) -> None:
    rows = [(c.change, c.kind, c.path, c.delta, c.files) for c in result.paths]
    assert rows[0] == ("removed", "dir", "/usr/lib/gcc", -5 * MB, 2)
    assert ("removed", "dir", "/usr/bin", -1_600_000, 4) in rows  # B has no /usr/bin
    assert ("removed", "files", "/usr/lib", -1_000_000, 2) in rows
    assert ("removed", "dir", "/bin", -100_000, 1) in rows
    assert ("removed", "dir", "/usr/include", -30_000, 1) in rows
    assert ("grown", "file", "/app/main.py", 4_000, 1) in rows
    deltas = [abs(c.delta) for c in result.paths]
    assert deltas == sorted(deltas, reverse=True)
    assert all(c.path != "/usr/lib/libc.so.6" for c in result.paths)  # unchanged


def test_packages_and_highlights(result: CompareResult) -> None:
    removed = [(p.name, p.toolchain) for p in result.packages if p.change == "removed"]
    assert removed == [("gcc-12", True), ("libc6-dev", True), ("dpkg", False),
                       ("make", True)]
    assert [p.name for p in result.removed_toolchain] == ["gcc-12", "libc6-dev", "make"]
    lines = highlights(result)
    assert any(line.startswith("Toolchain removed (3 packages") and "gcc-12, make" in line
               and "libc6-dev" in line for line in lines), lines
    assert any(line.startswith("No package managers in B") and "apt-get" in line
               for line in lines), lines
    assert any(line.startswith("No shells in B") for line in lines), lines


def test_json_and_markdown(result: CompareResult) -> None:
    doc = json.loads(json.dumps(to_dict(result, top=3)))
    assert doc["schema"] == SCHEMA
    assert len(doc["differences"]) == 3 and doc["differences_total"] == len(result.paths)
    assert doc["a"]["size"] == result.a.size
    assert doc["removed_toolchain"] == ["gcc-12", "libc6-dev", "make"]
    assert doc["b"]["package_managers"] == []
    md = compare_markdown(result, RenderOptions(top=5))
    assert md.startswith("### slimline compare")
    assert "| removed | gcc-12 (deb) | 12.2.0 |" in md
    assert "`/usr/lib/gcc/`" in md


def test_diff_trees_counts_added_directories_and_single_files() -> None:
    a = {"/x": FileInfo("/x", "dir", 0, "", 0), "/x/one": FileInfo("/x/one", "file", 5, "", 0)}
    b = {"/x": FileInfo("/x", "dir", 0, "", 0), "/y": FileInfo("/y", "dir", 0, "", 0),
         "/y/z": FileInfo("/y/z", "dir", 0, "", 0), "/y/z/big": FileInfo("/y/z/big", "file", 9,
                                                                         "", 0)}
    got = [(c.change, c.kind, c.path, c.delta) for c in diff_trees(a, b)]
    assert got == [("added", "dir", "/y", 9), ("removed", "file", "/x/one", -5)]


@pytest.mark.parametrize(("text", "bps"), [("100Mbit", 100_000_000), ("1Gbit", 10**9),
                                           ("50MB", 400_000_000), ("20mbps", 20_000_000),
                                           ("512k", 512_000)])
def test_parse_bandwidth(text: str, bps: int) -> None:
    assert parse_bandwidth(text) == bps


@pytest.mark.parametrize("text", ["fast", "0Mbit", "-1Mbit", ""])
def test_parse_bandwidth_rejects(text: str) -> None:
    with pytest.raises(SlimlineError):
        parse_bandwidth(text)


def test_cli_formats(pair: tuple[str, str]) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["compare", *pair, "--format", "json", "--top", "2"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["schema"] == SCHEMA and len(doc["differences"]) == 2
    out = runner.invoke(cli, ["compare", *pair])
    assert out.exit_code == 0, out.output
    assert "Top differences" in out.output and "gcc-12" in out.output
    out = runner.invoke(cli, ["compare", *pair, "--format", "markdown"])
    assert out.exit_code == 0 and out.output.startswith("### slimline compare")


def test_cli_bad_input_is_one_line_and_exit_2(pair: tuple[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["compare", pair[0], f"oci:{tmp_path / 'missing'}"])
    assert out.exit_code == 2
    assert out.output.startswith("slimline: ") and out.output.count("\n") == 1
    out = runner.invoke(cli, ["compare", *pair, "--bandwidth", "fast"])
    assert out.exit_code == 2 and out.output.startswith("slimline: invalid bandwidth")


def test_an_image_in_a_registry_is_pulled_again_and_timed(tmp_path: Path) -> None:
    from fakeregistry import serve
    from imagebuilder import oci_files

    files = oci_files(builder_like(), "gzip", ref="v1")
    layer_bytes = sum(len(v) for k, v in files.items() if k.startswith("blobs/")
                      and v[:2] == b"\x1f\x8b")
    write_oci_layout(tmp_path / "b", runtime_like(), "gzip")
    with serve("team/app", files) as (host, behaviour):
        got = compare(f"docker://{host}/team/app:v1", f"oci:{tmp_path / 'b'}")
        measured_gets = sum("/blobs/" in r for r in behaviour.requests)
        behaviour.requests.clear()
        skipped = compare(f"docker://{host}/team/app:v1", f"oci:{tmp_path / 'b'}",
                          measure_pulls=False)
        plain_gets = sum("/blobs/" in r for r in behaviour.requests)
    pulled = got.a.measured_pull
    assert pulled is not None and pulled.seconds > 0
    assert pulled.bytes == layer_bytes == got.a.compressed_size
    assert got.b.measured_pull is None  # an OCI layout is not in a registry
    # the timed pull downloads the config and every layer once more
    assert measured_gets - plain_gets == 1 + len(builder_like().layers)
    assert skipped.a.measured_pull is None
    doc = to_dict(got)
    assert doc["a"]["measured_pull"]["bytes"] == layer_bytes
    assert doc["b"]["measured_pull"] is None
    assert any(row[0] == "pull measured (registry)" for row in summary_rows(got))


def test_a_failed_timed_pull_is_a_warning_not_a_failure(
        pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import slimline.compare as compare_module
    from slimline.errors import RegistryError

    def failing(reference: str, platform: object = None) -> None:
        raise RegistryError(f"{reference}: connection reset")

    monkeypatch.setattr(compare_module, "measure_pull", failing)
    got = compare(*pair)
    assert got.a.measured_pull is None and got.b.measured_pull is None
    assert len(got.warnings) == 2 and "connection reset" in got.warnings[0]
    assert to_dict(got)["warnings"] == got.warnings
