"""Record slimline's outputs on fixed inputs, to show that a refactor changed nothing.

    python scripts/golden.py record OUT_DIR [--images]
    diff -r BEFORE_DIR AFTER_DIR

Dockerfile side (no engine needed): for every file of tests/corpus, ``lint
--format json``, ``lint --format sarif``, ``fix`` (safe) and ``fix --unsafe``
(each output with its exit code). With ``--images`` (needs the test bed's
engine and registry): ``analyze --format json`` of stand-in images over every
transport, and ``compare --format json`` of two pairs.

Commands run in-process through click's test runner, from the repository root,
so paths in the outputs are relative and the same in every checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

import slimline.cli.commands  # noqa: F401  (registers the sub-commands)
from slimline.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("tests/corpus")

#: Fields whose values change from run to run (timings, temporary paths).
_VOLATILE = re.compile(r'"(elapsed|seconds|duration|generated|measured_pull_seconds|[a-z_]*_time)":\s*[0-9.e+-]+')


def _run(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(cli, args, catch_exceptions=True)
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += f"\nEXCEPTION {type(result.exception).__name__}: {result.exception}\n"
    return f"exit={result.exit_code}\n{text}"


def record_dockerfiles(out: Path) -> int:
    runner = CliRunner()
    count = 0
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.name == "README.md":
            continue
        rel = path.relative_to(CORPUS)
        base = out / "corpus" / rel
        base.parent.mkdir(parents=True, exist_ok=True)
        p = str(path)
        for suffix, args in (
            ("lint.json", ["lint", "--format", "json", p]),
            ("lint.sarif", ["lint", "--format", "sarif", p]),
            ("fix.diff", ["fix", p]),
            ("fix-unsafe.diff", ["fix", "--unsafe", p]),
        ):
            Path(f"{base}.{suffix}").write_text(_run(runner, args), encoding="utf-8", errors="surrogateescape")
        count += 1
    return count


def _image_cases(tmp: Path) -> dict[str, list[str]]:
    registry = os.environ.get("SLIMLINE_REGISTRY", "127.0.0.1:5000")
    archive = tmp / "slim.tar"
    subprocess.run(["docker", "save", "-o", str(archive), "python:3.11-slim"], check=True)
    cases = {
        "analyze-daemon-python-slim": ["analyze", "--format", "json", "docker-daemon:python:3.11-slim"],
        "analyze-daemon-python-full": ["analyze", "--format", "json", "docker-daemon:python:3.11"],
        "analyze-daemon-golang": ["analyze", "--format", "json", "docker-daemon:golang:1.19"],
        "analyze-archive-python-slim": ["analyze", "--format", "json", f"docker-archive:{archive}"],
        "analyze-registry-python-slim": [
            "analyze", "--format", "json", f"docker://{registry}/python:3.11-slim",
        ],
        "analyze-registry-distroless": [
            "analyze", "--format", "json", f"docker://{registry}/distroless/python3-debian12",
        ],
        "compare-full-slim": [
            "compare", "--format", "json", "--no-measure-pull",
            "docker-daemon:python:3.11", "docker-daemon:python:3.11-slim",
        ],
        "compare-slim-distroless": [
            "compare", "--format", "json", "--no-measure-pull",
            "docker-daemon:python:3.11-slim", f"docker://{registry}/distroless/python3-debian12",
        ],
    }
    return cases


def record_images(out: Path) -> int:
    runner = CliRunner()
    (out / "images").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cases = _image_cases(Path(tmp))
        for name, args in cases.items():
            text = _run(runner, args).replace(tmp, "<tmp>")
            text = _VOLATILE.sub(lambda m: f'"{m.group(1)}": 0', text)
            try:  # normalise JSON layout so that key order changes stay visible but spacing does not
                head, body = text.split("\n", 1)
                text = head + "\n" + json.dumps(json.loads(body), indent=1, sort_keys=False) + "\n"
            except (ValueError, json.JSONDecodeError):
                pass
            (out / "images" / f"{name}.txt").write_text(text, encoding="utf-8")
    return len(cases)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--images", action="store_true", help="also analyze/compare stand-in images")
    rec.add_argument("--no-dockerfiles", action="store_true")
    args = parser.parse_args()
    os.chdir(ROOT)
    out = args.out.resolve()
    if not args.no_dockerfiles:
        print(f"{record_dockerfiles(out)} corpus files recorded", file=sys.stderr)
    if args.images:
        print(f"{record_images(out)} image cases recorded", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
