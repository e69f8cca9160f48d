"""What each instruction means in its stage: variables, user, workdir, shell, RUN scripts.

One pass over a stage records, for every instruction, the ARG/ENV values
visible to it (BuildKit's scoping: global ARGs reach FROM lines, and a stage
sees a global ARG only after re-declaring it; ENV, USER, WORKDIR and SHELL are
inherited from a parent stage), and turns RUN instructions into parsed shell
scripts whose offsets map back to the source.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from slimline.dockerfile.expand import ExpansionBudget, ExpansionLimitError, expand
from slimline.dockerfile.model import Dockerfile, Instruction, Span, Stage
from slimline.dockerfile.parser import AUTOMATIC_PLATFORM_ARGS, arg_pairs
from slimline.dockerfile.shell import ShellCommand, ShellScript, ShellWord, parse_shell
from slimline.dockerfile.words import parse_heredoc_word, split_words

DEFAULT_SHELL = ("/bin/sh", "-c")
_LEADING_TABS = re.compile(r"^\t+", re.MULTILINE)
_POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"})
#: Variables kept for the whole file: each ARG or ENV instruction records every variable
#: it sees, so 50,000 ENV lines would record over a billion. Past this many, the file is
#: refused.
MAX_VARIABLE_BINDINGS = 2_000_000


@dataclass(slots=True)
class State:
    """The build state an instruction runs in."""

    env: dict[str, str]
    user: str | None
    workdir: str
    shell: tuple[str, ...]
    #: Names declared with ARG in this stage (visible as variables).
    args: set[str] = field(default_factory=set)
    #: Whether WORKDIR was set explicitly in this stage or an ancestor.
    workdir_set: bool = False

    def copy(self) -> State:
        """A copy that shares ``env`` and ``args``: they are replaced, never changed in
        place, so recording the state of every instruction costs no copy of them."""
        return State(self.env, self.user, self.workdir, self.shell, self.args, self.workdir_set)

    @property
    def posix_shell(self) -> bool:
        return bool(self.shell) and posixpath.basename(self.shell[0]).lower() in _POSIX_SHELLS


@dataclass(slots=True)
class RunScript:
    """A RUN's shell script with a map from script offsets to source offsets."""

    instruction: Instruction
    script: ShellScript
    #: "shell" (shell form), "exec" (JSON form, no shell), "sh-c" (JSON sh -c), "heredoc".
    kind: str
    _map: Callable[[int], int]

    def source_offset(self, offset: int) -> int:
        return self._map(offset)

    def source_span(self, start: int, end: int) -> Span:
        return Span(self._map(start), max(self._map(start), self._map(max(start, end - 1)) + 1))

    def command_span(self, command: ShellCommand) -> Span:
        return self.source_span(command.start, command.end)


