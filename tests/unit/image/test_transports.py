"""Every transport reads the same image the same way; bad input is a clear ImageError."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from imagebuilder import (
    Spec,
    d,
    f,
    hard,
    layer,
    oci_files,
    opq,
    sha,
    sym,
    wh,
    write_docker25_archive,
    write_legacy_archive,
    write_oci_archive,
    write_oci_layout,
)

from slimline.errors import ImageError
from slimline.image import Platform, iter_layer_scans, open_image
from slimline.image.mediatypes import Compression


def _spec() -> Spec:
    l1 = layer([d("etc"), f("etc/os-release", 300), d("usr"), d("usr/bin"),
                f("usr/bin/tool", 40_000), sym("usr/bin/t", "tool"), d("var/cache/apt"),
                f("var/cache/apt/pkg.deb", 9_000)])
    l2 = layer([d("etc"), f("etc/os-release", 310), hard("etc/os", "etc/os-release"),
                d("var/cache"), wh("var/cache/apt")])
    l3 = layer([d("app"), f("app/main.py", 1_200), d("usr/bin"), opq("usr/bin"),
                f("usr/bin/tool", 41_000)])
    history = [
        {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
        {"created_by": '/bin/sh -c #(nop)  CMD ["bash"]', "empty_layer": True},
        {"created_by": "RUN /bin/sh -c apt-get update # buildkit", "comment": "buildkit.dockerfile.v0"},
        {"created_by": "COPY . /app # buildkit", "comment": "buildkit.dockerfile.v0"},
    ]
    return Spec([l1, l2, l3], history=history)


def _summary(ref: str, **kwargs) -> tuple:
    with open_image(ref, **kwargs) as image:
        scans = [(s.entries, s.whiteouts, s.content_size, s.tar_size)
                 for _, s in iter_layer_scans(image)]
        return (image.config.digest, image.config.diff_ids,
                [h.created_by for h in image.config.history], scans)


@pytest.fixture
def spec() -> Spec:
    return _spec()


def test_all_transports_agree(tmp_path: Path, spec: Spec):
    write_legacy_archive(tmp_path / "legacy.tar", spec)
    write_docker25_archive(tmp_path / "d25.tar", spec, "none")
    write_docker25_archive(tmp_path / "d25gz.tar", spec, "gzip")
    write_oci_layout(tmp_path / "gz", spec, "gzip")
    write_oci_layout(tmp_path / "zst", spec, "zstd")
    write_oci_layout(tmp_path / "mixed", spec, ["none", "gzip", "zstd"])
    write_oci_archive(tmp_path / "oci.tar", spec, "gzip")
    # compressed archives are read in one forward pass, like the Engine API's stream
    for plain in ("legacy.tar", "d25.tar", "d25gz.tar", "oci.tar"):
        with (tmp_path / plain).open("rb") as src, gzip.open(tmp_path / f"{plain}.gz",
                                                             "wb") as dst:
            shutil.copyfileobj(src, dst)
    refs = [
        f"docker-archive:{tmp_path}/legacy.tar",
        f"docker-archive:{tmp_path}/d25.tar",
        f"docker-archive:{tmp_path}/d25gz.tar",
        f"oci:{tmp_path}/gz",
        f"oci:{tmp_path}/zst:latest",
        f"oci:{tmp_path}/mixed",
        f"oci-archive:{tmp_path}/oci.tar",
        f"docker-archive:{tmp_path}/legacy.tar.gz",
        f"docker-archive:{tmp_path}/d25.tar.gz",
        f"docker-archive:{tmp_path}/d25gz.tar.gz",
        f"oci-archive:{tmp_path}/oci.tar.gz",
        str(tmp_path / "d25gz.tar.gz"),
        str(tmp_path / "legacy.tar"),
        str(tmp_path / "gz"),
        str(tmp_path / "oci.tar"),
    ]
    first = _summary(refs[0])
    assert first[0] == sha(spec.config())
    assert first[1] == tuple(sha(x) for x in spec.layers)
    for ref in refs[1:]:
        assert _summary(ref) == first, ref


def test_compression_is_detected_and_recorded(tmp_path: Path, spec: Spec):
    write_oci_layout(tmp_path / "mixed", spec, ["none", "gzip", "zstd"])
    with open_image(f"oci:{tmp_path}/mixed") as image:
        assert [layer.compression for layer in image.layers] == [
            Compression.NONE, Compression.GZIP, Compression.ZSTD]
    write_legacy_archive(tmp_path / "legacy.tar", spec)
    with open_image(f"docker-archive:{tmp_path}/legacy.tar") as image:
        assert [layer.compression for layer in image.layers] == [None, None, None]
        list(iter_layer_scans(image))
        assert [layer.compression for layer in image.layers] == [Compression.NONE] * 3
        assert image.name == "test:latest"
        assert image.transport == "docker-archive"


def test_legacy_duplicate_layers_are_symlinks(tmp_path: Path):
    same = layer([f("a", 10)])
    spec = Spec([same, layer([f("b", 5)]), same])
    write_legacy_archive(tmp_path / "dup.tar", spec)
    with tarfile.open(tmp_path / "dup.tar") as tf:
        assert any(m.issym() for m in tf)
    summary = _summary(f"docker-archive:{tmp_path}/dup.tar")
    assert summary[3][2][0] == [("a", 0, 10, "")]


def test_archive_with_several_images(tmp_path: Path, spec: Spec):
    write_legacy_archive(tmp_path / "one.tar", spec, tags=("one:1",))
    other = Spec([layer([f("x", 1)])])
    write_legacy_archive(tmp_path / "two.tar", other, tags=("two:2",))
    # merge the two archives into one with two manifest entries
    merged = tmp_path / "both.tar"
    manifests = []
    with tarfile.open(merged, "w") as out:
        for part in ("one.tar", "two.tar"):
            with tarfile.open(tmp_path / part) as tf:
                for m in tf:
                    if m.name == "manifest.json":
                        manifests += json.load(tf.extractfile(m))
                    elif m.name != "repositories":
                        out.addfile(m, tf.extractfile(m) if m.isfile() else None)
        data = json.dumps(manifests).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        out.addfile(info, io.BytesIO(data))
    with pytest.raises(ImageError, match="holds 2 images"):
        open_image(f"docker-archive:{merged}")
    with open_image(f"docker-archive:{merged}:two:2") as image:
        assert image.name == "two:2"
    with open_image(f"docker-archive:{merged}:@0") as image:
        assert image.name == "one:1"
    with pytest.raises(ImageError, match="no image tagged"):
        open_image(f"docker-archive:{merged}:three:3")
    with pytest.raises(ImageError, match="out of range"):
        open_image(f"docker-archive:{merged}:@5")


def test_multi_platform_index(tmp_path: Path, spec: Spec):
    arm = Spec([layer([f("arm-only", 77)])], architecture="arm64")
    write_oci_layout(tmp_path / "multi", spec, "gzip", extra_platforms=[("linux", "arm64", arm)])
    with open_image(f"oci:{tmp_path}/multi", platform=Platform.parse("linux/arm64")) as image:
        assert image.config.architecture == "arm64"
        assert len(image.layers) == 1
    with open_image(f"oci:{tmp_path}/multi", platform=Platform.parse("linux/amd64")) as image:
        assert len(image.layers) == 3
    with pytest.raises(ImageError, match="no image for platform linux/s390x"):
        open_image(f"oci:{tmp_path}/multi", platform=Platform.parse("linux/s390x"))


def test_oci_ref_selection(tmp_path: Path, spec: Spec):
    write_oci_layout(tmp_path / "lay", spec, "gzip", ref="v1")
    assert _summary(f"oci:{tmp_path}/lay:v1")[0] == sha(spec.config())
    with pytest.raises(ImageError, match="no image named 'v2'"):
        open_image(f"oci:{tmp_path}/lay:v2")


# --- bad input ----------------------------------------------------------------------


def _rewrite_blob(layout: Path, digest: str, data: bytes) -> None:
    (layout / "blobs" / "sha256" / digest.split(":")[1]).write_bytes(data)


def test_corrupt_compressed_layer_fails_digest_check(tmp_path: Path, spec: Spec):
    write_oci_layout(tmp_path / "lay", spec, "gzip")
    index = json.loads((tmp_path / "lay" / "index.json").read_bytes())
    manifest = json.loads((tmp_path / "lay/blobs/sha256" /
                           index["manifests"][0]["digest"].split(":")[1]).read_bytes())
    target = manifest["layers"][1]
    blob_path = tmp_path / "lay/blobs/sha256" / target["digest"].split(":")[1]
    other = gzip.compress(layer([f("evil", len(spec.layers[1]) // 2)]), mtime=0)
    blob_path.write_bytes(other.ljust(target["size"], b"\0")[: target["size"]])
    with open_image(f"oci:{tmp_path}/lay") as image, pytest.raises(
            ImageError, match=r"digest mismatch|decompress|corrupt|not a tar"):
        list(iter_layer_scans(image))


def test_uncompressed_corruption_needs_verify(tmp_path: Path, spec: Spec):
    write_oci_layout(tmp_path / "lay", spec, "none")
    index = json.loads((tmp_path / "lay" / "index.json").read_bytes())
    manifest = json.loads((tmp_path / "lay/blobs/sha256" /
                           index["manifests"][0]["digest"].split(":")[1]).read_bytes())
    target = manifest["layers"][0]
    blob_path = tmp_path / "lay/blobs/sha256" / target["digest"].split(":")[1]
    data = bytearray(blob_path.read_bytes())
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tf:
        first_file = next(m for m in tf if m.isreg() and m.size)
    data[first_file.offset_data] ^= 0xFF  # a file's data: the tar structure stays valid
    blob_path.write_bytes(bytes(data))
    with open_image(f"oci:{tmp_path}/lay") as image:
        list(iter_layer_scans(image))  # fast path: headers only
    with open_image(f"oci:{tmp_path}/lay", verify_all=True) as image, pytest.raises(
            ImageError, match="digest mismatch"):
        list(iter_layer_scans(image, verify_all=True))


def test_config_digest_mismatch(tmp_path: Path, spec: Spec):
    write_oci_layout(tmp_path / "lay", spec, "gzip")
    config = spec.config()
    _rewrite_blob(tmp_path / "lay", sha(config), config.replace(b"amd64", b"arm64"))
    with pytest.raises(ImageError, match="digest mismatch"):
        open_image(f"oci:{tmp_path}/lay")


def test_legacy_config_digest_mismatch(tmp_path: Path, spec: Spec):
    write_legacy_archive(tmp_path / "a.tar", spec)
    bad = tmp_path / "bad.tar"
    with tarfile.open(tmp_path / "a.tar") as src, tarfile.open(bad, "w") as dst:
        for m in src:
            data = src.extractfile(m).read() if m.isfile() else None
            if m.name.endswith(".json") and len(m.name) == 69:
                data = data.replace(b"amd64", b"arm64")
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    with pytest.raises(ImageError, match="digest mismatch"):
        open_image(f"docker-archive:{bad}")


def test_truncated_archive(tmp_path: Path, spec: Spec):
    write_legacy_archive(tmp_path / "a.tar", spec)
    data = (tmp_path / "a.tar").read_bytes()
    (tmp_path / "cut.tar").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError, match=r"truncated|missing|not a readable"):
        image = open_image(f"docker-archive:{tmp_path}/cut.tar")
        list(iter_layer_scans(image))
    gz = gzip.compress(data)
    (tmp_path / "cut.tar.gz").write_bytes(gz[: len(gz) // 2])
    with pytest.raises(ImageError, match=r"truncated|decompress"):
        open_image(f"docker-archive:{tmp_path}/cut.tar.gz")


def test_truncated_layout_blob(tmp_path: Path, spec: Spec):
    write_oci_layout(tmp_path / "lay", spec, "none")
    blob = tmp_path / "lay/blobs/sha256" / sha(spec.layers[2]).split(":")[1]
    blob.write_bytes(blob.read_bytes()[:1000])
    with pytest.raises(ImageError, match="size mismatch"):
        open_image(f"oci:{tmp_path}/lay")


def _layout_with_manifest(tmp_path: Path, manifest: dict, extra: dict[str, bytes]) -> str:
    root = tmp_path / "custom"
    (root / "blobs/sha256").mkdir(parents=True)
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    data = json.dumps(manifest).encode()
    for blob in [data, *extra.values()]:
        (root / "blobs/sha256" / hashlib.sha256(blob).hexdigest()).write_bytes(blob)
    (root / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": manifest.get("mediaType", "application/vnd.oci.image.manifest.v1+json"),
         "digest": sha(data), "size": len(data)}]}))
    return f"oci:{root}"


def test_unsupported_config_media_type(tmp_path: Path):
    config = b'{"name": "chart"}'
    ref = _layout_with_manifest(tmp_path, {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json",
                   "digest": sha(config), "size": len(config)},
        "layers": []}, {"c": config})
    with pytest.raises(ImageError, match="unsupported config media type"):
        open_image(ref)


def test_unsupported_layer_media_type(tmp_path: Path, spec: Spec):
    config = spec.config()
    blob = b"\0asm"
    ref = _layout_with_manifest(tmp_path, {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(config), "size": len(config)},
        "layers": [{"mediaType": "application/wasm", "digest": sha(blob), "size": 4}] * 3},
        {"c": config, "b": blob})
    with pytest.raises(ImageError, match="unsupported media type application/wasm"):
        open_image(ref)


def test_unsupported_manifest_media_type(tmp_path: Path):
    ref = _layout_with_manifest(tmp_path, {
        "schemaVersion": 1, "mediaType": "application/vnd.docker.distribution.manifest.v1+json",
        "fsLayers": []}, {})
    with pytest.raises(ImageError, match=r"unsupported media type.*schema 1"):
        open_image(ref)


def test_layer_count_must_match_diff_ids(tmp_path: Path, spec: Spec):
    files = oci_files(spec, "gzip")
    # drop the last diff ID from the config: rewrite config and manifest
    config = json.loads(spec.config())
    config["rootfs"]["diff_ids"] = config["rootfs"]["diff_ids"][:2]
    spec2 = Spec(spec.layers[:2], history=spec.history)
    cfg = json.dumps(config, sort_keys=True).encode()
    assert cfg == spec2.config()
    layers = next(json.loads(v) for k, v in files.items() if k.startswith("blobs")
              and v.startswith(b'{"schemaVersion"') and b'"layers"' in v)["layers"]
    ref = _layout_with_manifest(tmp_path, {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(cfg), "size": len(cfg)},
        "layers": layers}, {"c": cfg})
    with pytest.raises(ImageError, match="3 layers but the config has 2"):
        open_image(ref)


def _archive_with_member(path: Path, member: tarfile.TarInfo, data: bytes | None,
                         manifest: list) -> None:
    with tarfile.open(path, "w") as tf:
        tf.addfile(member, io.BytesIO(data) if data is not None else None)
        raw = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        tf.addfile(info, io.BytesIO(raw))


def test_archive_symlink_outside_the_archive(tmp_path: Path, spec: Spec):
    link = tarfile.TarInfo("cfg.json")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    _archive_with_member(tmp_path / "evil.tar", link, None,
                         [{"Config": "cfg.json", "Layers": [], "RepoTags": []}])
    with pytest.raises(ImageError, match="absolute symlink"):
        open_image(f"docker-archive:{tmp_path}/evil.tar")


def test_archive_member_climbing_out(tmp_path: Path):
    member = tarfile.TarInfo("../../etc/x.json")
    member.size = 2
    _archive_with_member(tmp_path / "evil.tar", member, b"{}",
                         [{"Config": "../../etc/x.json", "Layers": [], "RepoTags": []}])
    with pytest.raises(ImageError, match="outside the archive"):
        open_image(f"docker-archive:{tmp_path}/evil.tar")


def test_manifest_naming_a_path_outside(tmp_path: Path):
    member = tarfile.TarInfo("ok.json")
    member.size = 2
    _archive_with_member(tmp_path / "evil.tar", member, b"{}",
                         [{"Config": "../../../etc/passwd", "Layers": [], "RepoTags": []}])
    with pytest.raises(ImageError, match="outside the archive"):
        open_image(f"docker-archive:{tmp_path}/evil.tar")


def test_layer_with_dotdot_entry(tmp_path: Path):
    evil = io.BytesIO()
    with tarfile.open(fileobj=evil, mode="w") as tf:
        info = tarfile.TarInfo("../../../tmp/pwned")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"bad"))
    spec = Spec([evil.getvalue()])
    write_oci_layout(tmp_path / "lay", spec, "gzip")
    before = set(Path("/tmp").iterdir())
    with open_image(f"oci:{tmp_path}/lay") as image, pytest.raises(
            ImageError, match="outside the image root"):
        list(iter_layer_scans(image))
    assert set(Path("/tmp").iterdir()) - before == set()


def test_not_an_image(tmp_path: Path):
    (tmp_path / "x.tar").write_bytes(layer([f("a", 1)]))
    with pytest.raises(ImageError, match="not an image archive"):
        open_image(f"docker-archive:{tmp_path}/x.tar")
    (tmp_path / "junk").write_bytes(b"hello world" * 100)
    with pytest.raises(ImageError):
        open_image(f"docker-archive:{tmp_path}/junk")
    with pytest.raises(ImageError, match="no such file"):
        open_image(f"docker-archive:{tmp_path}/missing.tar")
    with pytest.raises(ImageError, match="not an OCI layout"):
        open_image(f"oci:{tmp_path}")
    with pytest.raises(ImageError, match="no such directory"):
        open_image(f"oci:{tmp_path}/nothing")
