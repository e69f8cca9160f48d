"""`slimline sbom` against the ground truth of the stand-in images, through the real engine.

dpkg-query run inside the Debian images, the distroless image's ``status.d`` copied out
by the engine, and ``go version -m`` on the Go toolchain's own binary must give exactly
the (name, version) pairs slimline reads. No image is built.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from debian.deb822 import Deb822

from slimline.cli.main import cli
from slimline.cli.sbom import sbom_command as _registered  # noqa: F401
from slimline.engine import Engine
from slimline.report.sbom_json import SCHEMA

pytestmark = [pytest.mark.e2e]

DISTROLESS = "gcr.io/distroless/python3-debian12:latest"
GOLANG = "golang:1.19"


def sbom(target: str, fmt: str = "json") -> Any:
    result = CliRunner().invoke(cli, ["sbom", target, "--format", fmt])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    return doc


def run(engine: Engine, image: str, *command: str) -> str:
    out: bytes = engine.client.containers.run(image, list(command), entrypoint=[], remove=True)
    return out.decode()


def copy_out(engine: Engine, image: str, path: str) -> Iterator[tarfile.TarInfo | bytes]:
    """The members of ``path`` in a container of ``image``, with their bytes."""
    container = engine.client.containers.create(image)
    try:
        chunks, _stat = container.get_archive(path)
        data = b"".join(chunks)
    finally:
        container.remove()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar:
            fh = tar.extractfile(member)
            yield member
            yield fh.read() if fh is not None else b""


def debs(doc: Any) -> set[tuple[str, str]]:
    return {(p["name"], p["version"]) for p in doc["packages"] if p["ecosystem"] == "deb"}


@pytest.mark.parametrize("image", ["python:3.11-slim", "debian:bookworm-slim"])
def test_dpkg_packages_equal_dpkg_query(engine: Engine, image: str) -> None:
    truth = {tuple(line.split(" ", 1)) for line in
             run(engine, image, "dpkg-query", "-W", "-f", "${Package} ${Version}\n").splitlines()}
    doc = sbom(f"docker-daemon:{image}")
    assert doc["schema"] == SCHEMA
    assert doc["os"]["id"] == "debian" and doc["os"]["version_id"] == "12"
    assert debs(doc) == truth
    assert len(truth) > 50
    # every package carries its file list and a Debian purl
    assert all(p["files"] > 0 for p in doc["packages"] if p["ecosystem"] == "deb")
    assert all(p["purl"].startswith("pkg:deb/debian/") and "distro=debian-12" in p["purl"]
               for p in doc["packages"] if p["ecosystem"] == "deb")


def test_distroless_status_d_packages_are_all_listed(engine: Engine, tmp_path: Path) -> None:
    members = list(copy_out(engine, DISTROLESS, "/var/lib/dpkg/status.d"))
    truth = set()
    for member, data in zip(members[::2], members[1::2], strict=True):
        assert isinstance(member, tarfile.TarInfo) and isinstance(data, bytes)
        if member.isfile() and not member.name.endswith(".md5sums"):
            stanza = Deb822(data.decode())
            truth.add((stanza["Package"], stanza["Version"]))
    assert len(truth) > 10
    doc = sbom(f"docker-daemon:{DISTROLESS}")
    assert debs(doc) == truth
    cyclonedx = CliRunner().invoke(cli, ["sbom", f"docker-daemon:{DISTROLESS}", "-f",
                                         "cyclonedx"])
    assert cyclonedx.exit_code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(cyclonedx.output) is None


def test_go_toolchain_build_info_equals_go_version_m(engine: Engine, tmp_path: Path) -> None:
    # the toolchain's own `go` binary, copied out by the engine into a root filesystem
    (_member, data) = list(copy_out(engine, GOLANG, "/usr/local/go/bin/go"))[:2]
    assert isinstance(data, bytes) and data.startswith(b"\x7fELF")
    program = tmp_path / "rootfs" / "usr" / "local" / "bin" / "go"
    program.parent.mkdir(parents=True)
    program.write_bytes(data)
    # `go version -m`: "FILE: go1.19.8", then "\tpath\t...", "\tmod\t...", "\tdep\t..." lines
    report = run(engine, GOLANG, "go", "version", "-m", "/usr/local/go/bin/go").splitlines()
    release = report[0].rsplit(" ", 1)[1].removeprefix("go")
    truth = {("stdlib", release)}
    for line in report[1:]:
        fields = line.strip().split("\t")
        if fields[0] in ("mod", "dep") and fields[2] != "(devel)":
            truth.add((fields[1], fields[2]))
    doc = sbom(f"dir:{tmp_path / 'rootfs'}")
    go = {(p["name"], p["version"]) for p in doc["packages"] if p["ecosystem"] == "go"}
    assert go == truth
    assert {p["location"] for p in doc["packages"] if p["ecosystem"] == "go"} == \
        {"/usr/local/bin/go"}
    assert doc["unowned"] == []  # the program is accounted for by its build info


#: Prints "name version dist-info-path" for every distribution the image's python sees
#: (what `pip list` lists), so that each can be traced to the Debian package owning it.
_DISTRIBUTIONS = (
    "import importlib.metadata as m\n"
    "for d in m.distributions():\n"
    "    print(d.metadata['Name'], d.version, d._path)\n"
)


def test_python_packages_equal_pip_list(engine: Engine, example_image: Any) -> None:
    """`pip list` in the naive FastAPI image: every distribution is either in slimline's
    Python packages (same canonical name and version) or installed by a Debian package
    (`dpkg-query -S` owns its metadata directory), which slimline counts as that deb."""
    from packaging.utils import canonicalize_name

    image = example_image("fastapi-naive").tag
    listed = json.loads(run(engine, image, "python3", "-m", "pip", "list", "--format", "json",
                            "--disable-pip-version-check"))
    truth = {(canonicalize_name(p["name"]), p["version"]) for p in listed}
    doc = sbom(f"docker-daemon:{image}")
    ours = {(p["name"], p["version"]) for p in doc["packages"] if p["ecosystem"] == "python"}
    assert ours, "no Python package read from the image"
    assert ours <= truth, f"slimline lists Python packages pip does not: {sorted(ours - truth)}"
    paths = {}
    for line in run(engine, image, "python3", "-c", _DISTRIBUTIONS).splitlines():
        name, version, path = line.split(" ", 2)
        paths[(canonicalize_name(name), version)] = path
    for pair in sorted(truth - ours):
        owner = run(engine, image, "sh", "-c", 'dpkg-query -S "$1" || echo "none"', "sh",
                    paths[pair])
        assert "none" not in owner.splitlines()[-1:], (
            f"pip lists {pair} but slimline does not, and no Debian package owns {paths[pair]}")
        package = owner.split(":", 1)[0]
        assert package in {p["name"] for p in doc["packages"] if p["ecosystem"] == "deb"}