class Semantics:
    """Per-instruction states and RUN scripts for a whole Dockerfile (computed once)."""

    def __init__(self, df: Dockerfile) -> None:
        """Raises :class:`ExpansionLimitError` (with the file and line) past the limits
        of docs/limits.md."""
        self.df = df
        self.budget = ExpansionBudget()
        self._bindings = 0
        self.global_env: dict[str, str] = dict(AUTOMATIC_PLATFORM_ARGS)
        for inst in df.global_args:
            for key, value in arg_pairs(inst, df.escape):
                if value is not None:  # without a default the ARG stays unset
                    self.global_env[key] = self._expand(inst, value, self.global_env)
        self.declared_global = {k for inst in df.global_args for k, _ in arg_pairs(inst, df.escape)}
        self._before: dict[int, State] = {}
        self._final: dict[int, State] = {}
        self._scripts: dict[int, list[RunScript]] = {}
        for stage in df.stages:
            self._walk(stage)

    def _expand(self, inst: Instruction, word: str, env: dict[str, str]) -> str:
        """Expand against the file's budget; a limit error names the instruction."""
        try:
            return expand(word, env, self.df.escape, budget=self.budget).value
        except ExpansionLimitError as exc:
            raise exc.at(self.df.display_path, inst.line) from None

    def _count(self, inst: Instruction, state: State) -> None:
        """Count the variables an ARG or ENV instruction records (a new dict of them)."""
        self._bindings += len(state.env) + len(state.args)
        if self._bindings > MAX_VARIABLE_BINDINGS:
            raise ExpansionLimitError(
                "too many ARG/ENV variables for this many instructions: over the limit of "
                f"{MAX_VARIABLE_BINDINGS:,} variable bindings per file (see docs/limits.md)",
                path=self.df.display_path,
                line=inst.line,
            )

    # -- states ------------------------------------------------------------------------------
    def _initial(self, stage: Stage) -> State:
        if stage.parent is not None and stage.parent in self._final:
            return self._final[stage.parent].copy()
        return State(env={}, user=None, workdir="/", shell=DEFAULT_SHELL)

    def _walk(self, stage: Stage) -> None:
        df = self.df
        state = self._initial(stage)
        for inst in stage.instructions:
            self._before[id(inst)] = state.copy()
            eff = inst.effective
            if inst.keyword == "ONBUILD":
                continue
            kw = eff.keyword
            # BuildKit expands every value of one ARG or ENV instruction against the
            # state before it (expandKvpsInPlace): `ENV a=1 b=$a` does not see the new a.
            if kw == "ARG":
                before = state.env
                pairs = [
                    (k, None if v is None else self._expand(inst, v, before))
                    for k, v in arg_pairs(eff, df.escape)
                ]
                state.env = dict(before)
                state.args = set(state.args)
                for key, value in pairs:
                    state.args.add(key)
                    if value is not None:
                        state.env[key] = value
                    elif key in self.global_env and key in self.declared_global:
                        state.env.setdefault(key, self.global_env[key])
                    elif key in AUTOMATIC_PLATFORM_ARGS:
                        state.env.setdefault(key, AUTOMATIC_PLATFORM_ARGS[key])
                self._count(inst, state)
            elif kw == "ENV":
                values = [
                    (k, self._expand(inst, v, state.env)) for k, v in env_pairs(eff, df.escape)
                ]
                state.env = {**state.env, **dict(values)}
                self._count(inst, state)
            elif kw == "USER":
                state.user = self._expand(inst, eff.args, state.env).strip() or None
            elif kw == "WORKDIR":
                target = self._expand(inst, eff.args, state.env).strip()
                state.workdir = posixpath.normpath(posixpath.join(state.workdir, target))
                state.workdir_set = True
            elif kw == "SHELL" and eff.exec_form:
                state.shell = tuple(eff.exec_form)
        self._final[stage.index] = state

    def before(self, inst: Instruction) -> State:
        """The state the instruction runs in (variables, user, workdir, shell)."""
        state = self._before.get(id(inst))
        if state is None:  # global ARGs and instructions outside stages
            return State(env=dict(self.global_env), user=None, workdir="/", shell=DEFAULT_SHELL)
        return state

    def final(self, stage: Stage) -> State:
        return self._final[stage.index]

    def expand(self, inst: Instruction, word: str) -> str:
        return expand(word, self.before(inst).env, self.df.escape).value

    # -- RUN scripts ---------------------------------------------------------------------------
    def scripts(self, inst: Instruction) -> list[RunScript]:
        """Shell scripts a RUN (or ONBUILD RUN) executes; empty for non-POSIX shells."""
        key = id(inst)
        if key not in self._scripts:
            self._scripts[key] = _run_scripts(inst, self.before(inst))
        return self._scripts[key]

    def script(self, inst: Instruction) -> ShellScript | None:
        """All commands of a RUN as one script (None when it is not a POSIX shell RUN)."""
        scripts = self.scripts(inst)
        if not scripts:
            return None
        if len(scripts) == 1:
            return scripts[0].script
        commands = [c for s in scripts for c in s.script.commands]
        return ShellScript(
            text="\n".join(s.script.text for s in scripts),
            commands=commands,
            has_error=any(s.script.has_error for s in scripts),
            pipefail=scripts[0].script.pipefail,
        )

    def commands(self, inst: Instruction) -> list[ShellCommand]:
        script = self.script(inst)
        return [] if script is None else [c.unwrapped() for c in script.commands]


