"""Image references: transports and Docker names."""

from __future__ import annotations

import re

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


# -- the one Docker-name parser (distribution's reference grammar) -------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("index.docker.io/library/python:3.11", "docker.io/library/python:3.11"),
        ("index.docker.io/python", "docker.io/library/python"),
        ("registry-1.docker.io/user/app", "docker.io/user/app"),
        ("docker.io/python", "docker.io/library/python"),
        ("localhost:5000/a", "localhost:5000/a"),
        ("[::1]:5000/a:b", "[::1]:5000/a:b"),
        ("Registry.Example/a", "Registry.Example/a"),
        ("a__b/c.d-e--f:v_1.2-x", "docker.io/a__b/c.d-e--f:v_1.2-x"),
    ],
)
def test_names_are_normalised(text: str, expected: str) -> None:
    assert str(parse_docker_reference(text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Python:3.11", "repository name 'Python' must be lower case"),
        ("docker.io/Library/python", "must be lower case"),
        ("localhost:5000/App", "must be lower case"),
        ("a" * 64, "image ID, not a name"),
        ("python:" + "t" * 129, "invalid tag"),
        ("python:-x", "invalid tag"),
        ("python:é", "invalid tag"),
        ("python@sha256:" + "A" * 64, "invalid digest"),
        ("python@md5:" + "a" * 32, "invalid digest"),
        ("a_/b", "invalid repository name"),
        ("-host.example/a", "invalid registry"),
        ("x/" + "a" * 260, "longer than 255"),
    ],
)
def test_invalid_names_say_why(text: str, message: str) -> None:
    with pytest.raises(ImageError, match=re.escape(message)):
        parse_docker_reference(text)


def test_knowledge_uses_the_same_parser() -> None:
    from slimline.knowledge.images import classify_base, parse_image_ref

    for text in ("python:3.11", "index.docker.io/library/python:3.11", "Python:3.11",
                 "gcr.io/distroless/static", "a" * 64, "python@sha256:" + "1" * 64):
        try:
            expected = parse_docker_reference(text)
        except ImageError:
            expected = None
        assert parse_image_ref(text) == expected, text
    # index.docker.io is Docker Hub: its official images are in the catalog
    info = classify_base("index.docker.io/library/python:3.11-slim")
    assert info is not None and info.variant == "slim"
    untagged = parse_image_ref("ubuntu")
    assert untagged is not None and untagged.tag is None and untagged.short_name == "ubuntu"


def test_image_ids_and_paths_are_not_names(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    image_id = "0123456789abcdef" * 4
    for text in (image_id, "sha256:" + image_id):
        ref = parse_image_reference(text)
        assert ref.docker is None and ref.name == text
    for text in ("missing.tar", "./app", "/no/such/dir", "out/image.tar.gz", "~/img.tar"):
        with pytest.raises(ImageError, match="no such file or directory"):
            parse_image_reference(text)


def test_archive_paths_may_contain_colons(tmp_path) -> None:
    odd = tmp_path / "a:b.tar"
    odd.write_bytes(b"")
    ref = parse_image_reference(f"docker-archive:{odd}")
    assert (ref.path, ref.ref) == (str(odd), None)
    ref = parse_image_reference(f"docker-archive:{odd}:app:1")
    assert (ref.path, ref.ref) == (str(odd), "app:1")
    ref = parse_image_reference(f"oci-archive:{odd}:@2")
    assert (ref.path, ref.ref) == (str(odd), "@2")
    layout = tmp_path / "lay:out"
    layout.mkdir()
    ref = parse_image_reference(f"oci:{layout}:v1")
    assert (ref.path, ref.ref) == (str(layout), "v1")


@pytest.mark.parametrize("trusted", [["docker.io"], ["index.docker.io"], ["hub.docker.com"]])
def test_docker_hub_is_one_registry_for_the_lint_rules(trusted: list[str]) -> None:
    from slimline.lint.config import LintConfig
    from slimline.lint.engine import lint_text

    text = ("FROM index.docker.io/library/debian:12\nFROM docker.io/library/debian:12\n"
            "FROM debian:12\nFROM quay.io/x/y:1\n")
    config = LintConfig(select=["SL306"], trusted_registries=trusted)
    assert [f.line for f in lint_text(text, config) if f.code == "SL306"] == [4]
