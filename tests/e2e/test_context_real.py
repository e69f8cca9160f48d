"""Our .dockerignore matcher against the real Docker engine.

Each case writes a build context with awkward names and patterns, builds
``FROM scratch`` + ``COPY . /ctx/`` with a real ``docker build``, reads the
image back with ``docker save`` and compares every entry under ``/ctx`` (files,
links and directories) with what :func:`scan_context` says is sent.

Both builders are tried, through whichever docker clients the machine has:
BuildKit (``DOCKER_BUILDKIT=1``) and the classic builder (``DOCKER_BUILDKIT=0``).
The client's version picks the matcher generation to compare with: docker
CLI 23.0 and later carry ``moby/patternmatcher``, 20.10 and earlier the older
``pkg/fileutils`` (see docs/context.md).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slimline.context import DockerIgnore, matcher_for_client, scan_context
from slimline.context.dockerignore import Builder, Matcher

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DOCKERFILE = "FROM scratch\nCOPY . /ctx/\n"


@dataclass(frozen=True)
class Route:
    """One way to run ``docker build`` on this machine."""

    builder: Builder
    exe: str
    version: str

    @property
    def matcher(self) -> Matcher:
        return matcher_for_client(self.version)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DOCKER_BUILDKIT"] = "1" if self.builder == "buildkit" else "0"
        return env


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    ignore: str | None = None
    """Content of the root .dockerignore (None: no file)."""
    links: dict[str, str] = field(default_factory=dict)
    """Symbolic links: path -> target."""
    dockerfile: str = "Dockerfile"
    """Where the Dockerfile goes (relative to the context)."""
    extra: dict[str, str] = field(default_factory=dict)
    """More files written verbatim (e.g. a Dockerfile-specific ignore file)."""


CASES = [
    Case(
        "typical-python-node",
        {
            "app/main.py": "print()",
            "app/__pycache__/main.cpython-311.pyc": "x",
            "node_modules/left-pad/index.js": "x",
            ".git/HEAD": "ref",
            ".git/objects/ab/cdef": "x",
            ".env": "SECRET=1",
            ".env.example": "SECRET=",
            "debug.log": "x",
            "keep.log": "x",
            "requirements.txt": "fastapi",
        },
        ".git\nnode_modules\n**/__pycache__\n.env\n*.log\n!keep.log\n",
    ),
    Case(
        "dir-with-prefix-exception",
        {"dir/keep": "k", "dir/other": "o", "dir/sub/z": "z"},
        "dir\n!dir/keep\n",
    ),
    Case(
        "dir-with-wildcard-exception",
        {"dir2/keep2.txt": "k", "dir2/o": "o", "top/keep2.txt": "k", "d3/x/keep2.txt": "k"},
        "dir2\nd3\n!**/keep2.txt\n",
    ),
    Case(
        "exception-naming-missing-file",
        {"dir/other": "o", "dir/sub/z": "z", "e/f": "f"},
        "dir\n!dir/missing\n",
    ),
    Case("pattern-skipped-for-parent", {"a/b/c": "c", "a/d": "d", "a/b/e/f": "f"}, "a\n!a/b\na\n"),
    Case(
        "double-star-suffix-forms",
        {"x.pyc": "", "d/y.pyc": "", "d/ypyc": "", "barfoo": "", "q/xfoo": "", "foo.txt": ""},
        "**.pyc\n**foo\n",
    ),
    Case(
        "regex-characters-in-names",
        {"a+b-1": "", "aab-1": "", "p(1).txt": "", "p1.txt": "", "w{2}": ""},
        "a+b*\np(1)*\nw{2}\n",
    ),
    Case(
        "single-parent-depth",
        {"x/y/foo/keep": "", "x/y/foo/other": "", "foo/z": ""},
        "**/foo\n!x/y/foo/keep\n",
    ),
    Case(
        "classes-and-negation",
        {"ab": "", "!b": "", "cb": "", "xb": "", "^b": ""},
        "[!a]b\n[c-d]b\n[^x]b\n",
    ),
    Case(
        "comments-and-whitespace",
        {" #notcomment": "", "#c": "", "sp": "", "t.txt": "", "tab": ""},
        "# comment\n  #notcomment\n\nsp   \n   t.txt\n#c\n\ttab\t\n",
    ),
    Case(
        "cleaned-patterns",
        {"abs/f": "", "rel/g": "", "y/h": "", "z": "", "w/v": ""},
        "/abs\n./rel/\nx/../y\n../z\nw//v/\n",
    ),
    Case(
        "escapes",
        {"#hash": "", "file*star": "", "fileXstar": "", "q?": "", "qq": ""},
        "\\#hash\nfile\\*star\nq\\?\n",
    ),
    Case("build-files-excluded", {"a": "", "sub/.dockerignore": ""}, "Dockerfile\n.dockerignore\n"),
    Case("everything-but", {"a": "", "d/b": "", "d/e/f": ""}, "*\n!d\n"),
    Case(
        "double-star-middle-and-end",
        {
            "tmp/a": "",
            "x/tmp/b": "",
            "x/tmp/c/d": "",
            "x/tmpz/e": "",
            "a/b/c/x.txt": "",
            "a/x.txt": "",
            "ax.txt": "",
            "a/b/y.txt": "",
        },
        "**/tmp/**\na/**/x.txt\n",
    ),
    Case(
        "reinclude-directory",
        {"a": "", "src/a.py": "", "src/sub/b.py": "", "other/c": ""},
        "*\n!src\n",
    ),
    Case(
        "markdown-exceptions",
        {"docs/a.md": "", "docs/x/b.md": "", "docs/x/c.txt": "", "r.md": "", "t.txt": ""},
        "docs\n*.txt\n!*.md\n!docs/**/*.md\n",
    ),
    Case("unicode-names", {"ünï/çødé.txt": "", "日本/x.log": "", "日本/y": ""}, "ünï\n**/*.log\n"),
    Case(
        "regex-escapes-and-posix-classes",
        {"v1": "", "vd": "", "v12": "", "w_1": "", "w-1": "", "1x": "", "ax": "", "Ax": ""},
        "v\\d\nw\\w1\n[[:digit:]]x\n[[:upper:]]x\n",
    ),
    Case(
        "bom-crlf-and-bang-space",
        {"a": "", "b": "", "k.log": "", "z.log": ""},
        "\ufeffa\r\nb\r\n*.log\r\n!   k.log\r\n",
    ),
    Case("dot-slash-bang", {"!x": "", "x": "", "y": ""}, "*\n./!x\n"),
    Case(
        "pyc-with-exception",
        {"a/b/c.pyc": "", "a/keep.pyc": "", "keep.pyc": "", "d.py": ""},
        "**/*.pyc\n!**/keep.pyc\n",
    ),
    Case(
        "question-and-star-slash",
        {"a1": "", "a12": "", "a/b": "", "x/sub/f": "", "x/y/sub/f": "", "sub/f": ""},
        "a?\n*/sub\n",
    ),
    Case("empty-directories", {"e1/": "", "e2/": "", "e2/k/": "", "f": ""}, "e2/k\n"),
    Case("prefix-double-star", {"foobar/a": "", "fo": "", "foo/b": "", "food": ""}, "foo**\n"),
    Case("alternation-in-pattern", {"ab": "", "b": "", "zzb": "", "c": ""}, "a|b\n"),
    Case("no-ignore-file", {"a": "", "b/c": "", ".git/x": ""}, None),
    Case(
        "symlinks-are-not-followed",
        {"real/f": "", "secret/key.pem": "", "ok": ""},
        "secret\n*.lnk\n",
        links={
            "to-real": "real",
            "to-secret": "secret/key.pem",
            "dangling": "nowhere",
            "x.lnk": "ok",
            "real/up": "..",
        },
    ),
    Case(
        "dockerfile-in-subdir-excluded",
        {"sub/a": "", "b": ""},
        "sub\n",
        dockerfile="sub/Dockerfile",
    ),
    Case(
        "dockerfile-specific-ignore-file",
        {"a.txt": "", "b.txt": "", "c.md": ""},
        "*.txt\n",
        dockerfile="build/App.Dockerfile",
        extra={"build/App.Dockerfile.dockerignore": "*.md\nbuild\n"},
    ),
]


def _run(route: Route, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [route.exe, *args], env=route.env(), capture_output=True, timeout=300, check=False
    )


def _client_version(exe: str) -> str | None:
    try:
        out = subprocess.run(
            [exe, "version", "--format", "{{.Client.Version}}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = out.stdout.strip()
    return version if version and version[0].isdigit() else None


def _engine_answers() -> bool:
    exe = shutil.which("docker")
    if exe is None:
        return False
    try:
        return (
            subprocess.run([exe, "info"], capture_output=True, timeout=30, check=False).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def _candidates() -> list[str]:
    found = [shutil.which("docker"), "/usr/bin/docker"]
    out: list[str] = []
    for exe in found:
        if exe and Path(exe).exists() and os.path.realpath(exe) not in map(os.path.realpath, out):
            out.append(exe)
    return out


ROUTE_KEYS = ["buildkit-client1", "buildkit-client2", "classic-client1", "classic-client2"]
"""client1 is the docker on PATH, client2 /usr/bin/docker when that is another binary."""


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Route]:
    """Every (builder, client) pair this machine can build with."""
    if not _engine_answers():
        pytest.skip("no Docker engine answers `docker info`")
    probe = tmp_path_factory.mktemp("probe")
    (probe / "Dockerfile").write_text(DOCKERFILE)
    (probe / "f").write_text("x")
    found: dict[str, Route] = {}
    builders: tuple[Builder, ...] = ("buildkit", "classic")
    for builder in builders:
        for number, exe in enumerate(_candidates(), start=1):
            version = _client_version(exe)
            if version is None:
                continue
            route = Route(builder=builder, exe=exe, version=version)
            tag = f"slimline-ctxprobe:{uuid.uuid4().hex[:12]}"
            ok = _run(route, "build", "-q", "-t", tag, str(probe)).returncode == 0
            _run(route, "rmi", "-f", tag)
            if ok:
                found[f"{builder}-client{number}"] = route
    return found


def _write_case(root: Path, case: Case) -> None:
    for rel, content in case.files.items():
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    for rel, target in case.links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(target)
    dockerfile = root / case.dockerfile
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_text(DOCKERFILE)
    if case.ignore is not None:
        (root / ".dockerignore").write_bytes(case.ignore.encode("utf-8"))
    for rel, content in case.extra.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content, encoding="utf-8")


def _image_entries(route: Route, tag: str) -> set[str]:
    saved = _run(route, "save", tag)
    assert saved.returncode == 0, saved.stderr.decode()
    entries: set[str] = set()
    with tarfile.open(fileobj=io.BytesIO(saved.stdout)) as outer:
        manifest_file = outer.extractfile("manifest.json")
        assert manifest_file is not None
        manifest = json.load(manifest_file)
        for layer in manifest[0]["Layers"]:
            layer_file = outer.extractfile(layer)
            assert layer_file is not None
            with tarfile.open(fileobj=io.BytesIO(layer_file.read())) as inner:
                for member in inner.getmembers():
                    name = member.name.rstrip("/")
                    if name.startswith("./"):
                        name = name[2:]
                    if not name.startswith("ctx/"):
                        continue
                    entries.add(name[4:] + ("/" if member.isdir() else ""))
    return entries


def _real_entries(route: Route, context: Path, dockerfile: Path) -> set[str]:
    tag = f"slimline-ctxprobe:{uuid.uuid4().hex[:12]}"
    built = _run(route, "build", "-q", "-t", tag, "-f", str(dockerfile), str(context))
    assert built.returncode == 0, built.stderr.decode()
    try:
        return _image_entries(route, tag)
    finally:
        _run(route, "rmi", "-f", tag)


def _our_entries(route: Route, context: Path, dockerfile: Path) -> set[str]:
    ignore = DockerIgnore.load(context, dockerfile, builder=route.builder, matcher=route.matcher)
    scan = scan_context(context, ignore, dockerfile_path=dockerfile)
    assert not scan.unreadable and not scan.truncated
    return set(scan.sent_paths) | {d + "/" for d in scan.directories}


@pytest.fixture
def context_dir(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "ctx"
    root.mkdir()
    yield root


@pytest.mark.timeout(600)
@pytest.mark.parametrize("route_key", ROUTE_KEYS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_sent_files_equal_the_engines(
    case: Case, route_key: str, routes: dict[str, Route], context_dir: Path
) -> None:
    route = routes.get(route_key)
    if route is None:
        pytest.skip(f"{route_key}: no such builder and client pair works on this machine")
    _write_case(context_dir, case)
    dockerfile = context_dir / case.dockerfile
    real = _real_entries(route, context_dir, dockerfile)
    ours = _our_entries(route, context_dir, dockerfile)
    assert ours == real, (
        f"{route.exe} {route.version} {route.builder}: only in image {sorted(real - ours)}, "
        f"only in our scan {sorted(ours - real)}"
    )


def test_at_least_one_route_runs(routes: dict[str, Route]) -> None:
    """With an engine present, some builder must work, or every comparison was skipped."""
    assert routes, "the engine answers but no docker client could build FROM scratch"


@pytest.mark.timeout(600)
def test_matcher_generations_really_differ_on_this_engine(
    routes: dict[str, Route], tmp_path: Path
) -> None:
    """The case list must not be blind: a generation mismatch shows up as a failure.

    For each available route, the scan made with the *other* matcher
    generation disagrees with the image on at least one case.
    """
    if not routes:
        pytest.skip("no builder runs on this machine")
    for route in routes.values():
        other: Matcher = "fileutils" if route.matcher == "patternmatcher" else "patternmatcher"
        differences = 0
        for case in CASES:
            if case.name not in {"double-star-suffix-forms", "regex-characters-in-names"}:
                continue
            root = tmp_path / f"{route.builder}-{Path(route.exe).name}-{id(route)}-{case.name}"
            root.mkdir()
            _write_case(root, case)
            dockerfile = root / case.dockerfile
            real = _real_entries(route, root, dockerfile)
            wrong = DockerIgnore.load(root, dockerfile, builder=route.builder, matcher=other)
            scan = scan_context(root, wrong, dockerfile_path=dockerfile)
            if set(scan.sent_paths) | {d + "/" for d in scan.directories} != real:
                differences += 1
        assert differences == 2, f"{route.exe}: the other generation matched the engine"
