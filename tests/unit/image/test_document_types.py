"""Image documents with fields of the wrong type, through ``slimline analyze`` and ``compare``.

Each case is an OCI layout (or a ``docker save`` archive) whose config, manifest,
index or ``manifest.json`` has one field of the wrong type. A field analysis relies
on is exit 2 with one line that names the document and the field; an informative
one is ignored, with a warning in the report. Never a traceback.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from imagebuilder import f, layer, sha, write_legacy_archive

from slimline.cli import commands  # noqa: F401  (registers the commands)
from slimline.cli.main import cli

LAYER = layer([f("app/main.py", 100)])
OCI = "application/vnd.oci.image."


def good_config() -> dict[str, Any]:
    return {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["sh"], "Entrypoint": None,
                   "User": "app", "WorkingDir": "/app", "Labels": {"a": "b"},
                   "ExposedPorts": {"80/tcp": {}}, "Volumes": {"/data": {}}},
        "rootfs": {"type": "layers", "diff_ids": [sha(LAYER)]},
        "history": [{"created_by": "COPY . /app # buildkit", "comment": "buildkit.dockerfile.v0",
                     "created": "2024-01-01T00:00:00Z", "author": "me"}],
    }


def set_path(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``doc`` with the field at dotted ``path`` (``history.0.comment``) set."""
    doc = copy.deepcopy(doc)
    *parents, last = path.split(".")
    target: Any = doc
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return doc


