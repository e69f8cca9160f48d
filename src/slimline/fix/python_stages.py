"""SL103 for Python: the shipped stages become a builder and a runtime stage, whatever the base.

The shipped stages are the last stage and the stages it is built ``FROM`` (``base`` ->
``final``). The stage that runs the last ``pip install`` becomes the builder: the
dependencies go into a virtualenv at /opt/venv (created before the first install, on
PATH). The runtime stage starts from the runtime image and gets what the application
needs from the builder's part: ARG, ENV, WORKDIR, LABEL, EXPOSE, VOLUME, numeric USER,
the application's COPYs, and apt packages installed for runtime use.

- When the last install is in the last stage, a runtime stage is inserted after it and
  everything after the install (the application COPY, CMD...) belongs to it.
- When it is in an ancestor (``FROM base AS final``), the first stage after the builder
  in the chain is rebased on the runtime image; stages built from the builder for other
  purposes (``dev``) keep working, so pip is then left in the virtualenv.
- Otherwise the builder removes pip from the virtualenv after the last install, and
  setuptools and wheel unless an installed package requires them (:func:`trim_command`):
  the runtime copies only what the application installed.

On distroless (no shell, no package manager, python as the entrypoint):

- shell-form CMD/ENTRYPOINT become exec form when the split is exact, console scripts
  run as ``python -m`` (their shebang interpreter does not exist there), else a refusal;
- a HEALTHCHECK that runs a program other than python (curl, wget, a shell) cannot run:
  it is dropped with a note (curl or wget installed only for it are left out too);
- other apt packages cannot be installed: a refusal that says to use ``--runtime slim``;
- shared libraries the dependencies load (found by ``slimline optimize`` in the built
  builder image and passed in :class:`FixOptions`) are copied from the builder.

On slim, apt runtime packages (the ones the original installed that are not build
tools, plus the ones ``optimize`` found the dependencies need) are installed in the
runtime stage, with the apt lists removed in the same RUN.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Iterator

from slimline.dockerfile.edit import Edit, append_shell, json_array, newline_of, remove_instruction
from slimline.dockerfile.model import Instruction, Stage
from slimline.dockerfile.words import split_words
from slimline.fix.model import Fix, FixOptions
from slimline.knowledge.images import classify_base, parse_image_ref
from slimline.knowledge.packages import is_toolchain_package
from slimline.knowledge.runtimes import (
    DISTROLESS_PYTHON_VERSION,
    NONROOT_UID,
    PYTHON_VENV,
    RuntimeUnavailable,
    python_version_refusal,
    runtime_for,
    shell_refusal,
    venv_site_packages,
)
from slimline.knowledge.secrets import is_secret_name
from slimline.lint.context import RuleContext
from slimline.lint.model import Finding, FixKind
from slimline.lint.rules._edits import (
    app_dir_copies,
    chown_edit,
    copy_target,
    exact_exec_form,
    find_ops,
    is_under,
)
from slimline.lint.rules._util import copy_sources

VENV = PYTHON_VENV
PYTHON_MANAGERS = ("pip", "uv", "poetry", "pipenv")
#: Console scripts that have a ``python -m`` equivalent (distroless has no scripts' shebang python).
CONSOLE_MODULES = {
    "uvicorn": "uvicorn",
    "gunicorn": "gunicorn",
    "hypercorn": "hypercorn",
    "daphne": "daphne",
    "flask": "flask",
    "celery": "celery",
    "django-admin": "django",
    "fastapi": "fastapi",
    "streamlit": "streamlit",
    "pytest": "pytest",
    "waitress-serve": "waitress",
}
#: Files that describe dependencies: a COPY of only these belongs to the builder.
MANIFEST_RE = re.compile(
    r"^(requirements([^/]*\.(txt|in))?|constraints[^/]*\.txt|pyproject\.toml|setup\.(py|cfg)|Pipfile(\.lock)?|poetry\.lock|uv\.lock"
    r"|package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json|go\.(mod|sum)|Cargo\.(toml|lock)|Gemfile(\.lock)?)$"
)
_PYTHON_RE = re.compile(r"^python(\d(\.\d+)?)?$")
#: Instructions of the builder's part that the runtime stage repeats as written.
REPLICATED = ("ARG", "ENV", "WORKDIR")
_KEPT = (*REPLICATED, "LABEL", "EXPOSE", "VOLUME", "STOPSIGNAL")
#: Packages every distroless base already has.
_DISTROLESS_HAS = {"ca-certificates", "tzdata", "netbase", "base-files"}
#: Programs a health check typically runs that distroless does not have.
_PROBE_TOOLS = {"curl", "wget"}


#: Commands that create users or change ownership: the image needs what they did.
_USER_SETUP = frozenset({"useradd", "adduser", "addgroup", "groupadd", "usermod", "chown"})


def note(finding: Finding, text: str) -> Fix:
    return Fix(finding.code, "multi-stage build", FixKind.UNSAFE, [], line=finding.line, note=text)


def source_of(ctx: RuleContext, inst: Instruction) -> str:
    text = ctx.df.text[inst.span.start : inst.span.end]
    return text if text.endswith(("\n", "\r")) else text + newline_of(ctx.df)


def name_stage(stage: Stage, taken: Iterable[str] = ()) -> tuple[str, list[Edit]]:
    """Name the stage ``builder`` (or keep its name); ``builder2``... when another stage of
    the file is called ``builder`` already (a wheels builder: BuildKit refuses two)."""
    if stage.name is not None:
        return stage.name, []
    names = {n.lower() for n in taken}
    name = next(n for n in ("builder", *(f"builder{i}" for i in range(2, 99))) if n not in names)
    end = stage.from_instruction.args_source_span().end
    return name, [Edit(end, end, f" AS {name}")]


def is_manifest_copy(ctx: RuleContext, inst: Instruction) -> bool:
    sources = copy_sources(inst, ctx.df.escape)
    return bool(sources) and all(
        MANIFEST_RE.match(posixpath.basename(s.rstrip("/"))) for s in sources
    )


def is_app_copy(ctx: RuleContext, inst: Instruction) -> bool:
    """A COPY/ADD of the build context that is not only dependency manifests: the
    runtime stage needs it too."""
    return (
        inst.keyword in ("COPY", "ADD")
        and inst.flag("from") is None
        and not is_manifest_copy(ctx, inst)
    )


def shipped_chain(ctx: RuleContext) -> list[Stage]:
    """The last stage and the stages it is built from, root first."""
    if not ctx.stages:
        return []
    chain = [ctx.stages[-1]]
    while chain[-1].parent is not None and all(s.index != chain[-1].parent for s in chain):
        chain.append(ctx.stages[chain[-1].parent])
    return chain[::-1]


def pip_installs(ctx: RuleContext, chain: list[Stage]) -> list[Instruction]:
    return [
        i
        for stage in chain
        for i in stage.instructions
        if i.keyword == "RUN" and list(find_ops(ctx, i, PYTHON_MANAGERS, ("install",)))
    ]


def _python_argv(argv: list[str]) -> list[str] | None:
    """A command for a runtime whose entrypoint is python (distroless)."""
    if not argv:
        return None
    prog = posixpath.basename(argv[0])
    if _PYTHON_RE.match(prog):
        return argv[1:]
    if prog in CONSOLE_MODULES:
        return ["-m", CONSOLE_MODULES[prog], *argv[1:]]
    return None


def apt_installs(ctx: RuleContext, items: list[Instruction]) -> list[tuple[Instruction, str]]:
    """(RUN, package) for every apt package installed that is not a build tool."""
    found: list[tuple[Instruction, str]] = []
    for inst in items:
        if inst.keyword != "RUN":
            continue
        for _rs, _cmd, op in find_ops(ctx, inst, ("apt",), ("install",)):
            found += [
                (inst, p.text)
                for p in op.packages
                if not is_toolchain_package(p.text)
                and "$" not in p.text
                and p.text not in [name for _i, name in found]
            ]
    return found


def apt_install_line(packages: list[str]) -> str:
    return (
        "RUN apt-get update && apt-get install -y --no-install-recommends "
        + " ".join(packages)
        + " && rm -rf /var/lib/apt/lists/*"
    )


def _command_words(inst: Instruction, escape: str) -> list[str]:
    argv = inst.exec_form if inst.exec_form is not None else exact_exec_form(inst.args)
    if argv is not None:
        return argv
    return [w.value for w in split_words(inst.args, escape)]


def _healthcheck_program(inst: Instruction) -> tuple[str | None, list[str] | None]:
    """(the program a HEALTHCHECK CMD runs, its exec-form argv) or (None, None) for NONE."""
    args = inst.args.strip()
    if args.upper() == "NONE":
        return None, None
    rest = args[3:].strip() if args.upper().startswith("CMD") else args
    if rest.startswith("["):
        try:
            argv = json.loads(rest)
        except ValueError:
            return "", None
        if isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv):
            return posixpath.basename(argv[0]), argv
        return "", None
    argv = exact_exec_form(rest)
    words = rest.split()
    return (posixpath.basename(words[0]) if words else ""), argv


def nonroot_user(inst: Instruction, edits: list[Edit], notes: list[str]) -> None:
    """A named USER does not exist on distroless: its nonroot user (65532) runs instead."""
    user = inst.args.strip().split(":")[0]
    if not user.isdigit() and user not in ("root", "nonroot"):
        span = inst.args_source_span()
        edits.append(Edit(span.start, span.end, f"{NONROOT_UID}:{NONROOT_UID}"))
        notes.append(
            f"USER {user} on line {inst.line} does not exist on distroless: "
            f"the runtime runs as its nonroot user ({NONROOT_UID})"
        )


def _secret_variable(ctx: RuleContext, inst: Instruction) -> str | None:
    """The first secret-named variable an ARG or ENV sets, if any."""
    if inst.keyword not in ("ARG", "ENV"):
        return None
    words = [w.value or "" for w in split_words(inst.args, ctx.df.escape)]
    if inst.keyword == "ENV" and words and "=" not in words[0]:
        words = words[:1]
    names = [w.split("=", 1)[0] for w in words]
    return next((n for n in names if is_secret_name(n)), None)


def trim_command(venv: str = VENV, version: str | None = None) -> str:
    """The command that removes the packaging tools ``python -m venv`` put in the
    environment: pip always, setuptools and wheel unless an installed distribution names
    them in its requirements (the environment's own python reads its metadata; Python
    ``version`` before 3.8 has no ``importlib.metadata``: only pip goes there).

    Without it a venv copied onto the same slim base weighs more than the original image:
    setuptools and pkg_resources are about 9 MB, the dependencies of a small app 6 MB.
    """
    python = f"{venv}/bin/python"
    if version is not None and tuple(int(n) for n in version.split(".")[:2]) < (3, 8):
        return f"{python} -m pip uninstall --yes --quiet pip"
    code = (
        "import importlib.metadata as m, re, subprocess, sys; d = list(m.distributions()); "
        "r = {re.split('[^A-Za-z0-9._-]', q)[0].lower() for x in d for q in x.requires or ()}; "
        "t = {(x.metadata['Name'] or '').lower() for x in d} & {'setuptools', 'wheel'} - r; "
        "subprocess.check_call([sys.executable, '-m', 'pip', 'uninstall', '--yes', '--quiet', "
        "'pip', *sorted(t)])"
    )
    return f'{python} -c "{code}"'


#: What may come between the install and a RUN that runs in the builder.
_MOVABLE = ("COPY", "ADD", "RUN", *_KEPT)


def _runs_in_builder(
    ctx: RuleContext, items: list[Instruction]
) -> tuple[list[Instruction], str] | None:
    """The leading part of ``items`` up to its last RUN, and the WORKDIR, when those RUNs
    only run python and everything they need is copied into that WORKDIR: the part can
    run in the builder and the runtime copy the WORKDIR. None otherwise."""
    runs = [i for i in items if i.keyword == "RUN"]
    moved = items[: items.index(runs[-1]) + 1]
    workdir = ctx.sem.before(runs[-1]).workdir
    if workdir == "/" or any(i.keyword not in _MOVABLE or i.flag("from") for i in moved):
        return None
    for inst in runs:
        if inst.heredocs or inst.flags:
            return None
        if inst.exec_form is not None:
            argvs = [inst.exec_form]
        else:
            argvs = [[w.text for w in c.words] for c in ctx.sem.commands(inst)]
        if not argvs or any(not a or not _PYTHON_RE.match(posixpath.basename(a[0])) for a in argvs):
            return None
    copies = [i for i in moved if i.keyword in ("COPY", "ADD")]
    if any(not is_under(copy_target(ctx, i), workdir) for i in copies):
        return None
    return moved, workdir


def _runtime_source(ctx: RuleContext, inst: Instruction, owner: str | None) -> str:
    """An instruction's source for the runtime stage; with ``owner``, a COPY of the
    build context gets ``--chown=owner``."""
    text = source_of(ctx, inst)
    if owner is None or not app_dir_copies(ctx, [inst]):
        return text
    edit = chown_edit(inst, owner)
    at = edit.start - inst.span.start
    return text[:at] + edit.text + text[at:]


class _Plan:
    """What the runtime part needs: edits so far, lines of the runtime header, notes."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.notes: list[str] = []


