"""Does the binary of a Go build reach the final image?

A Go build in a stage that ships does. A build in another stage does only when a stage
that ships copies it out (``COPY --from=build /out/server /server``): a linter built and
run in a builder stage (``go install golang.org/x/vuln/cmd/govulncheck``) while the final
stage copies only its report, or a helper installed next to the program
(``go install .../minisign`` when only ``/go/bin/minio*`` is copied), never ships.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re

from slimline.dockerfile.model import Instruction, Stage
from slimline.dockerfile.shell import ShellCommand
from slimline.lint.context import RuleContext
from slimline.lint.rules._util import copy_sources, env_value, shipped_indexes

#: Commands that move or copy a file elsewhere: the output path is no longer known.
_MOVERS = frozenset({"mv", "cp", "install", "ln", "rsync", "tar"})


def _outputs(ctx: RuleContext, inst: Instruction, cmd: ShellCommand) -> list[str] | None:
    """Where the build writes its binary (absolute paths), or None when not known."""
    workdir = ctx.sem.before(inst).workdir
    if cmd.positional()[:1] == ["install"]:
        gobin = env_value(ctx, inst, cmd, "GOBIN")
        gopath = env_value(ctx, inst, cmd, "GOPATH")
        if gobin:
            dirs = [gobin]
        elif gopath:
            dirs = [posixpath.join(gopath.split(":")[0], "bin")]
        else:
            dirs = ["/go/bin", "/root/go/bin"]  # the golang images' GOPATH, else $HOME/go
        if any("$" in d for d in dirs):
            return None
        names = _installed_names(cmd.positional()[1:])
        return [posixpath.join(d, n) for d in dirs for n in names]
    out = cmd.flag_value("-o")
    if not out or "$" in out:
        return None  # `go build` names the binary after its package: unknown here
    return [posixpath.normpath(posixpath.join(workdir, out))]


def _installed_names(packages: list[str]) -> list[str]:
    """``go install example.com/x/cmd/tool@v1`` installs ``tool`` (``.../v2``: the element
    before); a local or ``tool`` package is named by its directory: any name."""
    names = []
    for package in packages:
        parts = package.split("@", 1)[0].rstrip("/").split("/")
        if len(parts) < 2 or "." not in parts[0] or "$" in package:
            return ["*"]
        name = parts[-2] if re.fullmatch(r"v\d+", parts[-1]) else parts[-1]
        names.append(name)
    return names or ["*"]


def _covers(source: str, output: str) -> bool:
    """A COPY source (absolute, maybe a glob or a directory) takes the output along."""
    source = posixpath.normpath("/" + source.lstrip("/")) if source.strip("/") else "/"
    if source == "/":
        return True
    for path in (output, posixpath.dirname(output)):
        if fnmatch.fnmatchcase(path, source) or (
            path.endswith("*") and fnmatch.fnmatchcase(source, path)
        ):
            return True
    return output.startswith(source.rstrip("/") + "/")


def _moved_later(ctx: RuleContext, stage: Stage, inst: Instruction, outputs: list[str]) -> bool:
    names = {posixpath.basename(o) for o in outputs} - {"*"}
    started = False
    for other in stage.instructions:
        started = started or other is inst
        if not started or other.effective.keyword != "RUN":
            continue
        for cmd in ctx.sem.commands(other):
            args = [w.text for w in cmd.words[1:]]
            if cmd.program in _MOVERS and (
                not names
                or any(posixpath.basename(a.rstrip("/")) in names for a in args)
                or any(any(a.startswith(o.removesuffix("*")) for o in outputs) for a in args)
            ):
                return True
    return False


def go_build_ships(ctx: RuleContext, stage: Stage, inst: Instruction, cmd: ShellCommand) -> bool:
    shipped = shipped_indexes(ctx)
    if stage.index in shipped:
        return True
    outputs = _outputs(ctx, inst, cmd)
    if outputs is not None and _moved_later(ctx, stage, inst, outputs):
        outputs = None
    # Stages that hold the binary: this one, stages built FROM them, and stages that copy
    # it out of them (where its path is no longer followed).
    carriers: dict[int, list[str] | None] = {stage.index: outputs}
    changed = True
    while changed:
        changed = False
        for other in ctx.stages:
            if other.index in carriers:
                continue
            if other.parent is not None and other.parent in carriers:
                carriers[other.index] = carriers[other.parent]
                changed = True
                continue
            for i in other.instructions:
                flag = i.effective.flag("from") if i.effective.keyword in ("COPY", "ADD") else None
                ref = ctx.sem.expand(i, flag.value or "") if flag is not None else ""
                source_stage = ctx.df.stage_by_ref(ref) if ref else None
                if source_stage is None or source_stage.index not in carriers:
                    continue
                held = carriers[source_stage.index]
                sources = [ctx.sem.expand(i, s) for s in copy_sources(i, ctx.df.escape)]
                if held is None or any("$" in s or _covers(s, o) for s in sources for o in held):
                    carriers[other.index] = None
                    changed = True
                    break
    return any(index in shipped for index in carriers)
