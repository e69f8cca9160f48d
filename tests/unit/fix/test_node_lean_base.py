"""SL103's Node.js rewrite from a slim ``node`` base (``fix --unsafe``, ``optimize --runtime
auto``): distroless is offered, a slim runtime is declined, and `npm start` is resolved from
package.json's ``scripts.start`` when it is exactly ``node SCRIPT``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slimline.dockerfile.parser import parse, parse_file
from slimline.fix.engine import FixResult, fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.lint.config import LintConfig
from slimline.optimize import OptimizeOptions
from slimline.optimize_candidates import plan

DISTROLESS = "gcr.io/distroless/nodejs18-debian12:nonroot"
#: The shape of a real express project: ADD before WORKDIR, `npm start` as ENTRYPOINT + CMD.
NPM_START = 'FROM node:18-slim\nADD . /app\nWORKDIR /app\nRUN npm install\nENTRYPOINT ["npm"]\nCMD ["start"]\n'
NODE_CMD = 'FROM node:18-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n'


def package(start: str | None = "node app.js", **extra: str) -> str:
    scripts = {"start": start, **extra} if start is not None else dict(extra)
    return json.dumps({"name": "app", "scripts": scripts, "dependencies": {"express": "4.21.2"}})


def fix(tmp_path: Path, dockerfile: str, runtime: str, package_json: str | None = None) -> FixResult:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    if package_json is not None:
        (tmp_path / "package.json").write_text(package_json)
    df = parse_file(tmp_path / "Dockerfile")
    return fix_dockerfile(df, LintConfig(), tmp_path, unsafe=True, options=FixOptions(runtime=runtime))


def stage_texts(result: FixResult, index: int) -> list[str]:
    return [i.logical.text.strip() for i in parse(result.fixed).stages[index].instructions]


def sl103_notes(result: FixResult) -> list[str]:
    return [note for _line, code, note in result.notes if code == "SL103"]


def test_node_cmd_on_a_slim_base_goes_distroless(tmp_path: Path) -> None:
    result = fix(tmp_path, NODE_CMD, "distroless", package())
    assert [s.base_expanded for s in parse(result.fixed).stages] == ["node:18-slim", DISTROLESS]
    builder = stage_texts(result, 0)
    assert builder[0] == "FROM node:18-slim AS builder" and "RUN npm prune --omit=dev" in builder
    assert stage_texts(result, 1)[1:] == [
        "WORKDIR /app",
        "COPY --from=builder /app /app",
        "COPY . .",
        "EXPOSE 3000",
        'CMD ["server.js"]',
    ]
    # the finding exists for the rewrite only: lint still reports no SL103 on a slim base
    assert not any(f.code == "SL103" for f in result.findings)


def test_npm_start_entrypoint_and_cmd_resolved_from_package_json(tmp_path: Path) -> None:
    result = fix(tmp_path, NPM_START, "distroless", package())
    runtime = stage_texts(result, 1)
    assert runtime[0] == f"FROM {DISTROLESS}"
    assert runtime[-1] == 'CMD ["app.js"]'
    assert not any(t.startswith("ENTRYPOINT") for t in runtime)
    notes = " ".join(f.note for f in result.applied if f.note)
    assert "`npm start` on line 6 runs `node app.js`" in notes


@pytest.mark.parametrize(
    ("commands", "script"),
    [
        ('CMD ["npm", "start"]\n', "./bin/www"),
        ('CMD ["npm", "run", "start"]\n', "./bin/www"),
        ('ENTRYPOINT ["npm", "start"]\n', "./bin/www"),
        ('CMD ["node", "old.js"]\nCMD ["npm", "start"]\n', "./bin/www"),
    ],
)
def test_npm_start_forms(tmp_path: Path, commands: str, script: str) -> None:
    dockerfile = "FROM node:18-slim\nWORKDIR /srv\nCOPY . .\nRUN npm ci\n" + commands
    result = fix(tmp_path, dockerfile, "distroless", package("node ./bin/www"))
    runtime = stage_texts(result, 1)
    assert [t for t in runtime if t.startswith(("CMD", "ENTRYPOINT"))] == [f'CMD ["{script}"]']


def test_npm_start_from_a_full_base_is_resolved_too(tmp_path: Path) -> None:
    dockerfile = 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "start"]\n'
    result = fix(tmp_path, dockerfile, "distroless", package("node server.js"))
    assert stage_texts(result, 1)[-1] == 'CMD ["server.js"]'


def test_slim_runtime_from_a_slim_base_is_declined(tmp_path: Path) -> None:
    result = fix(tmp_path, NODE_CMD, "slim", package())
    assert len(parse(result.fixed).stages) == 1
    assert sl103_notes(result) == [
        "the base node:18-slim is already slim: a slim runtime from a slim base gains nothing; "
        "use --runtime distroless"
    ]


def test_slim_base_with_a_toolchain_still_goes_slim(tmp_path: Path) -> None:
    """SL103 reports a slim base that installs a toolchain: the slim runtime drops it."""
    dockerfile = NODE_CMD.replace(
        "RUN npm ci\n",
        "RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3 && npm ci\n",
    )
    result = fix(tmp_path, dockerfile, "slim", package())
    assert any(f.code == "SL103" for f in result.findings)
    assert [s.base_expanded for s in parse(result.fixed).stages] == ["node:18-slim", "node:18-slim"]


@pytest.mark.parametrize(
    ("dockerfile", "package_json", "refusal"),
    [
        (NPM_START, package("nodemon app.js"), "scripts.start is not `node SCRIPT` ('nodemon app.js')"),
        (NPM_START, package("node app.js && echo done"), "is not `node SCRIPT`"),
        (NPM_START, package(None), "scripts.start is not `node SCRIPT` (None)"),
        (NPM_START, package(prestart="node migrate.js"), "package.json also has prestart"),
        (NPM_START, None, "no package.json (copied from the context into the working directory)"),
        (NPM_START.replace("ADD . /app", "ADD src/ /app"), package(), "no package.json"),
        (NPM_START.replace('CMD ["start"]', 'CMD ["start", "--", "-p", "80"]'), package(), "runs `npm`"),
        (NODE_CMD.replace('CMD ["node", "server.js"]', 'CMD ["nodemon", "server.js"]'), package(), "runs `nodemon server.js`"),
        (NODE_CMD.replace("EXPOSE 3000\n", "RUN mkdir -p /app/tmp\n"), package(), "shell commands"),
    ],
)
def test_distroless_refusals_on_a_slim_base(
    tmp_path: Path, dockerfile: str, package_json: str | None, refusal: str
) -> None:
    result = fix(tmp_path, dockerfile, "distroless", package_json)
    assert len(parse(result.fixed).stages) == 1
    notes = sl103_notes(result)
    assert any(refusal in note for note in notes), notes
    # what would work: not --runtime slim, which gains nothing from a slim base
    assert all(
        n.endswith("--runtime slim gains nothing here (the base is already slim): change that to go distroless")
        for n in notes
    )


def test_npm_start_refusal_names_the_whole_command(tmp_path: Path) -> None:
    result = fix(tmp_path, NPM_START, "distroless", package("nodemon app.js"))
    assert sl103_notes(result)[0] == (
        "`npm start` on line 6 needs npm, which distroless Node.js lacks, and package.json's "
        "scripts.start is not `node SCRIPT` ('nodemon app.js'): --runtime slim gains nothing "
        "here (the base is already slim): change that to go distroless"
    )


def test_shell_form_npm_start_is_resolved_once_the_safe_fix_made_it_exec_form(tmp_path: Path) -> None:
    dockerfile = NODE_CMD.replace('CMD ["node", "server.js"]', "CMD npm start")
    result = fix(tmp_path, dockerfile, "distroless", package())
    assert stage_texts(result, 1)[-1] == 'CMD ["app.js"]'


def test_alpine_is_not_restructured_and_alpine_with_a_toolchain_declines_distroless(tmp_path: Path) -> None:
    plain = NODE_CMD.replace("node:18-slim", "node:18-alpine")
    result = fix(tmp_path, plain, "distroless", package())
    assert len(parse(result.fixed).stages) == 1 and sl103_notes(result) == []
    toolchain = plain.replace("RUN npm ci\n", "RUN apk add --no-cache build-base python3 && npm ci\n")
    result = fix(tmp_path, toolchain, "distroless", package())
    assert len(parse(result.fixed).stages) == 1
    assert any("Alpine (musl)" in n and n.endswith("use --runtime slim") for n in sl103_notes(result))


@pytest.mark.parametrize(
    "dockerfile",
    [
        # two stages: not a single-stage build
        "FROM node:18-slim AS deps\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
        'FROM node:18-slim\nWORKDIR /app\nCOPY --from=deps /app /app\nCMD ["node", "server.js"]\n',
        # nothing installed
        'FROM node:18-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
        # not a node base
        'FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n',
    ],
)
def test_not_restructured(tmp_path: Path, dockerfile: str) -> None:
    result = fix(tmp_path, dockerfile, "distroless", package())
    assert not any(f.code == "SL103" for f in result.applied) and sl103_notes(result) == []
    assert len(parse(result.fixed).stages) == len(parse(dockerfile).stages)


def test_second_fix_is_a_no_op(tmp_path: Path) -> None:
    first = fix(tmp_path, NPM_START, "distroless", package())
    second = fix(tmp_path, first.fixed, "distroless")
    assert second.fixed == first.fixed


def test_optimize_auto_tries_distroless_and_says_why_not_slim(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(NPM_START)
    (tmp_path / "package.json").write_text(package())
    options = OptimizeOptions(dockerfile=tmp_path / "Dockerfile", context=tmp_path, unsafe=True)
    got = [(c.runtime, c.outcome, c.reason) for c in plan(parse_file(options.dockerfile), options)]
    assert got == [
        ("distroless", "not-built", ""),
        (
            "slim",
            "declined",
            "declined: the base node:18-slim is already slim: a slim runtime from a slim base "
            "gains nothing; use --runtime distroless",
        ),
    ]
