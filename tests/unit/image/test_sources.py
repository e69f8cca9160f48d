"""What an image's source can do, whatever transport read it (no engine needed here)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import ClassVar

import pytest
from fakeregistry import serve
from imagebuilder import (
    E,
    Spec,
    d,
    f,
    layer,
    oci_files,
    sha,
    write_docker25_archive,
    write_legacy_archive,
    write_oci_archive,
    write_oci_layout,
)

from slimline.compare import measure_pull
from slimline.errors import ImageError
from slimline.image import Image, ImageReference, ImageSource, open_image
from slimline.image.files import read_final_files
from slimline.image.lookup import base_identity, identity_of
from slimline.image.transports import REGISTRY, OpenOptions, Transport, load, parse


@pytest.fixture(autouse=True)
def _no_docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))


def _spec() -> Spec:
    return Spec([layer([d("etc"), f("etc/os-release", 30)]), layer([f("app", 7)])])


def test_every_registered_transport_loads_and_names_itself() -> None:
    names = {"docker-daemon:": "python:3.11", "docker://": "reg.example/app:1"}
    for prefix, target in REGISTRY.items():
        transport = load(target)
        assert prefix.rstrip(":/") == transport.name
        assert parse(prefix + names.get(prefix, "/tmp/x")).transport is transport


def test_archive_labels_follow_the_transport_or_the_content(tmp_path: Path) -> None:
    spec = _spec()
    write_legacy_archive(tmp_path / "legacy.tar", spec)
    write_oci_archive(tmp_path / "oci.tar", spec, "gzip")
    write_docker25_archive(tmp_path / "d25.tar", spec, "none")
    write_oci_layout(tmp_path / "layout", spec, "gzip")
    cases = {
        str(tmp_path / "legacy.tar"): "docker-archive",
        str(tmp_path / "oci.tar"): "oci-archive",
        f"docker-archive:{tmp_path}/d25.tar": "docker-archive",
        f"oci-archive:{tmp_path}/d25.tar": "oci-archive",
        f"oci-archive:{tmp_path}/legacy.tar": "docker-archive",
        str(tmp_path / "layout"): "oci",
    }
    for reference, label in cases.items():
        with open_image(reference) as image:
            assert image.transport == label, reference
            assert image.source.stored_size() is None
            assert image.source.find("python:3.11", None) is None


def test_a_compressed_archive_is_read_again_from_its_source(tmp_path: Path) -> None:
    """File contents of a one-pass source come from streaming the stored archive again."""
    content = b"ID=test\n"
    spec = Spec([layer([d("etc"), E("etc/os-release", data=content)]), layer([f("app", 7)])])
    write_legacy_archive(tmp_path / "legacy.tar", spec)
    with (tmp_path / "legacy.tar").open("rb") as src, \
            gzip.open(tmp_path / "legacy.tar.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    with open_image(f"docker-archive:{tmp_path}/legacy.tar.gz") as image:
        with image.source.open_stream() as raw:
            assert raw.read(2) == b"\x1f\x8b"
        found = read_final_files(image, lambda path: path == "/etc/os-release", 1000)
    assert found == {"/etc/os-release": content}


def test_a_layout_cannot_be_streamed_again(tmp_path: Path) -> None:
    write_oci_layout(tmp_path / "layout", _spec(), "gzip")
    with open_image(f"oci:{tmp_path}/layout") as image, \
            pytest.raises(ImageError, match="cannot be read again"):
        image.source.open_stream()
    assert isinstance(image.source, ImageSource)


def test_registry_images_are_remote_and_pulls_are_measured_only_there(tmp_path: Path) -> None:
    spec = _spec()
    files = oci_files(spec, "gzip", ref="v1")
    with serve("app", files) as (host, _):
        measured = measure_pull(f"docker://{host}/app:v1")
    assert measured is not None and measured.bytes == sum(
        len(data) for name, data in files.items()
        if name.startswith("blobs/") and data[:2] == b"\x1f\x8b")
    write_oci_layout(tmp_path / "layout", spec, "gzip")
    assert measure_pull(f"oci:{tmp_path}/layout") is None
    assert measure_pull(str(tmp_path / "layout")) is None


def test_base_images_are_looked_up_only_where_the_user_pointed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import slimline.image.transports.auto as auto

    monkeypatch.setattr(auto, "engine_has_image", lambda name: False)
    monkeypatch.setattr(auto, "identity_from_daemon", lambda name: None)
    base = Spec([layer([d("usr"), f("usr/python", 900)])])
    app = Spec([base.layers[0], layer([f("app/main.py", 50)])])
    with serve("app", oci_files(app, "gzip", ref="v1"),
               more={"python": oci_files(base, "gzip", ref="3.11")}) as (host, _):
        # a bare name found on a registry: that registry was not named, nothing is looked up
        with open_image(f"{host}/app:v1") as image:
            assert image.transport == "docker"
            assert base_identity("python:3.11", image, None) is None
            assert base_identity("scratch", image, None) is not None
        # --base names the image itself: any transport says its identity
        ident = identity_of(f"docker://{host}/python:3.11")
        assert ident.diff_ids == (sha(base.layers[0]),)
        assert identity_of(f"{host}/python:3.11").diff_ids == ident.diff_ids


class _NamedSource(ImageSource):
    transport = "named"

    def stored_size(self) -> int | None:
        return 42


class _NamedTransport(Transport):
    """``named:NAME``: an image from a table of OCI layouts (a transport made for this test)."""

    name = "named"
    layouts: ClassVar[dict[str, str]] = {}

    def parse(self, rest: str, text: str) -> ImageReference:
        if rest not in self.layouts:
            raise ImageError(f"{text}: no such named image")
        return ImageReference(text, self, path=self.layouts[rest])

    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        assert ref.path is not None
        image = parse(f"oci:{ref.path}").open(options)
        image.source = _NamedSource()
        image.reference = ref.text
        return image


NAMED = _NamedTransport()


def test_a_transport_is_one_module_and_one_registry_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _spec()
    write_oci_layout(tmp_path / "layout", spec, "gzip")
    monkeypatch.setitem(_NamedTransport.layouts, "app", str(tmp_path / "layout"))
    monkeypatch.setitem(REGISTRY, "named:", f"{__name__}:NAMED")
    with open_image("named:app") as image:
        assert (image.transport, image.reference) == ("named", "named:app")
        assert image.config.digest == sha(spec.config())
        assert image.source.stored_size() == 42
    with pytest.raises(ImageError, match="no such named image"):
        open_image("named:other")