def write_layout(
    directory: Path,
    config: dict[str, Any],
    manifest_patch: tuple[str, Any] | None = None,
    entry_patch: tuple[str, Any] | None = None,
    layout_version: Any = "1.0.0",
) -> str:
    """An OCI layout holding one image; returns its reference."""
    config_bytes = json.dumps(config).encode()
    manifest: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": OCI + "manifest.v1+json",
        "config": {"mediaType": OCI + "config.v1+json", "digest": sha(config_bytes),
                   "size": len(config_bytes)},
        "layers": [{"mediaType": OCI + "layer.v1.tar", "digest": sha(LAYER),
                    "size": len(LAYER)}],
    }
    if manifest_patch is not None:
        manifest = set_path(manifest, *manifest_patch)
    manifest_bytes = json.dumps(manifest).encode()
    entry: dict[str, Any] = {"mediaType": OCI + "manifest.v1+json",
                             "digest": sha(manifest_bytes), "size": len(manifest_bytes),
                             "annotations": {"org.opencontainers.image.ref.name": "latest"}}
    if entry_patch is not None:
        entry = set_path(entry, *entry_patch)
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    for data in (LAYER, config_bytes, manifest_bytes):
        (blobs / sha(data).split(":")[1]).write_bytes(data)
    (directory / "oci-layout").write_text(json.dumps({"imageLayoutVersion": layout_version}))
    (directory / "index.json").write_text(json.dumps({"schemaVersion": 2,
                                                      "manifests": [entry]}))
    return f"oci:{directory}"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line(result: Result, *needles: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("slimline: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


#: (field path in the config, wrong value, what the message says)
FATAL = [
    ("config.Env", 5, '"config.Env" must be a list of strings, got a number'),
    ("config.Env", "PATH=/x", '"config.Env" must be a list of strings, got a string'),
    ("config.Env", {"PATH": "/x"}, '"config.Env" must be a list of strings, got an object'),
    ("config.Env", ["A=1", 3], '"config.Env[1]" must be a string, got a number'),
    ("config.Env", [[["nested"]]], '"config.Env[0]" must be a string, got a list'),
    ("config.Cmd", 5, '"config.Cmd" must be a list of strings or a string, got a number'),
    ("config.Cmd", {"sh": 1}, '"config.Cmd" must be a list of strings or a string, got an object'),
    ("config.Entrypoint", [None], '"config.Entrypoint[0]" must be a string, got null'),
    ("config.Entrypoint", True, '"config.Entrypoint" must be a list of strings or a string, '
                                "got a boolean"),
    ("config.ExposedPorts", 80, '"config.ExposedPorts" must be an object, got a number'),
    ("config.ExposedPorts", ["80/tcp"], '"config.ExposedPorts" must be an object, got a list'),
    ("config.Volumes", "/data", '"config.Volumes" must be an object, got a string'),
    ("config.User", 0, '"config.User" must be a string, got a number'),
    ("config.WorkingDir", ["/app"], '"config.WorkingDir" must be a string, got a list'),
    ("config", ["Env"], '"config" must be an object, got a list'),
    ("config", 7, '"config" must be an object, got a number'),
    ("architecture", 64, '"architecture" must be a string, got a number'),
    ("os", ["linux"], '"os" must be a string, got a list'),
    ("history", 5, '"history" must be a list of objects, got a number'),
    ("history", {"0": {}}, '"history" must be a list of objects, got an object'),
    ("history.0", "COPY . /app", '"history[0]" must be an object, got a string'),
    ("history.0.created_by", 5, '"history[0].created_by" must be a string, got a number'),
    ("history.0.empty_layer", "no", '"history[0].empty_layer" must be true or false, '
                                    "got a string"),
    ("rootfs", 5, '"rootfs" must be an object, got a number'),
    ("rootfs.diff_ids", "sha256:00", '"rootfs.diff_ids" must be a list of strings, got a string'),
    ("rootfs.diff_ids", [5], '"rootfs.diff_ids[0]" must be a string, got a number'),
    ("rootfs.diff_ids", None, "image config has no rootfs.diff_ids"),
]

#: (field path, wrong value, the field named in the warning)
INFORMATIVE = [
    ("config.Labels", ["a=b"], '"config.Labels" ignored: it must be an object of strings, '
                               "got a list"),
    ("config.Labels", 5, '"config.Labels" ignored: it must be an object of strings, got a number'),
    ("config.Labels", {"a": {"b": 1}}, '"config.Labels.a" ignored: it must be a string, '
                                       "got an object"),
    ("created", 1700000000, '"created" ignored: it must be a string, got a number'),
    ("history.0.comment", ["x"], '"history[0].comment" ignored: it must be a string, got a list'),
    ("history.0.created", {}, '"history[0].created" ignored: it must be a string, '
                              "got an object"),
    ("history.0.author", 5, '"history[0].author" ignored: it must be a string, got a number'),
]

#: Nulls read as absent everywhere.
NULLS = ["config.Env", "config.Cmd", "config.Labels", "config.ExposedPorts", "config.Volumes",
         "config.User", "config.WorkingDir", "config", "created", "history",
         "history.0.comment", "history.0.created_by", "history.0.empty_layer"]


@pytest.mark.parametrize(("path", "value", "message"), FATAL)
def test_wrong_type_in_config_is_one_line(tmp_path: Path, path: str, value: Any,
                                          message: str) -> None:
    config = set_path(good_config(), path, value)
    ref = write_layout(tmp_path / "bad", config)
    digest = sha(json.dumps(config).encode())
    expected = (f"config {digest[:19]}…", message)
    assert_one_line(run("analyze", ref, "--format", "json"), *expected)
    good = write_layout(tmp_path / "good", good_config())
    assert_one_line(run("compare", good, ref, "--format", "json"), *expected)


@pytest.mark.parametrize(("path", "value", "warning"), INFORMATIVE)
def test_wrong_type_in_informative_field_is_a_warning(tmp_path: Path, path: str, value: Any,
                                                      warning: str) -> None:
    ref = write_layout(tmp_path / "img", set_path(good_config(), path, value))
    result = run("analyze", ref, "--format", "json")
    assert result.exit_code == 0, (result.stderr, result.exception)
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 1 and warning in warnings[0], warnings
    text = run("analyze", ref)
    assert text.exit_code == 0 and warning in " ".join(text.stdout.split()), text.stdout

    good = write_layout(tmp_path / "good", good_config())
    compared = run("compare", good, ref, "--format", "json")
    assert compared.exit_code == 0, (compared.stderr, compared.exception)
    warnings = json.loads(compared.stdout)["warnings"]
    assert len(warnings) == 1 and warning in warnings[0], warnings


def test_informative_field_ignored_keeps_the_rest(tmp_path: Path) -> None:
    config = set_path(good_config(), "created", 5)
    ref = write_layout(tmp_path / "img", config)
    doc = json.loads(run("analyze", ref, "--format", "json").stdout)
    assert doc["image"]["created"] is None
    assert doc["image"]["user"] == "app"
    assert doc["layers"][0]["comment"] == "buildkit.dockerfile.v0"


@pytest.mark.parametrize("path", NULLS)
def test_null_reads_as_absent(tmp_path: Path, path: str) -> None:
    ref = write_layout(tmp_path / "img", set_path(good_config(), path, None))
    result = run("analyze", ref, "--format", "json")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert json.loads(result.stdout)["warnings"] == []


def test_good_config_reads_every_field(tmp_path: Path) -> None:
    doc = json.loads(run("analyze", write_layout(tmp_path / "img", good_config()),
                         "--format", "json").stdout)
    image = doc["image"]
    assert (image["user"], image["working_dir"], image["cmd"]) == ("app", "/app", ["sh"])
    assert image["exposed_ports"] == ["80/tcp"]
    assert doc["warnings"] == []


#: (manifest field, wrong value, message)
MANIFEST = [
    ("mediaType", 5, '"mediaType" must be a string, got a number'),
    ("layers", {"0": {}}, "manifest has no layers list"),
    ("config", [], "descriptor is not an object"),
    ("config.size", True, "descriptor without a valid size"),
    ("layers.0.platform", "linux/amd64", '"platform" must be an object, got a string'),
    ("layers.0.annotations", ["x"], '"annotations" must be an object of strings, got a list'),
]


@pytest.mark.parametrize(("path", "value", "message"), MANIFEST)
def test_wrong_type_in_manifest(tmp_path: Path, path: str, value: Any, message: str) -> None:
    ref = write_layout(tmp_path / "img", good_config(), manifest_patch=(path, value))
    assert_one_line(run("analyze", ref), message)


#: (index entry field, wrong value, message)
INDEX = [
    ("platform", "linux/amd64", '"platform" must be an object, got a string'),
    ("platform", {"os": "linux", "architecture": 64},
     '"platform.architecture" must be a string, got a number'),
    ("annotations", {"org.opencontainers.image.ref.name": 1},
     '"annotations.org.opencontainers.image.ref.name" must be a string, got a number'),
    ("annotations", "latest", '"annotations" must be an object of strings, got a string'),
    ("size", "12", "descriptor without a valid size"),
]


@pytest.mark.parametrize(("path", "value", "message"), INDEX)
def test_wrong_type_in_index(tmp_path: Path, path: str, value: Any, message: str) -> None:
    ref = write_layout(tmp_path / "img", good_config(), entry_patch=(path, value))
    assert_one_line(run("analyze", ref), "index.json", message)


def test_wrong_type_in_oci_layout_marker(tmp_path: Path) -> None:
    ref = write_layout(tmp_path / "img", good_config(), layout_version=1.0)
    assert_one_line(run("analyze", ref), "oci-layout",
                    '"imageLayoutVersion" must be a string, got a number')


@pytest.mark.parametrize(("field", "value", "message"), [
    ("RepoTags", 5, '"[0].RepoTags" must be a list of strings, got a number'),
    ("RepoTags", [["demo:1"]], '"[0].RepoTags[0]" must be a string, got a list'),
    ("Layers", [1], '"[0].Layers[0]" must be a string, got a number'),
    ("Config", {"a": 1}, '"[0].Config" must be a string, got an object'),
])
def test_wrong_type_in_docker_save_manifest(tmp_path: Path, field: str, value: Any,
                                            message: str) -> None:
    from imagebuilder import Spec

    path = tmp_path / "image.tar"
    write_legacy_archive(path, Spec([LAYER]))
    patched = tmp_path / "patched.tar"
    _rewrite_member(path, patched, "manifest.json", field, value)
    ref = f"docker-archive:{patched}"
    assert_one_line(run("analyze", ref), "manifest.json", message)
    assert_one_line(run("analyze", f"{ref}:test:latest"), "manifest.json", message)


def _rewrite_member(source: Path, target: Path, name: str, field: str, value: Any) -> None:
    import io
    import tarfile

    with tarfile.open(source) as src, tarfile.open(target, "w") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == name and data is not None:
                doc = json.loads(data)
                doc[0][field] = value
                data = json.dumps(doc).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data) if data is not None else None)