def env_pairs(inst: Instruction, escape: str = "\\") -> list[tuple[str, str]]:
    """``ENV a=1 b="x y"`` or legacy ``ENV a some value`` -> [(key, raw value)]."""
    words = split_words(inst.args, escape)
    if not words:
        return []
    if "=" not in words[0].raw:
        # Legacy form: ENV key value with spaces
        key = words[0].raw
        value = inst.args[words[0].end :].strip()
        return [(key, value)]
    pairs: list[tuple[str, str]] = []
    for w in words:
        key, sep, value = w.raw.partition("=")
        if sep:
            pairs.append((key, value))
    return pairs


def label_pairs(inst: Instruction, escape: str = "\\") -> list[tuple[str, str]]:
    words = split_words(inst.args, escape)
    out: list[tuple[str, str]] = []
    for w in words:
        key, sep, _ = w.value.partition("=")
        if sep:
            out.append((key, w.value[len(key) + 1 :]))
    return out


def _run_scripts(inst: Instruction, state: State) -> list[RunScript]:
    eff = inst.effective
    if eff.keyword != "RUN":
        return []
    logical = inst.logical

    def args_map(offset: int, base: int = eff.args_start) -> int:
        if not logical.segments:
            return inst.span.start
        return logical.source_offset(base + offset)

    if eff.exec_form is not None:
        argv = eff.exec_form
        whole = eff.args_source_span()
        if (
            len(argv) >= 3
            and posixpath.basename(argv[0]) in _POSIX_SHELLS
            and argv[1].startswith("-")
            and "c" in argv[1]
        ):
            return [RunScript(inst, parse_shell(argv[2]), "sh-c", lambda _o: whole.start)]
        if not argv:
            return []
        words = [ShellWord(a, a, 0, 0) for a in argv]
        script = ShellScript(
            text=" ".join(argv),
            commands=[ShellCommand(words=words, assignments={}, start=0, end=0)],
            has_error=False,
            pipefail=False,
        )
        return [RunScript(inst, script, "exec", lambda _o: whole.start)]

    if not state.posix_shell:
        return []
    args = eff.args
    if not eff.heredocs:
        return [RunScript(inst, parse_shell(args), "shell", args_map)]

    first = eff.heredocs[0]
    if parse_heredoc_word(args) is not None:
        # BuildKit's dispatchRun: the whole command line is one heredoc marker.
        # RUN <<EOF ... EOF: the body is the script (unless a shebang says otherwise).
        body = first.content
        if first.chomp:
            # BuildKit strips the leading tabs; blanking them instead keeps the script's
            # offsets equal to the body's, so commands map back to the right source.
            body = _LEADING_TABS.sub(lambda m: " " * len(m.group()), body)
        if body.startswith("#!"):
            interpreter = body[2 : body.find("\n") if "\n" in body else len(body)].split()
            prog = posixpath.basename(interpreter[0]) if interpreter else ""
            if prog == "env" and len(interpreter) > 1:
                prog = posixpath.basename(interpreter[1])
            if prog not in _POSIX_SHELLS:
                return []
        start = first.body_span.start
        return [RunScript(inst, parse_shell(body), "heredoc", lambda o: start + o)]

    # A command line that reads heredocs: rebuild the script the shell receives.
    pieces = [args, "\n"]
    for h in eff.heredocs:
        pieces.append(h.content)
        pieces.append(h.name + "\n")
    text = "".join(pieces)
    cut = len(args)
    body_start = first.body_span.start

    def mixed_map(offset: int) -> int:
        return args_map(offset) if offset < cut else body_start

    script = parse_shell(text)
    if script.has_error:
        # tree-sitter-bash cannot read several heredocs on one line, nor a heredoc
        # before the command (`<<A cat > /a`): it turns body lines into commands.
        # The command line alone still gives the commands that run.
        script = parse_shell(args)
    scripts = [RunScript(inst, script, "shell", mixed_map)]
    line_commands = parse_shell(args).commands
    if (
        len(eff.heredocs) == 1
        and len(line_commands) == 1
        and line_commands[0].unwrapped().program in _POSIX_SHELLS
        and not line_commands[0].unwrapped().has_flag("-c")
    ):
        # `RUN <<EOF bash`: the body is the shell's script on its standard input.
        body_start_offset = first.body_span.start
        scripts.append(
            RunScript(inst, parse_shell(first.content), "heredoc", lambda o: body_start_offset + o)
        )
    return scripts