def python_restructure(ctx: RuleContext, finding: Finding, options: FixOptions) -> Iterator[Fix]:
    chain = shipped_chain(ctx)
    pip_runs = pip_installs(ctx, chain)
    if not pip_runs:
        return
    for inst in pip_runs:
        for _rs, cmd, op in find_ops(ctx, inst, PYTHON_MANAGERS, ("install",)):
            if op.manager != "pip":
                yield note(
                    finding,
                    f"{op.manager} manages its own environment; convert line {inst.line} by hand",
                )
                return
            if cmd.words[0].text.startswith("/") or cmd.has_flag(
                "--user", "--target", "-t", "--prefix", "--root"
            ):
                yield note(
                    finding,
                    f"pip on line {inst.line} installs outside the interpreter's environment",
                )
                return
    first, last = pip_runs[0], pip_runs[-1]
    k = next(n for n, s in enumerate(chain) if last in s.instructions)
    builder_stage = chain[k]
    base = chain[0].base_expanded
    if "$" in base:
        yield note(finding, f"the base image `{chain[0].base}` depends on a build argument")
        return
    info = classify_base(base)
    if info is None or info.family != "python":
        yield note(
            finding,
            f"the interpreter comes from `{base}`'s own packages, not a python image: the "
            "runtime stage would have none; start from a python image first",
        )
        return
    ref = parse_image_ref(base)
    version_match = re.match(r"(\d+\.\d+)", (ref.tag or "") if ref else "")
    version = version_match.group(1) if version_match else None
    runtime = options.runtime
    distroless = runtime == "distroless"
    try:
        rt = runtime_for("python", runtime, version or DISTROLESS_PYTHON_VERSION)
    except RuntimeUnavailable as exc:
        yield note(finding, str(exc))
        return
    if distroless:
        if version not in (None, DISTROLESS_PYTHON_VERSION):
            yield note(finding, python_version_refusal(version) + ": use --runtime slim")
            return
        if (info is not None and info.variant == "alpine") or "alpine" in base:
            yield note(
                finding,
                "the build runs on Alpine (musl): its packages cannot run on distroless (glibc); "
                "use --runtime slim, or `slimline init` for a new Dockerfile",
            )
            return
        runtime_base = rt.image
    elif info is not None and info.variant == "fat" and info.suggestions:
        runtime_base = info.suggestions[0]
    else:
        runtime_base = base
    nl = newline_of(ctx.df)
    builder, edits = name_stage(builder_stage, (s.name for s in ctx.stages if s.name))
    venv_lines = f'RUN python -m venv {VENV}{nl}ENV PATH="{VENV}/bin:$PATH"{nl}'
    venv_edit = Edit(first.span.start, first.span.start, venv_lines)
    edits.append(venv_edit)
    # The builder's part: everything of the chain up to the last install.
    builder_items = [i for s in chain[:k] for i in s.instructions[1:]]
    builder_items += builder_stage.instructions[1 : builder_stage.instructions.index(last) + 1]
    if k == len(chain) - 1:
        runtime_items = builder_stage.instructions[builder_stage.instructions.index(last) + 1 :]
        builder_tail: list[Instruction] = []
        header_at = last.span.end
        runtime_from = f"{nl}FROM {runtime_base}{nl}"
        runtime_stage_at = None
    else:
        builder_tail = builder_stage.instructions[builder_stage.instructions.index(last) + 1 :]
        runtime_items = [i for s in chain[k + 1 :] for i in s.instructions[1:]]
        nxt = chain[k + 1].from_instruction
        word = split_words(nxt.args, ctx.df.escape)[0]
        start = nxt.logical.source_offset(nxt.args_start + word.start)
        end = nxt.logical.source_offset(nxt.args_start + word.end - 1) + 1
        edits.append(Edit(start, end, runtime_base))
        header_at = nxt.span.end
        runtime_from = ""
        runtime_stage_at = nxt.span.start
    if any(i.keyword == "ONBUILD" for s in chain for i in s.instructions):
        yield note(finding, "ONBUILD triggers cannot be carried into a new runtime stage")
        return
    for inst in builder_items:
        users = (
            {c.program for c in ctx.sem.commands(inst)} & _USER_SETUP
            if inst.keyword == "RUN"
            else set()
        )
        if users:
            yield note(
                finding,
                f"line {inst.line} (`{sorted(users)[0]}`) sets up users or ownership before the "
                "install; the runtime stage would lack them, so the image is left as it is",
            )
            return
    plan = _Plan()
    # RUNs after the install that only run python (collectstatic, a script that creates a
    # SQLite file) run in the builder; the runtime copies the WORKDIR (distroless has no
    # shell to run them, and on slim they would make root's files before the USER).
    moved: list[Instruction] = []
    workdir = ""
    if not builder_tail and any(i.keyword == "RUN" for i in runtime_items):
        found = _runs_in_builder(ctx, runtime_items)
        if found is not None:
            moved, workdir = found
            runtime_items = runtime_items[len(moved) :]
            header_at = moved[-1].span.end
            plan.notes.append(
                f"the RUN(s) on line(s) {', '.join(str(i.line) for i in moved if i.keyword == 'RUN')} "
                f"run python in the builder; the runtime copies {workdir} from it (files they "
                "write elsewhere are not carried)"
            )
    lines: list[str] = [runtime_from] if runtime_from else []
    copies: list[Instruction] = []
    for inst in builder_items + moved:
        secret = _secret_variable(ctx, inst)
        if secret is not None:
            plan.notes.append(
                f"{inst.keyword} {secret} (line {inst.line}) is a secret: it is not repeated in "
                "the runtime stage; pass it when the container runs"
            )
        elif inst.keyword in _KEPT or (
            inst.keyword == "USER" and inst.args.strip().split(":")[0].isdigit()
        ):
            lines.append(source_of(ctx, inst))
        elif (
            is_app_copy(ctx, inst)
            and inst not in moved
            # The WORKDIR copied from the builder carries what was copied into it.
            and not (workdir and is_under(copy_target(ctx, inst), workdir))
        ):
            copies.append(inst)
    runtime_part = builder_tail + runtime_items
    # Other stages built on the builder's stages (``dev``) keep what those stages install.
    shared = any(
        s.parent is not None and s.parent in {c.index for c in chain[: k + 1]} and s not in chain
        for s in ctx.stages
    )
    # Those stages may still install into the builder's environment, so it keeps pip: the
    # runtime copies the environment from a stage of its own that removes the tools.
    venv_from = builder
    if shared and runtime_stage_at is not None:
        names = {s.name.lower() for s in ctx.stages if s.name}
        venv_from = next(
            n for n in (f"{builder}-venv", *(f"{builder}-venv{i}" for i in range(2, 99)))
            if n not in names
        )
    apt = apt_installs(ctx, builder_items)
    if distroless:
        if any(i.keyword == "RUN" for i in runtime_part):
            yield note(finding, shell_refusal(runtime))
            return
        refusal = _distroless_runtime(ctx, runtime_part, apt, rt.interpreter or "", plan)
        if refusal is not None:
            yield note(finding, refusal)
            return
        site = venv_site_packages(version or DISTROLESS_PYTHON_VERSION)
        lines.append(f"COPY --from={venv_from} {site} {site}{nl}")
        lines.append(f"ENV PYTHONPATH={site}{nl}")
        by_dir: dict[str, list[str]] = {}
        for lib in options.runtime_libraries:
            by_dir.setdefault(posixpath.dirname(lib), []).append(lib)
        for directory, libs in sorted(by_dir.items()):
            lines.append(f"COPY --from={venv_from} {' '.join(sorted(libs))} {directory}/{nl}")
    else:
        # A RUN that installs only runtime packages moves to the runtime stage as written;
        # runtime packages installed with build tools are installed again there.
        runs: list[Instruction] = []
        for i, _p in apt:
            if all(i is not r for r in runs):
                runs.append(i)
        moved = [
            i
            for i in runs
            if not shared
            and all(i is not r for r in pip_runs)
            and all(
                not is_toolchain_package(p.text)
                for _rs, _cmd, op in find_ops(ctx, i, ("apt",), ("install",))
                for p in op.packages
            )
        ]
        for inst in moved:
            removal = remove_instruction(inst)
            if removal.end == venv_edit.start:  # the RUN right before the first install
                edits.remove(venv_edit)
                removal = Edit(removal.start, removal.end, venv_lines)
            edits.append(removal)
            lines.append(source_of(ctx, inst))
        moved_names = {name for i, name in apt if any(i is m for m in moved)}
        packages = [name for i, name in apt if name not in moved_names]
        packages += [
            p for p in options.runtime_packages if p not in packages and p not in moved_names
        ]
        if packages:
            lines.append(apt_install_line(packages) + nl)
        lines.append(f"COPY --from={venv_from} {VENV} {VENV}{nl}")
        lines.append(f'ENV PATH="{VENV}/bin:$PATH"{nl}')
    # On distroless the image's nonroot user runs the application: what it copies stays
    # writable to it, as it was to root (a SQLite file or a data directory by the code).
    owner = f"{rt.uid}:{rt.uid}" if distroless else None
    if owner is not None:
        plan.edits += [chown_edit(i, owner) for i in app_dir_copies(ctx, runtime_items)]
    lines.extend(_runtime_source(ctx, c, owner) for c in copies)
    if workdir:
        # Owned by the user the runtime runs as (on slim, the one SL301 then creates).
        lines.append(f"COPY --from={builder} --chown={owner or rt.uid} {workdir} {workdir}{nl}")
    lines.extend(_runtime_source(ctx, i, owner) for i in builder_tail)
    # The runtime never installs packages: leave pip out of the copied environment (in the
    # install's layer when it is a plain command line, or in the stage the runtime copies
    # it from when other stages build on the builder).
    pip_trim = ""
    if venv_from != builder and runtime_stage_at is not None:
        root = any(i.keyword == "USER" for st in chain[: k + 1] for i in st.instructions)
        trim_stage = (
            f"FROM {builder} AS {venv_from}{nl}"
            + (f"USER root{nl}" if root else "")
            + f"RUN {trim_command(VENV, version)}{nl}{nl}"
        )
        edits.append(Edit(runtime_stage_at, runtime_stage_at, trim_stage))
    elif not shared:
        uninstall = trim_command(VENV, version)
        if last.exec_form is None and not last.heredocs and not last.flags:
            edits.append(append_shell(ctx.df, last, uninstall))
        else:
            pip_trim = f"RUN {uninstall}{nl}"
    if runtime_from:
        sep = "" if ctx.df.text[:header_at].endswith(("\n", "\r")) else nl
        edits.append(Edit(header_at, header_at, sep + pip_trim + "".join(lines)))
    else:
        if pip_trim:
            at = last.span.end
            sep = "" if ctx.df.text[:at].endswith(("\n", "\r")) else nl
            edits.append(Edit(at, at, sep + pip_trim))
        sep = "" if ctx.df.text[:header_at].endswith(("\n", "\r")) else nl
        edits.append(Edit(header_at, header_at, sep + "".join(lines)))
    yield Fix(
        finding.code,
        f"multi-stage build with a {runtime} runtime",
        FixKind.UNSAFE,
        edits + plan.edits,
        line=finding.line,
        # What the rewrite left out, and why (shown with the applied fix).
        note="; ".join(plan.notes) or None,
        exclusive=True,
    )


