"""Hostile image documents: configs, manifests and indexes with wrong JSON types, and
OCI layouts whose files are FIFOs, devices or too large.

A wrong type is either a clear error (exit 2, one line) or ignored (exit 0, valid
JSON on stdout), never a traceback.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from gen import (
    OCI_INDEX,
    OCI_MANIFEST,
    config_doc,
    dumps,
    legacy_archive,
    oci_files,
    sha,
    small_layer,
    special_file,
    write_files,
    write_tar,
)
from harness import Case, Run, case, json_output, params, run_case

LAYERS = [small_layer(), small_layer("srv/b.txt", "srv/c.txt")]
DIFF_IDS = [sha(x) for x in LAYERS]
MIB = 1024 * 1024


def analyze_ref(ref: str, names: str) -> Run:
    return Run(["analyze", "--no-progress", "--format", "json", ref], names)



def setter(path: str, value: object) -> Callable[[object], object]:
    """An edit that sets ``a.b.c`` (dots; ``[]`` for every list item) to ``value``."""

    def edit(doc: object) -> object:
        doc = copy.deepcopy(doc)
        *parents, last = path.split(".")
        targets = [doc]
        for key in parents:
            targets = [item for t in targets
                       for item in (t if key == "[]" else [t[key]])]  # type: ignore[index]
        for t in targets:
            t[last] = value  # type: ignore[index]
        return doc

    return edit


def deep_json(depth: int) -> bytes:
    return b'{"a": ' + b"[" * depth + b"]" * depth + b"}"


# -- image configs with wrong types ------------------------------------------------


def config_in_layout(raw: bytes) -> Callable[[Path], Run]:
    def make(work: Path) -> Run:
        write_files(work / "layout", oci_files(LAYERS, config=raw))
        return analyze_ref(f"oci:{work / 'layout'}", "layout")

    return make


def config_in_archive(raw: bytes) -> Callable[[Path], Run]:
    def make(work: Path) -> Run:
        path = legacy_archive(work / "cfg.tar", LAYERS, config=raw)
        return analyze_ref(str(path), "cfg.tar")

    return make


def broken_config(path: str, value: object) -> bytes:
    return dumps(setter(path, value)(config_doc(DIFF_IDS)))


CONFIG_TYPES: list[tuple[str, str, object, str | None]] = [
    # (id, field, value, xfail class)
    ("labels-list", "config.Labels", ["a=b"], None),
    ("labels-number", "config.Labels", 7, None),
    ("labels-string", "config.Labels", "a=b", None),
    ("labels-values-objects", "config.Labels", {"a": {"b": [1]}}, None),
    ("env-number", "config.Env", 7, None),
    ("env-string", "config.Env", "PATH=/bin", None),
    ("env-objects", "config.Env", [{"a": 1}, None, 3], None),
    ("cmd-number", "config.Cmd", 7, None),
    ("cmd-object", "config.Cmd", {"a": 1}, None),
    ("entrypoint-number", "config.Entrypoint", 7.5, None),
    ("exposedports-number", "config.ExposedPorts", 7, None),
    ("exposedports-list", "config.ExposedPorts", ["80/tcp", 443], None),
    ("volumes-number", "config.Volumes", 7, None),
    ("user-object", "config.User", {"name": "root"}, None),
    ("workingdir-list", "config.WorkingDir", ["/app"], None),
    ("config-a-list", "config", [1, 2], None),
    ("config-a-string", "config", "x", None),
    ("history-number", "history", 7, None),
    ("history-string", "history", "abc", None),
    ("history-created-by-list", "history.[].created_by", ["a", 1], None),
    ("history-empty-layer-string", "history.[].empty_layer", "false", None),
    ("history-created-number", "history.[].created", 1700000000, None),
    ("created-number", "created", 1700000000, None),
    ("created-object", "created", {"t": 1}, None),
    ("architecture-object", "architecture", {"a": 1}, None),
    ("os-number", "os", 7, None),
    ("rootfs-string", "rootfs", "layers", None),
    ("diff-ids-number", "rootfs.diff_ids", 7, None),
    ("diff-ids-numbers", "rootfs.diff_ids", [1, 2], None),
    ("diff-ids-bad-digest", "rootfs.diff_ids", ["sha256:../../etc", "sha256:x"], None),
]

CONFIGS = [
    case(f"config-{name}", config_in_layout(broken_config(field, value)), exit=(0, 2),
         check=json_output(), xfail=xfail)
    for name, field, value, xfail in CONFIG_TYPES
] + [
    case(f"archive-config-{name}", config_in_archive(broken_config(field, value)),
         exit=(0, 2), check=json_output(), xfail=xfail)
    for name, field, value, xfail in CONFIG_TYPES
    if name in ("labels-list", "env-number", "cmd-number", "exposedports-number",
                "history-number")
] + [
    case("config-top-level-list", config_in_layout(b"[1, 2, 3]")),
    case("config-not-json", config_in_layout(b"\x00\x01{")),
    case("config-invalid-utf8", config_in_layout(b'{"os": "\xff\xfe"}')),
    case("config-nested-100000-deep", config_in_layout(deep_json(100_000))),
    case("archive-config-nested-100000-deep", config_in_archive(deep_json(100_000))),
    case("config-20-mib", config_in_layout(b'{"pad": "' + b" " * (20 * MIB) + b'"}')),
]

# -- manifests and indexes with wrong types ---------------------------------------------


def layout(name: str, **edits: Callable[[object], object]) -> Callable[[Path], Run]:
    def make(work: Path) -> Run:
        write_files(work / name, oci_files(LAYERS, **edits))  # type: ignore[arg-type]
        return analyze_ref(f"oci:{work / name}", name)

    return make


def raw_index(data: bytes) -> Callable[[object], object]:
    return lambda index: data


def nested_indexes(depth: int) -> Callable[[Path], Run]:
    """An index that points at an index that points at ... the manifest."""

    def make(work: Path) -> Run:
        files = oci_files(LAYERS)
        top = json.loads(files["index.json"])
        for _ in range(depth):
            inner = dumps({"schemaVersion": 2, "mediaType": OCI_INDEX,
                           "manifests": top["manifests"]})
            files["blobs/sha256/" + sha(inner).split(":")[1]] = inner
            top = {"schemaVersion": 2, "manifests": [{
                "mediaType": OCI_INDEX, "digest": sha(inner), "size": len(inner)}]}
        files["index.json"] = dumps(top)
        write_files(work / "nested", files)
        return analyze_ref(f"oci:{work / 'nested'}", "nested")

    return make


MANIFESTS = [
    case("index-not-an-object", layout("ix1", edit_index=raw_index(b"[1]"))),
    case("index-manifests-string", layout("ix2", edit_index=setter("manifests", "abc"))),
    case("index-manifests-numbers", layout("ix3", edit_index=setter("manifests", [1, 2]))),
    case("index-size-string", layout("ix4", edit_index=setter("manifests.[].size", "12"))),
    case("index-size-negative", layout("ix5", edit_index=setter("manifests.[].size", -1))),
    case("index-size-huge", layout("ix6", edit_index=setter("manifests.[].size", 10**30))),
    case("index-digest-number", layout("ix7", edit_index=setter("manifests.[].digest", 7))),
    case("index-digest-traversal", layout("ix8", edit_index=setter(
        "manifests.[].digest", "sha256:../../../../etc/passwd"))),
    case("index-digest-md5", layout("ix9", edit_index=setter("manifests.[].digest",
                                                              "md5:" + "a" * 32))),
    case("index-mediatype-number", layout("ix10", edit_index=setter(
        "manifests.[].mediaType", 7))),
    case("index-platform-string", layout("ix11", edit_index=setter(
        "manifests.[].platform", "linux/amd64")), exit=(0, 2), check=json_output()),
    case("index-platform-arch-number", layout("ix12", edit_index=setter(
        "manifests.[].platform", {"os": 1, "architecture": ["amd64"]})), exit=(0, 2),
         check=json_output()),
    case("index-annotations-list", layout("ix13", edit_index=setter(
        "manifests.[].annotations", ["a"])), exit=(0, 2), check=json_output()),
    case("index-empty-file", layout("ix14", edit_index=raw_index(b""))),
    case("index-nested-100000-deep", layout("ix15", edit_index=raw_index(deep_json(100_000)))),
    case("index-chain-8-deep", nested_indexes(8)),
    case("manifest-layers-object", layout("mf1", edit_manifest=setter("layers", {"a": 1}))),
    case("manifest-layers-strings", layout("mf2", edit_manifest=setter("layers", ["a"]))),
    case("manifest-config-string", layout("mf3", edit_manifest=setter("config", "abc"))),
    case("manifest-layer-size-string", layout("mf4", edit_manifest=setter(
        "layers.[].size", "100"))),
    case("manifest-layer-size-wrong", layout("mf5", edit_manifest=setter(
        "layers.[].size", 3))),
    case("manifest-layer-mediatype-unknown", layout("mf6", edit_manifest=setter(
        "layers.[].mediaType", "text/html"))),
    case("manifest-mediatype-index", layout("mf7", edit_manifest=setter(
        "mediaType", OCI_INDEX)), exit=(0, 2), check=json_output()),
    case("manifest-schema-version-string", layout("mf8", edit_manifest=setter(
        "schemaVersion", "2")), exit=(0, 2), check=json_output()),
    case("manifest-nested-100000-deep", layout("mf9", edit_manifest=lambda m: deep_json(
        100_000))),
]

# -- OCI layouts whose files are not regular files ----------------------------------


def special(target: str, kind: str) -> Callable[[Path], Run]:
    """A layout whose ``target`` (``index.json``, ``config`` or ``layer``) is a FIFO,
    a symlink to /dev/zero, or a directory."""

    def make(work: Path) -> Run:
        root = work / "special"
        files = oci_files(LAYERS)
        write_files(root, files)
        manifest = json.loads(next(d for d in files.values() if OCI_MANIFEST.encode() in d
                                   and b'"layers"' in d))
        name = {"index.json": "index.json",
                "config": "blobs/sha256/" + manifest["config"]["digest"].split(":")[1],
                "layer": "blobs/sha256/" + manifest["layers"][1]["digest"].split(":")[1],
                }[target]
        (root / name).unlink()
        special_file(root / name, kind)
        return analyze_ref(f"oci:{root}", "special")

    return make


def huge_index(work: Path) -> Run:
    files = oci_files(LAYERS)
    files["index.json"] = files["index.json"][:-1] + b" " * (40 * MIB) + b"}"
    write_files(work / "big", files)
    return analyze_ref(f"oci:{work / 'big'}", "big")


def oci_archive(work: Path) -> Run:
    files = oci_files(LAYERS, edit_index=setter("manifests", {"not": "a list"}))
    path = write_tar(work / "layout.tar", sorted(files.items()))
    return analyze_ref(f"oci-archive:{path}", "layout.tar")


LAYOUTS = [
    case("layout-index-json-fifo", special("index.json", "fifo")),
    case("layout-index-json-dev-zero", special("index.json", "dev-zero")),
    case("layout-index-json-directory", special("index.json", "dir")),
    case("layout-config-fifo", special("config", "fifo")),
    case("layout-config-dev-zero", special("config", "dev-zero")),
    case("layout-layer-fifo", special("layer", "fifo")),
    case("layout-layer-dev-zero", special("layer", "dev-zero")),
    case("layout-index-json-40-mib", huge_index),
    case("oci-archive-index-wrong-types", oci_archive),
]

CASES: list[Case] = [*CONFIGS, *MANIFESTS, *LAYOUTS]


@pytest.mark.parametrize("c", params(CASES))
def test_document(c: Case, tmp_path: Path) -> None:
    run_case(c, tmp_path)
