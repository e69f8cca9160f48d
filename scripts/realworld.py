"""Run ``slimline optimize --unsafe`` on a set of real projects and tabulate the results.

    python scripts/realworld.py run --manifest projects.toml --projects DIR \\
        [--results RESULTS.json] [--runtime KIND] [--fallback KIND] [--jobs N] \\
        [--only NAME ...] [--force]
    python scripts/realworld.py table RESULTS.json [-o FILE]

The manifest (TOML) lists ``[[project]]`` tables: ``name``, ``repo``, ``commit``,
``subdir`` (optional), ``shape``, ``probe`` (the keys of a ``[probe]`` table of
``.slimline.toml``: ``port``/``path``/``status``/``body_contains``, or
``command``/``output_contains``; ``timeout``; ``env``), ``compose = true`` for a
project optimized as a whole from its compose file (probed on its published ports),
``overrides`` (a list of ``{file, from, to}``: the one base image of ``file`` that is
replaced, because the machine running this has no such image), and ``notes``.
The tree of each project is ``DIR/<name>``.

Each project is copied to a temporary directory named ``realworld-<name>`` (so the
images are tagged ``slimline-optimize/realworld-<name>:before|after``), its overrides
are applied there, and ``slimline optimize`` runs on the copy through the CLI with
JSON output and ``--write`` (the copy is thrown away; the written Dockerfile tells
which runtime image was kept). ``--runtime`` is passed through as given. With
``--fallback KIND``, a project whose optimized image does not build, fails its
probe, or gains nothing is run again with ``--runtime KIND``; every attempt is kept.

A compose project's attempt takes its before/after from the report's ``total`` (what
the project ships: each service's optimized image when kept, its original otherwise),
its status from its services (a failure of slimline first, then ``not-verifiable`` when
a service's original fails its probe alone), and keeps each service's size, runtime
and probe; the table gives it one row, the runtimes and probes summarised per service.

The results file is rewritten after each project; projects already in it are
skipped unless ``--force`` (a forced run adds an attempt to the project's record).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = "slimline.realworld/v1"
COMPOSE_SCHEMA = "slimline.optimize-compose/v1"
#: Statuses of a compose service that are slimline's failures (the optimized image or
#: the original does not build, or the optimized image fails a probe the original passes).
_COMPOSE_FAILED = ("build-failed", "probe-failed", "error")
_PROBE_FLAGS = {
    "port": "--probe-port",
    "path": "--probe-path",
    "status": "--probe-status",
    "body_contains": "--probe-body",
    "output_contains": "--probe-output",
    "timeout": "--probe-timeout",
}
_PROJECT_KEYS = {
    "name", "repo", "commit", "subdir", "shape", "probe", "compose", "overrides", "notes",
}  # fmt: skip
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: Statuses of ``slimline optimize`` after which a fallback runtime is worth trying.
_RETRY = {"build-failed", "probe-failed", "no-gain", "no-change"}
#: The note of a multi-stage rewrite that declined (the other fixes may still apply).
_DECLINED = re.compile(r"line \d+: SL103 not fixed: ")
#: An image counts as smaller in the summary from this ratio down (5 % less).
SMALLER = 0.95


class ManifestError(Exception):
    """The manifest or the projects directory is not usable (one line, exit 2)."""


@dataclass(frozen=True)
class Override:
    file: str
    old: str
    new: str


@dataclass(frozen=True)
class Project:
    name: str
    repo: str
    commit: str
    shape: str
    subdir: str = ""
    probe: Mapping[str, Any] = field(default_factory=dict)
    compose: bool = False
    overrides: tuple[Override, ...] = ()
    notes: str = ""

    @property
    def origin(self) -> str:
        return f"{self.repo}@{self.commit[:12]}" + (f":{self.subdir}" if self.subdir else "")


def _text(table: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
    value = table.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value):
        raise ManifestError(f"{where}: '{key}' must be a non-empty string")
    return value


def load_manifest(path: Path) -> list[Project]:
    """The projects of a manifest, validated; raises ManifestError with the place."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: invalid TOML: {exc}") from None
    tables = document.get("project")
    if not isinstance(tables, list) or not tables:
        raise ManifestError(f"{path}: no [[project]] tables")
    projects: list[Project] = []
    for number, table in enumerate(tables, 1):
        where = f"{path}: project {number}"
        name = _text(table, "name", where)
        where = f"{path}: project {name!r}"
        if not _NAME_RE.match(name):
            raise ManifestError(f"{where}: the name must be lower-case letters, digits, . _ -")
        unknown = sorted(set(table) - _PROJECT_KEYS)
        if unknown:
            raise ManifestError(f"{where}: unknown key(s) {', '.join(unknown)}")
        compose = table.get("compose", False)
        probe = table.get("probe", {})
        if not isinstance(compose, bool) or not isinstance(probe, dict):
            raise ManifestError(f"{where}: 'compose' must be true/false and 'probe' a table")
        if not compose and "port" not in probe and "command" not in probe:
            raise ManifestError(f"{where}: a probe with 'port' or 'command' is needed")
        overrides = []
        for item in table.get("overrides", []):
            if not isinstance(item, dict):
                raise ManifestError(f"{where}: each override is a table {{file, from, to}}")
            overrides.append(
                Override(
                    _text(item, "file", where), _text(item, "from", where), _text(item, "to", where)
                )
            )
        projects.append(
            Project(
                name=name,
                repo=_text(table, "repo", where),
                commit=_text(table, "commit", where),
                shape=_text(table, "shape", where),
                subdir=_text(table, "subdir", where, required=False),
                probe=probe,
                compose=compose,
                overrides=tuple(overrides),
                notes=_text(table, "notes", where, required=False),
            )
        )
    names = [p.name for p in projects]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ManifestError(f"{path}: project {duplicate!r} is listed twice")
    return projects


