"""A registry that misbehaves (misbehaving_registry, on 127.0.0.1): slow, endless, huge,
wrong or failing answers end in one clear line and exit 2, within the time limit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from gen import dumps, sha
from harness import REGISTRY_TIMEOUTS, Case, Result, Run, case, params, run_case, stderr_has
from misbehaving_registry import REPO, Act, Registry, closed_port, serve

GIB = 1024**3
MIB = 1024**2
ACTS: dict[str, dict[str, Act]] = {}


def reg(id: str, acts: dict[str, Act], exit: int | tuple[int, ...] = 2,
        check: Callable[[Result, Path], None] | None = None, xfail: str | None = None,
        names: str = REPO, memory_limit: int = 512 * MIB) -> Case:
    """A case against the registry answering ``acts``; the error names ``names`` (the
    repository, or ``layer`` for an error in one layer). 512 MiB of address space is
    plenty for this small image, and too little to hold a 1 GiB body."""
    ACTS[id] = acts

    def make(work: Path, registry: Registry) -> Run:
        return Run(["analyze", "--no-progress", "--format", "json", registry.reference],
                   names, env=REGISTRY_TIMEOUTS)

    return case(id, make, exit, check, xfail, memory_limit=memory_limit)



def manifest_with(**fields: object) -> bytes:
    doc = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                      "digest": sha(b"{}"), "size": 2}, "layers": []}
    doc.update(fields)
    return dumps(doc)


def error_body(code: str) -> bytes:
    return json.dumps({"errors": [{"code": code, "message": code.lower()}]}).encode()


CASES = [
    # slow and endless bodies
    reg("manifest-one-byte-per-second", {"manifest": Act("trickle", delay=1.0)}),
    reg("config-one-byte-per-second", {"config": Act("trickle", delay=1.0)}),
    reg("layer-one-byte-per-second", {"layer": Act("trickle", delay=1.0)}),
    reg("manifest-stalls-after-headers", {"manifest": Act("stall")}),
    reg("layer-stalls-after-headers", {"layer": Act("stall")}),
    reg("manifest-announces-1-gib", {"manifest": Act("flood", length=GIB, announce=GIB)}),
    reg("manifest-endless-body", {"manifest": Act("flood", length=GIB)}),
    reg("config-announces-1-gib", {"config": Act("flood", length=GIB, announce=GIB,
                                                 fill=b"{")}),
    reg("config-endless-body", {"config": Act("flood", length=GIB)}),
    reg("layer-endless-body", {"layer": Act("flood", length=64 * MIB, fill=b"\0")},
        names="layer"),
    # wrong answers
    reg("manifest-not-json", {"manifest": Act("body", body=b"<html>hello</html>")}),
    reg("manifest-layers-object", {"manifest": Act("body", body=manifest_with(
        layers={"a": 1}))}),
    reg("manifest-config-string", {"manifest": Act("body", body=manifest_with(
        config="sha256:abc"))}),
    reg("manifest-layer-size-negative", {"manifest": Act("body", body=manifest_with(
        layers=[{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                 "digest": sha(b""), "size": -5}]))}),
    reg("manifest-schema-1", {"manifest": Act("body", body=dumps(
        {"schemaVersion": 1, "name": REPO, "fsLayers": "x"}))}),
    reg("manifest-deeply-nested", {"manifest": Act("body", body=b"[" * 100_000
                                                   + b"]" * 100_000)}),
    reg("manifest-truncated", {"manifest": Act("status", status=200, body=b'{"schema')}),
    # failing answers
    reg("manifest-500", {"manifest": Act("status", status=500, body=error_body("BOOM"))}),
    reg("manifest-503-forever", {"manifest": Act("status", status=503)}),
    reg("layer-500", {"layer": Act("status", status=500)}),
    reg("manifest-404", {"manifest": Act("status", status=404,
                                         body=error_body("MANIFEST_UNKNOWN"))}),
    reg("manifest-429", {"manifest": Act("status", status=429)}),
    reg("manifest-redirect-loop", {"manifest": Act("redirect")}),
    reg("config-redirect-loop", {"config": Act("redirect")}),
    reg("basic-auth-without-credentials", {"manifest": Act(
        "status", status=401, body=b"{}")}),
    # authentication: the token endpoint fails
    reg("token-endpoint-500", {"manifest": Act("bearer", location="TOKEN"),
                               "token": Act("status", status=500)}, check=stderr_has("token")),
    reg("token-endpoint-not-json", {"manifest": Act("bearer", location="TOKEN"),
                                    "token": Act("status", status=200, body=b"<html>")},
        check=stderr_has("token")),
    reg("token-endpoint-no-token", {"manifest": Act("bearer", location="TOKEN"),
                                    "token": Act("status", status=200, body=b'{"t": 1}')},
        check=stderr_has("token")),
    reg("token-endpoint-unreachable", {"manifest": Act("bearer", location="CLOSED")},
        check=stderr_has("token")),
    reg("token-endpoint-one-byte-per-second", {"manifest": Act("bearer", location="TOKEN"),
                                               "token": Act("trickle", delay=1.0,
                                                            body=b" " * 100 + b"{}")}),
    reg("token-endpoint-redirect-loop", {"manifest": Act("bearer", location="TOKEN"),
                                         "token": Act("redirect")}, check=stderr_has("token")),
]


def _resolve(acts: dict[str, Act], address: str) -> None:
    """Fill in the token realms now that the server's address is known."""
    for route, act in list(acts.items()):
        if act.location == "TOKEN":
            acts[route] = Act(act.kind, location=f"http://{address}/token")
        elif act.location == "CLOSED":
            acts[route] = Act(act.kind, location=f"http://127.0.0.1:{closed_port()}/token")


@pytest.mark.parametrize("c", params(CASES))
def test_registry(c: Case, tmp_path: Path) -> None:
    acts = dict(ACTS[c.id])
    with serve(acts) as registry:
        _resolve(registry.acts, registry.address)
        run_case(c, tmp_path, registry=registry)
