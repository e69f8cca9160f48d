"""Keep a build target pointing at the image that ships.

A compose service (or any build) may name its Dockerfile's last stage as its target
(``build.target: app``). The multi-stage rewrite adds a runtime stage after that stage,
so the target would now build the builder. :func:`keep_target` moves the name: the
rewritten file's last stage is called ``app`` and the stage that had the name becomes
``app-build`` (with every ``FROM``, ``COPY --from`` and ``--mount=from=`` that names it),
so the compose file needs no change.
"""

from __future__ import annotations

import re
from dataclasses import replace

from slimline.dockerfile.edit import Edit, apply_edits
from slimline.dockerfile.model import Dockerfile, Instruction
from slimline.dockerfile.parser import parse
from slimline.fix.engine import FixResult

_AS = re.compile(r"\s+[aA][sS]\s+(\S+)\s*$")
_MOUNT_FROM = r"(?<=[,=])from={name}(?=,|$)"


def keep_target(fix: FixResult, original: Dockerfile, target: str | None) -> tuple[FixResult, str]:
    """``fix`` with ``target`` naming the last stage again, when ``target`` named the
    original's last stage and the rewrite added stages after it; and a note saying so
    (empty when nothing changed)."""
    final = original.final_stage
    if not target or final is None or final.name != target.lower() or fix.fixed == fix.original:
        return fix, ""
    fixed = parse(fix.fixed)
    last = fixed.final_stage
    if last is None or last.name == target.lower() or fixed.text != fix.fixed:
        return fix, ""
    taken = {stage.name for stage in fixed.stages if stage.name}
    new_name = next(
        name for i in range(len(taken) + 2)
        if (name := f"{target}-build" + (f"-{i}" if i else "")).lower() not in taken
    )
    edits: list[Edit] = []
    low = target.lower()
    for inst in fixed.instructions:
        if inst.keyword == "FROM":
            edits += _from_edits(inst, low, new_name, target if inst is last.from_instruction else None)
        for flag in inst.flags:
            if flag.name == "from" and (flag.value or "").lower() == low:
                edits.append(_flag_edit(inst, flag.logical_start, flag.logical_end,
                                        f"{flag.raw.split('=', 1)[0]}={new_name}"))
            elif flag.name == "mount" and re.search(_MOUNT_FROM.format(name=re.escape(low)),
                                                    (flag.value or "").lower()):
                raw = re.sub(_MOUNT_FROM.format(name=re.escape(target)), f"from={new_name}",
                             flag.raw, flags=re.IGNORECASE)
                edits.append(_flag_edit(inst, flag.logical_start, flag.logical_end, raw))
    text = apply_edits(fix.fixed, edits)
    note = (
        f"the build target {target!r} names the shipped (last) stage again; the stage that "
        f"had the name is now {new_name!r}"
    )
    return replace(fix, fixed=text), note


def _flag_edit(inst: Instruction, start: int, end: int, text: str) -> Edit:
    span = inst.logical.source_span(start, end)
    return Edit(span.start, span.end, text)


def _from_edits(inst: Instruction, low: str, new_name: str, final_name: str | None) -> list[Edit]:
    """Rename ``AS low`` and a base that is the stage ``low``; name the last stage."""
    edits: list[Edit] = []
    args = inst.args
    base = args.split(None, 1)[0] if args else ""
    if base.lower() == low:
        edits.append(_flag_edit(inst, inst.args_start, inst.args_start + len(base), new_name))
    m = _AS.search(args)
    if final_name is not None:
        if m is not None:
            edits.append(_flag_edit(inst, inst.args_start + m.start(1),
                                    inst.args_start + m.end(1), final_name))
        else:
            end = inst.args_source_span().end
            edits.append(Edit(end, end, f" AS {final_name}"))
    elif m is not None and m.group(1).lower() == low:
        edits.append(_flag_edit(inst, inst.args_start + m.start(1), inst.args_start + m.end(1),
                                new_name))
    return edits