def apply_override(text: str, override: Override) -> str:
    """Replace the image of the FROM lines that name ``override.old`` (and nothing else)."""
    pattern = re.compile(
        r"^(\s*FROM\s+(?:--platform=\S+\s+)?)" + re.escape(override.old) + r"(?=\s|$)",
        re.IGNORECASE | re.MULTILINE,
    )
    new, count = pattern.subn(lambda m: m.group(1) + override.new, text)
    if not count:
        raise ManifestError(f"{override.file}: no FROM {override.old} to replace")
    return new


def probe_arguments(probe: Mapping[str, Any]) -> list[str]:
    """``--probe-*`` options for a probe table (``env`` goes in a .slimline.toml instead)."""
    args: list[str] = []
    for key, value in probe.items():
        if key == "command":
            args += ["--probe-command", shlex.join(str(part) for part in value)]
        elif key in _PROBE_FLAGS:
            args += [_PROBE_FLAGS[key], str(value)]
        elif key not in ("env", "exit_code"):
            raise ManifestError(f"probe: unknown key {key!r}")
    return args


def probe_toml(probe: Mapping[str, Any]) -> str:
    """A ``[probe]`` table for ``.slimline.toml`` (strings quoted as JSON, a TOML subset)."""
    lines = ["[probe]"]
    for key, value in probe.items():
        if key != "env":
            lines.append(f"{key} = {json.dumps(value)}")
    env = probe.get("env", {})
    if env:
        lines.append("[probe.env]")
        lines += [f"{json.dumps(str(k))} = {json.dumps(str(v))}" for k, v in env.items()]
    return "\n".join(lines) + "\n"