def _distroless_runtime(
    ctx: RuleContext,
    runtime_part: list[Instruction],
    apt: list[tuple[Instruction, str]],
    interpreter: str,
    plan: _Plan,
) -> str | None:
    """Edits for commands, health checks and users on distroless; a refusal, or None."""
    escape = ctx.df.escape
    commands = {
        posixpath.basename(w)
        for i in runtime_part
        if i.keyword in ("CMD", "ENTRYPOINT")
        for w in _command_words(i, escape)
    }
    # With an ENTRYPOINT, CMD only gives it arguments (``ENTRYPOINT ["python",
    # "manage.py"]`` + ``CMD ["runserver"]``): the CMD stays as written.
    has_entrypoint = any(i.keyword == "ENTRYPOINT" for i in runtime_part)
    for inst in runtime_part:
        if inst.keyword == "CMD" and has_entrypoint:
            continue
        if inst.keyword in ("CMD", "ENTRYPOINT"):
            argv = inst.exec_form if inst.exec_form is not None else exact_exec_form(inst.args)
            mapped = _python_argv(argv) if argv is not None else None
            if mapped is None:
                return (
                    f"cannot run line {inst.line} ({inst.keyword}) with distroless python "
                    "(not python or a known console script, or a shell command that does not "
                    "split exactly into arguments): use --runtime slim"
                )
            if inst.keyword == "ENTRYPOINT":
                mapped = [interpreter, *mapped]
            span = inst.args_source_span()
            plan.edits.append(Edit(span.start, span.end, json_array(mapped)))
        elif inst.keyword == "HEALTHCHECK":
            program, argv = _healthcheck_program(inst)
            if program is None:
                continue
            if argv is not None and _PYTHON_RE.match(program):
                span = inst.args_source_span()
                plan.edits.append(
                    Edit(span.start, span.end, "CMD " + json_array([interpreter, *argv[1:]]))
                )
                continue
            plan.edits.append(remove_instruction(inst))
            plan.notes.append(
                f"HEALTHCHECK on line {inst.line} dropped: distroless has no shell and no "
                f"`{program or 'program'}` to run it; probe the service from outside (an "
                "orchestrator's HTTP check), or keep it with --runtime slim"
            )
        elif inst.keyword == "USER":
            nonroot_user(inst, plan.edits, plan.notes)
    for inst, package in apt:
        if package in _DISTROLESS_HAS:
            continue
        if package in _PROBE_TOOLS and package not in commands:
            plan.notes.append(
                f"{package} (installed on line {inst.line}) is not in the distroless runtime: "
                "only a health check or a person at a shell would use it"
            )
            continue
        return (
            f"line {inst.line} installs {package} with apt for the runtime, and distroless "
            "cannot install packages: use --runtime slim (it installs them in the runtime stage)"
        )
    return None
