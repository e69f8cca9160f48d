"""The registry transport against a small local distribution server (127.0.0.1 only)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fakeregistry import Behaviour, serve
from imagebuilder import Spec, d, f, layer, oci_files, sha, wh

from slimline.errors import RegistryError
from slimline.image import Platform, iter_layer_scans, open_image
from slimline.image.credentials import Credentials, lookup
from slimline.image.transports.registry import is_loopback, parse_challenge


def _spec() -> Spec:
    return Spec([layer([d("a"), f("a/one", 5000), f("a/two", 70)]),
                 layer([wh("a/one"), f("a/three", 12)])])


def _manifest(files: dict[str, bytes]) -> dict:
    for name, data in files.items():
        if name.startswith("blobs/") and data.startswith(b"{"):
            doc = json.loads(data)
            if isinstance(doc.get("layers"), list):
                return doc
    raise AssertionError("no manifest")


def _scans(ref: str, **kw):
    with open_image(ref, **kw) as image:
        return image.config.digest, [(s.entries, s.whiteouts) for _, s in iter_layer_scans(image)]


@pytest.fixture(autouse=True)
def _no_docker_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))


def _write_docker_config(tmp_path: Path, host: str, user: str, password: str) -> None:
    cfg = tmp_path / "docker-config"
    cfg.mkdir(exist_ok=True)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    (cfg / "config.json").write_text(json.dumps({"auths": {host: {"auth": auth}}}))


def test_anonymous_pull_matches_layout(tmp_path):
    spec = _spec()
    files = oci_files(spec, "gzip", ref="v1")
    with serve("team/app", files) as (host, behaviour):
        digest, scans = _scans(f"docker://{host}/team/app:v1")
    assert digest == sha(spec.config())
    assert scans[1][1] == [("a/one", 5, 0, "")]
    assert any("/blobs/" in r for r in behaviour.requests)


def test_pull_by_digest(tmp_path):
    files = oci_files(_spec(), "zstd", ref="v1")
    index = json.loads(files["index.json"])
    manifest_digest = index["manifests"][0]["digest"]
    with serve("app", files) as (host, _), \
            open_image(f"docker://{host}/app@{manifest_digest}") as image:
        assert image.manifest_digest == manifest_digest
        assert image.transport == "docker"
        assert len(list(iter_layer_scans(image))) == 2


def test_bearer_token_auth_with_config_credentials(tmp_path):
    files = oci_files(_spec(), "gzip", ref="v1")
    with serve("app", files, Behaviour(auth="bearer")) as (host, behaviour):
        with pytest.raises(RegistryError, match="401"):
            open_image(f"docker://{host}/app:v1")
        _write_docker_config(tmp_path, host, "alice", "s3cret")
        digest, _ = _scans(f"docker://{host}/app:v1")
        assert any(r.startswith("/token?") and "scope=repository%3Aapp%3Apull" in r
                   for r in behaviour.requests)
    assert digest.startswith("sha256:")


def test_basic_auth(tmp_path):
    files = oci_files(_spec(), "gzip", ref="v1")
    with serve("app", files, Behaviour(auth="basic")) as (host, _):
        with pytest.raises(RegistryError, match="requires a login"):
            open_image(f"docker://{host}/app:v1")
        _write_docker_config(tmp_path, f"http://{host}", "alice", "wrong")
        with pytest.raises(RegistryError, match="authentication failed"):
            open_image(f"docker://{host}/app:v1")
        _write_docker_config(tmp_path, host, "alice", "s3cret")
        _scans(f"docker://{host}/app:v1")


@pytest.mark.parametrize(("suffix", "status", "message"), [
    ("manifests/v1", 404, "not found \\(404\\)"),
    ("manifests/v1", 500, "registry error 500"),
    ("manifests/v1", 403, "denied \\(403\\)"),
    ("manifests/v1", 429, "rate limited"),
])
def test_errors_on_the_manifest(suffix, status, message):
    files = oci_files(_spec(), "gzip", ref="v1")
    with serve("app", files, Behaviour(overrides={suffix: status})) as (host, _), \
            pytest.raises(RegistryError, match=message):
        open_image(f"docker://{host}/app:v1")


def test_unknown_tag():
    with serve("app", oci_files(_spec(), "gzip", ref="v1")) as (host, _), \
            pytest.raises(RegistryError, match=r"manifest v2 not found.*MANIFEST_UNKNOWN"):
        open_image(f"docker://{host}/app:v2")


def test_error_on_a_layer_blob():
    spec = _spec()
    files = oci_files(spec, "gzip", ref="v1")
    manifest = _manifest(files)
    layer_digest = manifest["layers"][1]["digest"]
    with serve("app", files, Behaviour(overrides={layer_digest: 500})) as (host, _), \
            open_image(f"docker://{host}/app:v1") as image, \
            pytest.raises(RegistryError, match="registry error 500"):
        list(iter_layer_scans(image))


def test_transient_503_is_retried():
    files = oci_files(_spec(), "gzip", ref="v1")
    with serve("app", files, Behaviour(flaky={"manifests/v1": 2})) as (host, behaviour):
        _scans(f"docker://{host}/app:v1")
    assert sum(r.endswith("manifests/v1") for r in behaviour.requests) == 3


def test_corrupt_blob_is_rejected():
    spec = _spec()
    files = oci_files(spec, "gzip", ref="v1")
    manifest = _manifest(files)
    bad = {manifest["layers"][0]["digest"]}
    with serve("app", files, Behaviour(corrupt=bad)) as (host, _), \
            open_image(f"docker://{host}/app:v1") as image, \
            pytest.raises(Exception, match=r"digest mismatch|decompress|not a tar|corrupt"):
        list(iter_layer_scans(image))


def test_corrupt_config_is_rejected():
    spec = _spec()
    files = oci_files(spec, "gzip", ref="v1")
    with serve("app", files, Behaviour(corrupt={sha(spec.config())})) as (host, _), \
            pytest.raises(Exception, match="digest mismatch"):
        open_image(f"docker://{host}/app:v1")


def test_index_and_platform_selection():
    amd = _spec()
    arm = Spec([layer([f("arm", 3)])], architecture="arm64")
    files = oci_files(amd, "gzip", ref="multi", extra_platforms=[("linux", "arm64", arm)])
    with serve("app", files) as (host, _):
        with open_image(f"docker://{host}/app:multi",
                        platform=Platform.parse("linux/arm64")) as image:
            assert image.config.architecture == "arm64"
        with open_image(f"docker://{host}/app:multi",
                        platform=Platform.parse("linux/amd64")) as image:
            assert len(image.layers) == 2


def test_bare_name_without_daemon_image_uses_the_registry(monkeypatch):
    import slimline.image.transports.auto as auto

    monkeypatch.setattr(auto, "engine_has_image", lambda name: False)
    with serve("app", oci_files(_spec(), "gzip", ref="v1")) as (host, _), \
            open_image(f"{host}/app:v1") as image:
        assert image.transport == "docker"


def test_challenge_parsing_and_loopback():
    scheme, params = parse_challenge(
        'Bearer realm="https://auth.example/token",service="registry.example",'
        'scope="repository:a/b:pull,push"')
    assert scheme == "bearer"
    assert params == {"realm": "https://auth.example/token", "service": "registry.example",
                      "scope": "repository:a/b:pull,push"}
    assert is_loopback("127.0.0.1:5000") and is_loopback("localhost") and is_loopback("[::1]:5000")
    assert not is_loopback("registry.example:5000") and not is_loopback("10.0.0.1")


def test_credentials_lookup():
    auth = base64.b64encode(b"bob:pw:with:colons").decode()
    cfg = {"auths": {"https://index.docker.io/v1/": {"auth": auth},
                     "http://127.0.0.1:5000": {"username": "u", "password": "p"},
                     "broken": {"auth": "!!!"}}}
    assert lookup("docker.io", cfg) == Credentials("bob", "pw:with:colons")
    assert lookup("127.0.0.1:5000", cfg) == Credentials("u", "p")
    assert lookup("broken", cfg) is None
    assert lookup("other.example", cfg) is None
    assert Credentials("a", "b").basic() == "Basic YTpi"


def test_base_image_found_on_the_same_registry():
    """With --dockerfile, FROM python:3.11 is looked up as HOST/python:3.11 (same host)."""
    from slimline.image.lookup import base_identity

    base = Spec([layer([d("usr"), f("usr/python", 900)])])
    app = Spec([base.layers[0], layer([f("app/main.py", 50)])])
    with serve("app", oci_files(app, "gzip", ref="v1"),
               more={"python": oci_files(base, "gzip", ref="3.11")}) as (host, behaviour), \
            open_image(f"docker://{host}/app:v1") as image:
        found = base_identity("python:3.11", image, None)
        assert found is not None
        assert found.diff_ids == (sha(base.layers[0]),)
        assert base_identity("gcr.io/distroless/base:1", image, None) is None
        assert base_identity("python:3.12", image, None) is None
    # nothing was asked of any other host: every request went to this server
    assert all(r.startswith("/v2/") or r.startswith("/token") for r in behaviour.requests)
