"""Hostile image archives: ``docker save`` (old layout and Docker 25's OCI layout) and
``.tar.gz`` archives, with broken layers, lying tar headers, bombs and odd names."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from gen import (
    config_doc,
    deep_path,
    docker25_archive,
    gzip_member,
    gzip_repeat,
    header,
    legacy_archive,
    member,
    pax,
    sha,
    small_layer,
    tar,
)
from harness import (
    Case,
    Result,
    Run,
    both,
    case,
    json_output,
    params,
    run_case,
    stderr_has,
    stderr_lacks,
    stdout_has,
)

MIB = 1024 * 1024


def analyze(path: Path, *extra: str, fmt: str = "json") -> Run:
    return Run(["analyze", path, "--no-progress", "--format", fmt, *extra], names=path.name)


def legacy(layer: bytes, name: str = "image.tar", **kw: object) -> Callable[[Path], Run]:
    """A Docker < 25 archive with this layer (uncompressed ``layer.tar``); an error in
    it names the layer (see LAYER_NAMES_IMAGE for naming the archive as well)."""

    def make(work: Path) -> Run:
        path = legacy_archive(work / name, [small_layer(), layer], **kw)  # type: ignore[arg-type]
        return Run(analyze(path).args, "layer")

    return make


def docker25(layer: bytes, name: str = "image25.tar", **kw: object) -> Callable[[Path], Run]:
    """A Docker >= 25 archive with this one layer, gzip-compressed."""

    def make(work: Path) -> Run:
        path = docker25_archive(work / name, [small_layer(), layer], **kw)  # type: ignore[arg-type]
        return Run(analyze(path).args, "layer")

    return make





def html_utf8(result: Result, work: Path) -> None:
    (work / "report.html").read_bytes().decode("utf-8")


# -- layers whose tar headers lie ---------------------------------------------------

OK = member("ok.txt", b"fine\n")
NEG_1536 = tar(OK, member("loop", b"", records={"size": "-1536"}), OK)
NEG_1 = tar(member("neg", b"", records={"size": "-1"}), OK)


def pax_size(value: str) -> bytes:
    return tar(member("x", b"abc", records={"size": value}), OK)


def lying_pax(body: bytes) -> bytes:
    return tar(pax(body), header("x", 3) + b"abc".ljust(512, b"\0"))


TAR_HEADERS = [
    case("pax-size-minus-1536-legacy", legacy(NEG_1536)),
    case("pax-size-minus-1536-docker25", docker25(NEG_1536)),
    case("pax-size-minus-1-legacy", legacy(NEG_1)),
    case("pax-size-minus-1-docker25", docker25(NEG_1)),
    case("pax-size-huge-negative", legacy(pax_size(str(-(10**30))))),
    case("pax-size-non-numeric", legacy(pax_size("abc"))),
    case("pax-size-float", docker25(pax_size("1e3"))),
    case("pax-size-huge", legacy(pax_size("9" * 40))),
    case("pax-size-empty", legacy(pax_size(""))),
    case("pax-size-plus-sign", docker25(pax_size("+512")), exit=(0, 2)),
    case("pax-record-length-lies", legacy(lying_pax(b"99999 size=3\n"))),
    case("pax-record-length-zero", legacy(lying_pax(b"0 size=3\n"))),
    case("pax-record-length-negative", docker25(lying_pax(b"-9 path=x\n"))),
    case("pax-record-no-equals", legacy(lying_pax(b"12 garbage\n"))),
    case("pax-header-size-huge", legacy(tar(header("PaxHeaders/x", 8 * 1024**3 - 1, b"x")))),
    case("ustar-size-not-octal", legacy(tar(header("x", size_field=b"zzzzzzzzzzz\0")))),
    case("ustar-size-base256-negative",
         docker25(tar(header("x", size_field=b"\xff" * 12), OK))),
    case("ustar-bad-checksum", legacy(tar(header("x", 3, bad_checksum=True) + b"\0" * 512))),
    case("truncated-data", docker25(tar(header("x", 100_000) + b"a" * 1000, end=False))),
    case("truncated-header", legacy(tar(OK, end=False) + header("y", 3)[:300])),
    case("gnu-longname-negative", legacy(tar(header("././@LongLink", size_field=b"-1\0"),
                                              OK))),
]



def named(make: Callable[[Path], Run]) -> Callable[[Path], Run]:
    """The same input, but the error line must name the archive, not only the layer."""

    def wrapped(work: Path) -> Run:
        run = make(work)
        return Run(run.args, Path(run.args[1]).name)  # type: ignore[arg-type]

    return wrapped


LAYER_NAMES_IMAGE = [
    case("layer-error-names-archive-legacy", named(legacy(pax_size("abc"), "named.tar"))),
    case("layer-error-names-archive-docker25", named(docker25(
        tar(header("x", 100_000) + b"a" * 1000, end=False), "named25.tar"))),
]

# -- limits: depth, length, bombs, repeated layers ------------------------------------

DEEP = tar(member("deep", b"x", records={"path": deep_path(20_000)}))
DEEP_GNU = tar(member("././@LongLink", deep_path(20_000).encode() + b"\0", b"L"),
               header("ignored", 0) )
LONG_NAME = tar(member("long", b"x", records={"path": "a" * 100_000}))
LONG_LINK = tar(member("link", b"", b"2", records={"linkpath": "/" + "b" * 100_000}))


def gzip_bomb_layer(size: int = 512 * MIB) -> tuple[bytes, str]:
    """A gzip layer of one file of zeros: ~1000:1, and its diff ID (computed cheaply)."""
    head = header("zeros", size)
    block = b"\0" * MIB
    tail = b"\0" * 1024
    digest = hashlib.sha256(head)
    for _ in range(size // MIB):
        digest.update(block)
    digest.update(tail)
    return gzip_repeat(head, block, size // MIB, tail), "sha256:" + digest.hexdigest()


def make_bomb(work: Path) -> Run:
    blob, diff_id = gzip_bomb_layer()
    base = small_layer()
    config = config_doc([sha(base), diff_id])
    # docker25_archive compresses uncompressed layers; this one is compressed already
    path = work / "bomb.tar"
    layers_written = [base, blob]
    docker25_archive(path, layers_written, compress=False, config=config,
                     edit_manifest=_mark_gzip(1))
    return analyze(path)


def _mark_gzip(index: int) -> Callable[[dict[str, object]], dict[str, object]]:
    def edit(manifest: dict[str, object]) -> dict[str, object]:
        layers = manifest["layers"]
        assert isinstance(layers, list)
        layers[index]["mediaType"] += "+gzip"
        return manifest

    return edit


def make_repeated(legacy_layout: bool) -> Callable[[Path], Run]:
    """One 64 MiB (gzip: 70 KB) layer listed 1000 times: must be read once, not 1000."""

    def make(work: Path) -> Run:
        blob, diff_id = gzip_bomb_layer(64 * MIB)
        base = small_layer()
        order = [0] + [1] * 1000
        config = config_doc([sha(base)] + [diff_id] * 1000)
        if legacy_layout:
            path = legacy_archive(work / "repeat-legacy.tar", [base, blob], config=config,
                                  order=order)
        else:
            path = docker25_archive(work / "repeat25.tar", [base, blob], compress=False,
                                    config=config, order=order,
                                    edit_manifest=_gzip_all_but_first)
        return analyze(path)

    return make


def _gzip_all_but_first(manifest: dict[str, object]) -> dict[str, object]:
    layers = manifest["layers"]
    assert isinstance(layers, list)
    for desc in layers[1:]:
        desc["mediaType"] += "+gzip"
    return manifest


def make_brace_members(work: Path) -> Run:
    """A 1.6 MB ``.tar.gz`` archive of 100 members of 16 MiB that each begin with ``{``
    (each one under the document size limit, 1.6 GiB together)."""
    spaces = gzip_member(b" " * MIB)
    parts = []
    for i in range(100):
        parts.append(gzip_member(header(f"doc{i}.json", 16 * MIB) + b"{" + b" " * (MIB - 1)))
        parts.append(spaces * 15)
    parts.append(gzip_member(b"\0" * 1024))
    path = work / "braces.tar.gz"
    path.write_bytes(b"".join(parts))
    return analyze(path)


def make_unverified_gzip_legacy(work: Path) -> Run:
    """Old layout, ``layer.tar`` gzip-compressed, wrong diff ID: compressed layers are
    always verified, ``--verify`` or not."""
    layer = small_layer("app/a.txt")
    config = config_doc([sha(small_layer()), sha(b"something else")])
    path = legacy_archive(work / "unverified.tar", [small_layer(), gzip.compress(layer)],
                          config=config)
    return analyze(path)


LIMITS = [
    case("path-20000-deep-pax", legacy(DEEP), check=stderr_has("limit")),
    case("path-20000-deep-docker25", docker25(DEEP), check=stderr_has("limit")),
    case("path-20000-deep-gnu-longname", legacy(DEEP_GNU), check=stderr_has("limit")),
    case("path-100000-bytes", docker25(LONG_NAME), check=stderr_has("limit")),
    case("linkname-100000-bytes", legacy(LONG_LINK), check=stderr_has("limit")),
    case("gzip-bomb-ratio-1000", make_bomb, check=stderr_has("limit")),
    case("layer-listed-1000-times-docker25", make_repeated(False), exit=(0, 2)),
    case("layer-listed-1000-times-legacy-gzip", make_repeated(True), exit=(0, 2)),
    case("tar-gz-archive-brace-members", make_brace_members, memory_limit=1024 * MIB),
    case("legacy-gzip-layer-not-verified", make_unverified_gzip_legacy),
]

# -- whiteouts and paths ------------------------------------------------------------

ESCAPES = [
    case("whiteout-empty-target", legacy(tar(member("app/.wh.", b"")))),
    case("whiteout-dotdot-target", docker25(tar(member("app/.wh...", b"")))),
    case("member-dotdot-path", legacy(tar(member("../../../etc/evil", b"x"))), exit=(0, 2)),
    case("manifest-layer-escapes",
         lambda w: analyze(legacy_archive(w / "esc.tar", [small_layer()], edit_docker=lambda
                           d: [{**d[0], "Layers": ["../../../etc/passwd"]}]))),
    case("manifest-config-absolute",
         lambda w: analyze(legacy_archive(w / "abs.tar", [small_layer()], edit_docker=lambda
                           d: [{**d[0], "Config": "/etc/passwd"}]))),
    case("layer-tar-symlink-loop", lambda w: analyze(write_tar_links(w / "loop.tar"))),
]


def write_tar_links(path: Path) -> Path:
    """An old-layout archive whose only layer.tar is a symlink to itself."""
    config = json.dumps(config_doc([sha(b"x")])).encode()
    docker = json.dumps([{"Config": "c.json", "RepoTags": ["x:1"],
                          "Layers": ["l/layer.tar"]}]).encode()
    path.write_bytes(tar(member("l/layer.tar", b"", b"2", linkname="layer.tar"),
                         member("c.json", config), member("manifest.json", docker)))
    return path


# -- the archive itself -------------------------------------------------------------


def docker_json(doc: object, name: str) -> Callable[[Path], Run]:
    def make(work: Path) -> Run:
        return analyze(legacy_archive(work / name, [small_layer()],
                                      edit_docker=lambda d: doc))

    return make


ARCHIVES = [
    case("archive-empty-file", lambda w: analyze(_write(w / "empty.tar", b""))),
    case("archive-random-bytes",
         lambda w: analyze(_write(w / "random.tar", hashlib.sha512(b"x").digest() * 64))),
    case("archive-gzip-of-garbage",
         lambda w: analyze(_write(w / "garbage.tar.gz", gzip.compress(b"\x01" * 5000)))),
    case("manifest-json-not-json", docker_json(b"{not json", "m1.tar")),
    case("manifest-json-object", docker_json({"Config": "x"}, "m2.tar")),
    case("manifest-layers-a-string", docker_json([{"Config": "x.json", "Layers": "abc"}],
                                                 "m3.tar")),
    case("manifest-config-a-number", docker_json([{"Config": 12, "Layers": []}], "m4.tar")),
    case("manifest-repotags-a-dict", docker_json([{"Config": "x.json", "Layers": [],
                                                   "RepoTags": {"a": 1}}], "m5.tar")),
    case("archive-missing-file-not-on-docker-hub",
         lambda w: Run(["analyze", "--no-progress", "missing-image.tar"], "missing-image.tar"),
         check=stderr_lacks("docker.io", "registry")),
    case("archive-path-with-colon", lambda w: Run(
        ["analyze", "--no-progress", "-f", "json",
         "docker-archive:" + str(legacy_archive(w / "a:b.tar", [small_layer()]))]),
         exit=0),
    case("archive-multi-member-gzip-valid", lambda w: analyze(_write(
        w / "multi.tar.gz", b"".join(gzip_member(part) for part in _split(
            legacy_archive(w / "inner.tar", [small_layer()]).read_bytes()))), fmt="json"),
         exit=0),
]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _split(data: bytes, parts: int = 5) -> list[bytes]:
    step = -(-len(data) // parts)
    return [data[i:i + step] for i in range(0, len(data), step)]


# -- valid images with odd names: shown literally, escaped, JSON stays UTF-8 ---------

MARKUP = tar(member("app/pages/[slug].js", b"x" * 300_000), member("x/[/]", b"y" * 200_000))
MARKUP_HISTORY = ["/bin/sh -c pip install uvicorn[standard]", "/bin/sh -c #(nop) [bold]x[/bold]"]
CONTROL = tar(member("app/\x1b[31mred\x1b[0m\x07.txt", b"z" * 250_000))
CONTROL_HISTORY = ["/bin/sh -c echo \x1b]0;pwned\x07", "/bin/sh -c printf '\x1b[2J'"]
LATIN1 = tar(member(b"app/caf\xe9-\xff.txt", b"w" * 260_000))


def odd(layer: bytes, history: list[str] | None, *extra: str,
        fmt: str = "text") -> Callable[[Path], Run]:
    def make(work: Path) -> Run:
        layers = [small_layer(), layer]
        config = config_doc([sha(x) for x in layers], history)
        path = legacy_archive(work / "odd.tar", layers, config=config)
        outputs = [work / a for a in extra if a.endswith((".json", ".html"))]
        return Run(analyze(path, *extra, fmt=fmt).args, path.name, outputs=outputs)

    return make


def written(name: str) -> Callable[[Path], Run]:
    """``-o``/``--html`` into a directory that does not exist: one line naming it."""

    def make(work: Path) -> Run:
        path = legacy_archive(work / "ok.tar", [small_layer()])
        option = "--html" if name.endswith(".html") else "-o"
        return Run(analyze(path, option, str(work / "no/such" / name)).args, name)

    return make


REPORTS = [
    case("markup-slug-js-shown", odd(MARKUP, MARKUP_HISTORY), exit=0,
         check=stdout_has("[slug].js")),
    case("markup-uvicorn-standard-shown", odd(MARKUP, MARKUP_HISTORY, "--top", "20"), exit=0,
         check=stdout_has("uvicorn[standard]", "[bold]x[/bold]")),
    case("markup-history-markdown", odd(MARKUP, MARKUP_HISTORY, fmt="markdown"), exit=0,
         check=stdout_has("uvicorn[standard]", "[bold]x[/bold]")),
    case("control-characters-text", odd(CONTROL, CONTROL_HISTORY), exit=0,
         check=stdout_has("red")),
    case("control-characters-markdown", odd(CONTROL, CONTROL_HISTORY, fmt="markdown"), exit=0,
         check=stdout_has("pwned")),
    case("control-characters-json", odd(CONTROL, CONTROL_HISTORY, fmt="json"), exit=0,
         check=json_output("-")),
    case("non-utf8-name-text", odd(LATIN1, None), exit=0, check=stdout_has("caf")),
    case("non-utf8-name-json-stdout", odd(LATIN1, None, fmt="json"), exit=0,
         check=json_output("-")),
    case("non-utf8-name-json-file", odd(LATIN1, None, "-o", "out.json", fmt="json"), exit=0,
         check=json_output("out.json")),
    case("non-utf8-name-html", odd(LATIN1, None, "--html", "report.html", "-o", "out.json",
                                   fmt="json"), exit=0,
         check=both(html_utf8, json_output("out.json"))),
    case("html-into-missing-directory", written("r.html")),
    case("output-into-missing-directory", written("r.json")),
]

CASES: list[Case] = [*TAR_HEADERS, *LAYER_NAMES_IMAGE, *LIMITS, *ESCAPES, *ARCHIVES, *REPORTS]


@pytest.mark.parametrize("c", params(CASES))
def test_archive(c: Case, tmp_path: Path) -> None:
    run_case(c, tmp_path)
