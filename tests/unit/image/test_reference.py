"""Image references: transports and Docker names."""

from __future__ import annotations

import pytest

from slimline.errors import ImageError
from slimline.image.model import Platform
from slimline.image.reference import parse_docker_reference, parse_image_reference


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("python", "docker.io", "library/python", None, None),
        ("python:3.11-slim", "docker.io", "library/python", "3.11-slim", None),
        ("user/app:1", "docker.io", "user/app", "1", None),
        ("127.0.0.1:5000/python:3.11", "127.0.0.1:5000", "python", "3.11", None),
        ("localhost/app", "localhost", "app", None, None),
        ("gcr.io/distroless/python3-debian12:nonroot", "gcr.io", "distroless/python3-debian12",
         "nonroot", None),
        ("localhost:5000/a/b@sha256:" + "a" * 64, "localhost:5000", "a/b", None,
         "sha256:" + "a" * 64),
        ("reg.example:443/x:t@sha256:" + "b" * 64, "reg.example:443", "x", "t",
         "sha256:" + "b" * 64),
        ("index.docker.io/library/debian:12", "docker.io", "library/debian", "12", None),
    ],
)
def test_docker_references(text, registry, repository, tag, digest):
    ref = parse_docker_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag,
                                                                   digest)


def test_docker_hub_host_and_familiar_name():
    ref = parse_docker_reference("python:3.11")
    assert ref.host == "registry-1.docker.io"
    assert ref.familiar() == "python:3.11"
    assert parse_docker_reference("127.0.0.1:5000/app").familiar() == "127.0.0.1:5000/app"
    assert parse_docker_reference("127.0.0.1:5000/app").tagged().familiar() == \
        "127.0.0.1:5000/app:latest"


@pytest.mark.parametrize("text", ["Python", "app:", "a//b", "app@sha256:123", "-x", "a:b:c:d",
                                  "app:tag with space", ""])
def test_invalid_docker_references(text):
    with pytest.raises(ImageError):
        parse_docker_reference(text)


def test_transports(tmp_path):
    assert parse_image_reference("docker-daemon:python:3.11").name == "python:3.11"
    ref = parse_image_reference("docker-archive:/tmp/x.tar:app:1")
    assert (ref.transport.name, ref.path, ref.ref) == ("docker-archive", "/tmp/x.tar", "app:1")
    ref = parse_image_reference("docker-archive:/tmp/x.tar:@1")
    assert ref.ref == "@1"
    ref = parse_image_reference("oci:/tmp/layout")
    assert (ref.transport.name, ref.path, ref.ref) == ("oci", "/tmp/layout", None)
    ref = parse_image_reference("oci-archive:/tmp/o.tar:latest")
    assert (ref.transport.name, ref.ref) == ("oci-archive", "latest")
    ref = parse_image_reference("docker://127.0.0.1:5000/python:3.11")
    assert ref.transport.name == "docker" and ref.docker is not None
    assert ref.docker.registry == "127.0.0.1:5000"
    assert parse_image_reference("python:3.11").transport.name == "auto"
    (tmp_path / "img.tar").write_bytes(b"")
    assert parse_image_reference(str(tmp_path / "img.tar")).transport.name == "archive"
    assert parse_image_reference(str(tmp_path)).transport.name == "oci"
    with pytest.raises(ImageError, match="unknown transport"):
        parse_image_reference("ftp://host/x")
    with pytest.raises(ImageError, match="missing"):
        parse_image_reference("oci:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("linux/amd64", Platform("linux", "amd64")), ("linux/arm64/v8", Platform("linux", "arm64", "v8")),
     ("Linux/x86_64", Platform("linux", "amd64")), ("linux/aarch64", Platform("linux", "arm64"))],
)
def test_platform_parse(text, expected):
    assert Platform.parse(text) == expected


def test_platform_matching():
    assert Platform.parse("linux/arm64").matches(Platform("linux", "arm64", "v8"))
    assert Platform.parse("linux/arm64/v8").matches(Platform("linux", "arm64", ""))
    assert not Platform.parse("linux/arm/v7").matches(Platform("linux", "arm", "v6"))
    assert not Platform.parse("linux/amd64").matches(Platform("linux", "arm64"))
    with pytest.raises(ImageError):
        Platform.parse("amd64")
