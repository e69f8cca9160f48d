"""Properties of the image document parsers: any JSON gives typed values or an ImageError.

Structure-aware: the documents start from valid ones, and one or more fields the
parsers read (or the whole object) are replaced with arbitrary JSON.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from imagebuilder import sha
from test_document_types import good_config, set_path

from slimline.errors import ImageError
from slimline.image.archive import select_docker_manifest
from slimline.image.model import Descriptor, ImageConfig, Platform
from slimline.image.resolve import select_from_index

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=12,
)

CONFIG_PATHS = [
    "architecture", "os", "variant", "created", "config", "container_config",
    "config.Env", "config.Cmd", "config.Entrypoint", "config.User", "config.WorkingDir",
    "config.Labels", "config.ExposedPorts", "config.Volumes", "history", "history.0",
    "history.0.created_by", "history.0.created", "history.0.comment", "history.0.author",
    "history.0.empty_layer", "rootfs", "rootfs.diff_ids", "rootfs.diff_ids.0",
]


def _parse(config: Any) -> ImageConfig | None:
    data = json.dumps(config).encode()
    try:
        return ImageConfig.parse(data, sha(data), "img")
    except ImageError as exc:
        assert str(exc).startswith("img: config sha256:"), str(exc)
        return None


def _assert_typed(cfg: ImageConfig) -> None:
    for text in (cfg.architecture, cfg.os, cfg.variant, cfg.user, cfg.working_dir):
        assert isinstance(text, str)
    assert cfg.created is None or isinstance(cfg.created, str)
    for many in (cfg.env, cfg.exposed_ports, cfg.volumes, cfg.diff_ids):
        assert isinstance(many, tuple) and all(isinstance(x, str) for x in many)
    for command in (cfg.cmd, cfg.entrypoint):
        assert command is None or all(isinstance(x, str) for x in command)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in cfg.labels.items())
    for entry in cfg.history:
        assert isinstance(entry.created_by, str) and isinstance(entry.empty_layer, bool)
        assert isinstance(entry.comment, str) and isinstance(entry.author, str)
        assert entry.created is None or isinstance(entry.created, str)
    assert all(isinstance(w, str) and w.startswith("img: config ") for w in cfg.warnings)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CONFIG_PATHS), JSON), min_size=1, max_size=3))
def test_config_with_any_field_replaced(changes: list[tuple[str, Any]]) -> None:
    config = good_config()
    for path, value in changes:
        try:
            config = set_path(config, path, value)
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # an earlier change removed the parent: nothing to set
    cfg = _parse(config)
    if cfg is not None:
        _assert_typed(cfg)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_config_that_is_any_json(value: Any) -> None:
    cfg = _parse(value)
    if cfg is not None:
        _assert_typed(cfg)


GOOD_ENTRY = {"mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:" + "a" * 64, "size": 10,
              "platform": {"os": "linux", "architecture": "amd64"},
              "annotations": {"org.opencontainers.image.ref.name": "latest"}}
ENTRY_PATHS = ["mediaType", "digest", "size", "platform", "platform.os",
               "platform.architecture", "platform.variant", "annotations",
               "annotations.org.opencontainers.image.ref.name"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRY_PATHS), JSON, st.sampled_from([None, "latest"]))
def test_index_entry_with_any_field_replaced(path: str, value: Any, ref: str | None) -> None:
    entry = copy.deepcopy(GOOD_ENTRY)
    if path.startswith("annotations."):
        entry["annotations"]["org.opencontainers.image.ref.name"] = value
    else:
        entry = set_path(entry, path, value)
    try:
        chosen = select_from_index({"manifests": [entry]}, Platform("linux", "amd64"), "x", ref)
    except ImageError:
        return
    assert isinstance(chosen, Descriptor)
    assert isinstance(chosen.media_type, str) and isinstance(chosen.size, int)
    assert all(isinstance(v, str) for v in chosen.annotations.values())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Config", "Layers", "RepoTags", None]), JSON,
       st.sampled_from([None, "@0", "test:latest"]))
def test_docker_save_manifest_with_any_field_replaced(field: str | None, value: Any,
                                                      ref: str | None) -> None:
    entry: dict[str, Any] = {"Config": "a.json", "RepoTags": ["test:latest"],
                             "Layers": ["x/layer.tar"]}
    entries: Any = [entry] if field is not None else value
    if field is not None:
        entry[field] = value
    try:
        chosen = select_docker_manifest(entries, ref, "x")
    except ImageError:
        return
    assert isinstance(chosen["Config"], str)
    assert all(isinstance(name, str) for name in chosen["Layers"])
    assert all(isinstance(tag, str) for tag in chosen.get("RepoTags") or [])