def final_base(dockerfile: Path) -> str:
    """The image the last FROM of a Dockerfile starts from (the runtime image kept)."""
    last = ""
    text = dockerfile.read_text(encoding="utf-8", errors="replace")
    for match in re.finditer(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", text, re.I | re.M):
        last = match.group(1)
    return last


def runtime_label(image: str) -> str:
    """A short name for a runtime image: distroless/python3, python:3.11-slim, scratch."""
    if "distroless/" in image:
        return "distroless/" + image.split("distroless/", 1)[1].split("-debian")[0]
    return image


def compose_fields(
    services: Sequence[Mapping[str, Any]], total: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A compose project's attempt as one project's: the total before/after (the
    report's ``total``, else summed from the services: each one's optimized image when
    kept, its original otherwise), a status (the first service failure of slimline, else
    ``not-verifiable`` when a service's original fails its probe alone, else
    ``optimized`` when a service's optimized image is kept, else ``no-gain``), the
    runtime and probe of each service, and ``probe_after`` true only when every built
    service's probe passed. The message is the services' (only those that were not
    optimized, when the project is not)."""
    built = [s for s in services if isinstance(s.get("before"), int)]
    if total is None and built:
        total = {
            "before": sum(s["before"] for s in built),
            "after": sum(
                s["after"] if s.get("kept") and isinstance(s.get("after"), int) else s["before"]
                for s in built
            ),
        }
    before = total.get("before") if total else None
    after = total.get("after") if total else None
    statuses = [str(s.get("status")) for s in services]
    failed = [st for st in statuses if st in _COMPOSE_FAILED]
    if failed:
        status = failed[0]
    elif "not-verifiable" in statuses:
        status = "not-verifiable"
    elif any(s.get("kept") for s in services):
        status = "optimized"
    else:
        status = "no-gain" if built else "error"
    summary = [
        {
            "name": s.get("name"),
            "status": s.get("status"),
            "before": s.get("before"),
            "after": s.get("after") if s.get("kept") else s.get("before"),
            "runtime": runtime_label(str(s.get("runtime"))) if s.get("kept") else "original",
            "probe": s.get("probe"),
        }
        for s in services
    ]
    return {
        "status": status,
        # The services that did not go well, when some did not (the table's notes).
        "message": "; ".join(
            f"{s.get('name')}: {s.get('message')}"
            for s in services
            if status == "optimized" or s.get("status") != "optimized"
        ),
        "before": before,
        "after": after,
        "ratio": after / before
        if isinstance(before, int) and before and isinstance(after, int)
        else None,
        "runtime": ", ".join(f"{s['name']} {s['runtime']}" for s in summary if s["before"]),
        "probe_before": None,
        "probe_after": bool(built) and all(s.get("probe") == "passed" for s in built),
        # What each service's probe asked (the single pipeline's description).
        "probe": "; ".join(
            f"{s.get('name')}: {s['optimize']['probe']}"
            for s in built
            if isinstance(s.get("optimize"), Mapping) and s["optimize"].get("probe")
        ),
        "compose_services": summary,
    }


def _compose_probe_cell(attempt: Mapping[str, Any]) -> str:
    """``passed (2 services)``, else each built service's probe."""
    built = [s for s in attempt.get("compose_services") or [] if s.get("before")]
    if not built:
        return "not run (error)"
    if attempt.get("probe_after") is True:
        return f"passed ({len(built)} services)"
    return ", ".join(
        f"{s['name']} "
        + (
            "not verifiable alone (the original fails too)"
            if s.get("status") == "not-verifiable"
            else str(s.get("probe"))
        )
        for s in built
    )


def _as_project(attempt: Mapping[str, Any]) -> Mapping[str, Any]:
    """An attempt with the fields of a single project's, derived again from a compose
    project's ``services`` (an attempt recorded before compose_fields existed has only
    those, without its total, which is then summed from them)."""
    if not attempt.get("services"):
        return attempt
    total = None
    if "compose_services" in attempt:
        total = {"before": attempt.get("before"), "after": attempt.get("after")}
    return {**attempt, **compose_fields(attempt["services"], total)}


@dataclass
class Runner:
    projects_dir: Path
    slimline: list[str]
    logs: Path
    lock: threading.Lock = field(default_factory=threading.Lock)

    def say(self, message: str) -> None:
        with self.lock:
            print(message, file=sys.stderr, flush=True)

    def attempt(self, project: Project, runtime: str) -> dict[str, Any]:
        """One ``slimline optimize`` run on a fresh copy of the project."""
        source = self.projects_dir / project.name
        if not source.is_dir():
            raise ManifestError(f"{source}: no such project tree (lay it out first)")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="slimline-realworld-") as tmp:
            work = Path(tmp) / f"realworld-{project.name}"
            shutil.copytree(source, work, symlinks=True)
            for override in project.overrides:
                target = work / override.file
                if not target.is_file():
                    raise ManifestError(f"{project.name}: override of a missing {override.file}")
                target.write_text(
                    apply_override(target.read_text(encoding="utf-8"), override), encoding="utf-8"
                )
            report = Path(tmp) / "report.json"
            cmd = [*self.slimline, "optimize", str(work), "--unsafe", "--write"]
            cmd += ["--runtime", runtime, "--format", "json", "-o", str(report)]
            if project.probe.get("env"):
                (work / ".slimline.toml").write_text(probe_toml(project.probe), encoding="utf-8")
            elif project.probe:
                cmd += probe_arguments(project.probe)
            log = self.logs / f"{project.name}.{runtime}.log"
            with log.open("w", encoding="utf-8") as out:
                out.write("$ " + shlex.join(cmd) + "\n")
                out.flush()
                code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT).returncode
            data: dict[str, Any] = {}
            if report.is_file():
                data = json.loads(report.read_text(encoding="utf-8"))
            dockerfile = work / "Dockerfile"
            runtime_image = final_base(dockerfile) if dockerfile.is_file() else ""
        record: dict[str, Any] = {
            "runtime_requested": runtime,
            "exit_code": code,
            "seconds": round(time.monotonic() - started, 1),
            "log": str(log),
        }
        if not data:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            message = (tail[-1] if tail else f"exit {code}").replace(str(work), project.name)
            record |= {"status": "error", "message": message}
            return record
        if data.get("schema") == COMPOSE_SCHEMA:
            record |= {
                "notes": data.get("notes", []),
                "services": data.get("services"),
                **compose_fields(data.get("services") or [], data.get("total")),
            }
            return record
        before, after = data.get("before") or {}, data.get("after") or {}
        verified = data.get("verified") is True
        record |= {
            "status": data.get("status"),
            "message": data.get("message"),
            "before": before.get("size"),
            "after": after.get("size") if after else None,
            "ratio": data.get("ratio"),
            # The auto runtime reports its choice; otherwise the Dockerfile written says it.
            "runtime": data.get("runtime") or (runtime_label(runtime_image) if verified else None),
            "probe_before": before.get("probe_passed"),
            "probe_after": after.get("probe_passed") if after else None,
            "probe": data.get("probe"),
            "fixed": data.get("fixed", []),
            "notes": data.get("notes", []),
            "failed_step": data.get("failed_step"),
            "failure_log": (data.get("failure_log") or "")[-4000:],
            "diff": data.get("diff"),
            "services": data.get("services"),
        }
        return record

    def run(self, project: Project, runtime: str, fallback: str | None) -> dict[str, Any]:
        self.say(f"[{project.name}] optimize --runtime {runtime} ({project.shape})")
        attempts = [self.attempt(project, runtime)]
        self.say(f"[{project.name}] {_summary(attempts[-1])}")
        if fallback and fallback != runtime and _worth_retrying(attempts[-1]):
            self.say(f"[{project.name}] again with --runtime {fallback}")
            attempts.append(self.attempt(project, fallback))
            self.say(f"[{project.name}] {_summary(attempts[-1])}")
        return {"attempts": attempts}


def _worth_retrying(attempt: Mapping[str, Any]) -> bool:
    """The optimized image failed or gained nothing, or the runtime rewrite declined."""
    declined = any(_DECLINED.match(note) for note in attempt.get("notes") or [])
    return attempt.get("status") in _RETRY or declined


def _summary(attempt: Mapping[str, Any]) -> str:
    ratio = attempt.get("ratio")
    size = f", {ratio:.2f}x" if isinstance(ratio, float) else ""
    return f"{attempt.get('status')}{size}: {attempt.get('message')}"


def _load_results(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"schema": SCHEMA, "projects": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ManifestError(f"{path}: not a results file of this script ({SCHEMA})")
    return data


def _save_results(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def command_run(args: argparse.Namespace) -> int:
    projects = load_manifest(args.manifest)
    if args.only:
        known = {p.name for p in projects}
        missing = [n for n in args.only if n not in known]
        if missing:
            raise ManifestError(f"--only: no project {', '.join(missing)} in {args.manifest}")
        projects = [p for p in projects if p.name in args.only]
    results_path: Path = args.results
    results = _load_results(results_path)
    done = results["projects"]
    todo = [p for p in projects if args.force or p.name not in done]
    for p in projects:
        if p not in todo:
            print(f"[{p.name}] already in {results_path}: skipped (--force to run again)",
                  file=sys.stderr)  # fmt: skip
    logs = results_path.with_name(results_path.stem + ".logs")
    logs.mkdir(parents=True, exist_ok=True)
    runner = Runner(args.projects, shlex.split(args.slimline), logs)
    lock = threading.Lock()

    order = {p.name: n for n, p in enumerate(load_manifest(args.manifest))}

    def one(project: Project) -> None:
        outcome = runner.run(project, args.runtime, args.fallback)
        with lock:
            previous = done.get(project.name, {}).get("attempts", [])
            done[project.name] = {
                "name": project.name,
                "order": order[project.name],
                "origin": project.origin,
                "repo": project.repo,
                "commit": project.commit,
                "subdir": project.subdir,
                "shape": project.shape,
                "overrides": [f"{o.file}: FROM {o.old} -> {o.new}" for o in project.overrides],
                "manifest_notes": project.notes,
                "probe_env": sorted(project.probe.get("env", {})),
                "attempts": previous + outcome["attempts"],
            }
            _save_results(results_path, results)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for future in [pool.submit(one, p) for p in todo]:
            future.result()
    print(f"{len(todo)} project(s) run; results in {results_path}", file=sys.stderr)
    return 0


def _size(value: Any) -> str:
    if not isinstance(value, int):
        return "-"
    return f"{value / 1e6:.1f} MB" if value < 1e9 else f"{value / 1e9:.2f} GB"


def _probe_cell(attempt: Mapping[str, Any]) -> str:
    if "compose_services" in attempt:
        return _compose_probe_cell(attempt)
    after, before = attempt.get("probe_after"), attempt.get("probe_before")
    if after is True:
        return "passed"
    if after is False:
        return "FAILED"
    if attempt.get("status") == "error":
        return "not run (error)"
    if attempt.get("status") == "no-change" and before is True:
        return "passed (original kept)"
    return "-" if before is None else ("passed (original)" if before else "FAILED (original)")


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _service_note(service: Mapping[str, Any]) -> str:
    """``backend 154.5 MB -> 52.9 MB (distroless/python3, probe passed)``."""
    if not service.get("before"):
        return f"{service.get('name')} {service.get('status')}"
    return (
        f"{service.get('name')} {_size(service.get('before'))} -> {_size(service.get('after'))}"
        f" ({service.get('runtime')}, {service.get('status')}, probe {service.get('probe')})"
    )


def render_table(results: Mapping[str, Any]) -> str:
    """The markdown table: one row per project (its last attempt), then the notes."""
    rows = [
        "| project | origin | shape | before | after | ratio | runtime | probe |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    notes: list[str] = []
    smaller = passed = unverifiable = 0
    projects = sorted(
        results.get("projects", {}).values(), key=lambda r: (r.get("order", 0), r.get("name"))
    )
    probes: list[str] = []
    for record in projects:
        attempts = [_as_project(a) for a in record.get("attempts") or [{}]]
        last = attempts[-1]
        ratio = last.get("ratio")
        ok = last.get("probe_after") is True
        passed += ok
        unverifiable += last.get("status") == "not-verifiable"
        smaller += bool(ok and isinstance(ratio, float) and ratio <= SMALLER)
        runtime = last.get("runtime") or "-"
        rows.append(
            "| "
            + " | ".join(
                _escape(str(cell))
                for cell in (
                    record.get("name"),
                    record.get("origin"),
                    record.get("shape"),
                    _size(last.get("before")),
                    _size(last.get("after")),
                    f"{ratio:.2f}x" if isinstance(ratio, float) else "-",
                    runtime,
                    _probe_cell(last),
                )
            )
            + " |"
        )
        why = [f"base {o}" for o in record.get("overrides", [])]
        why += [
            f"`--runtime {a.get('runtime_requested')}`: {a.get('status')}: {a.get('message')}"
            for a in attempts[:-1]
        ]
        if last.get("compose_services"):
            why.append("services: " + "; ".join(_service_note(s) for s in last["compose_services"]))
        if last.get("status") not in ("optimized",):
            why.append(f"{last.get('status')}: {last.get('message')}")
        if record.get("manifest_notes"):
            why.append(record["manifest_notes"])
        if last.get("probe"):
            env = record.get("probe_env")
            with_env = f" (container environment: {', '.join(env)})" if env else ""
            probes.append(f"- {record.get('name')}: {_escape(str(last['probe']))}{with_env}")
        if why:
            notes.append(f"- **{record.get('name')}**: " + "; ".join(_escape(w) for w in why))
    total = len(projects)
    summary = (
        f"\n{total} projects: probe passed on {passed}; passing and at least "
        f"{100 * (1 - SMALLER):.0f} % smaller on {smaller} ({100 * smaller / total:.0f} %)"
        + (
            f"; a service not verifiable alone (its original fails its probe) in {unverifiable}"
            if unverifiable
            else ""
        )
        + ".\n"
        if total
        else "\nno projects.\n"
    )
    text = "\n".join(rows) + "\n" + summary
    if notes:
        text += "\nNotes:\n\n" + "\n".join(notes) + "\n"
    if probes:
        text += "\nProbes (what the original and the optimized image had to answer):\n\n"
        text += "\n".join(probes) + "\n"
    return text


def command_table(args: argparse.Namespace) -> int:
    text = render_table(_load_results(args.results))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="optimize every project of a manifest")
    run.add_argument("--manifest", type=Path, required=True)
    run.add_argument("--projects", type=Path, required=True, help="holds one tree per project")
    run.add_argument("--results", type=Path, default=Path("realworld-results.json"))
    run.add_argument("--runtime", default="distroless", help="passed to optimize --runtime")
    run.add_argument("--fallback", default=None, help="runtime to try when the first fails")
    run.add_argument("--jobs", type=int, default=1)
    run.add_argument("--only", nargs="+", metavar="NAME")
    run.add_argument("--force", action="store_true", help="run projects already in the results")
    run.add_argument(
        "--slimline",
        default=f"{shlex.quote(sys.executable)} -m slimline",
        help="how to run slimline [default: this interpreter's -m slimline]",
    )
    run.set_defaults(handler=command_run)
    table = sub.add_parser("table", help="render a results file as a markdown table")
    table.add_argument("results", type=Path)
    table.add_argument("-o", "--output")
    table.set_defaults(handler=command_table)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except ManifestError as exc:
        print(f"realworld: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
