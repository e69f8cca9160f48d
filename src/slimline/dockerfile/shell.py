"""Shell understanding for RUN: commands, lists, pipelines, ``sh -c`` and heredocs.

Scripts are parsed with tree-sitter-bash, which handles ``[[ ]]``, ``case``,
arithmetic and heredocs. The result is a flat, ordered list of simple commands,
each with its words (static values where the shell would see a fixed string),
the operator that joins it to the previous command, and whether it sits in a
pipeline, a condition or a loop. Rules reason over that list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tree_sitter import Language, Node, Parser

#: Programs that run another program given as their arguments.
_WRAPPERS = frozenset(
    {"sudo", "env", "command", "exec", "nohup", "time", "nice", "stdbuf", "su-exec", "gosu", "doas"}
) | {"xargs"}
_SUDO_OPTS_WITH_VALUE = frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"})
#: ``xargs`` options followed by a value (``xargs -n 1 apt-get install``).
_XARGS_OPTS_WITH_VALUE = frozenset({"-n", "-I", "-P", "-L", "-s", "-d", "-E", "-a"})


@dataclass(frozen=True, slots=True)
class ShellWord:
    """A word of a command: raw text, static value (None when it depends on the runtime)."""

    raw: str
    value: str | None
    start: int
    end: int

    @property
    def text(self) -> str:
        """The static value, or the raw text when the word is dynamic."""
        return self.value if self.value is not None else self.raw


@dataclass(slots=True)
class ShellCommand:
    """A simple command, e.g. ``DEBIAN_FRONTEND=noninteractive apt-get install -y curl``."""

    words: list[ShellWord]
    assignments: dict[str, str | None]
    start: int
    end: int
    #: Operator before this command in its list: "&&", "||", ";", "|" or None (first).
    connector: str | None = None
    #: Inside a pipeline of two or more commands.
    in_pipeline: bool = False
    #: Inside an if/while/until condition, a loop body, a function, or a case arm.
    conditional: bool = False
    #: Came from the string of ``sh -c "..."``.
    nested: bool = False
    #: Redirections written after the command (``> /dev/null``, ``2>&1``).
    redirects: list[str] = field(default_factory=list)
    #: Runs in a subshell: inside ``( ... )``, ``$( ... )``, backticks or ``<( ... )``
    #: (so a ``cd`` or ``export`` there does not reach the commands after it).
    in_subshell: bool = False
    #: Facts derived from the command once and read by many rules (e.g. its package-manager
    #: classification); not part of the command's value.
    memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]

    @property
    def name(self) -> str:
        """The program as written (``/usr/bin/apt-get``), empty for a bare assignment."""
        return self.words[0].text if self.words else ""

    @property
    def program(self) -> str:
        """Base name of the program (``apt-get``)."""
        return self.name.rsplit("/", 1)[-1]

    def unwrapped(self) -> ShellCommand:
        """The command that really runs: ``sudo -u x env A=1 apt-get`` -> ``apt-get ...``."""
        words = self.words
        assignments = dict(self.assignments)
        i = 0
        while i < len(words):
            prog = words[i].text.rsplit("/", 1)[-1]
            if prog not in _WRAPPERS:
                break
            i += 1
            while i < len(words):
                w = words[i].text
                if prog == "env" and "=" in w and not w.startswith("-"):
                    key, _, val = w.partition("=")
                    assignments[key] = val
                    i += 1
                elif w.startswith("-") and w != "-":
                    i += 1
                    if (
                        (prog == "sudo" and w in _SUDO_OPTS_WITH_VALUE)
                        or (prog == "nice" and w == "-n")
                        or (prog == "xargs" and w in _XARGS_OPTS_WITH_VALUE)
                    ):
                        i += 1
                else:
                    break
        if i == 0:
            return self
        return ShellCommand(
            words=words[i:],
            assignments=assignments,
            start=self.start,
            end=self.end,
            connector=self.connector,
            in_pipeline=self.in_pipeline,
            conditional=self.conditional,
            nested=self.nested,
            redirects=self.redirects,
        )

    def has_flag(self, *flags: str) -> bool:
        """Whether any word is one of ``flags`` (``--flag=value`` counts as ``--flag``).

        A single-letter flag also matches inside a bundle: ``-y`` in ``-qqy``.
        """
        for w in self.words[1:]:
            t = w.text
            if t == "--":
                break
            for f in flags:
                if t == f or (f.startswith("--") and t.startswith(f + "=")):
                    return True
                if (
                    len(f) == 2
                    and f[0] == "-"
                    and f[1] != "-"
                    and t.startswith("-")
                    and not t.startswith("--")
                    and f[1] in t[1:]
                ):
                    return True
        return False

    def flag_value(self, *flags: str) -> str | None:
        """Value of ``--flag value`` / ``--flag=value`` / ``-f value``, else None."""
        words = self.words
        for i, w in enumerate(words[1:], start=1):
            t = w.text
            for f in flags:
                if t == f and i + 1 < len(words):
                    return words[i + 1].text
                if f.startswith("-") and t.startswith(f + "="):
                    return t[len(f) + 1 :]
        return None

    def positional(self) -> list[str]:
        """Arguments that are not flags (after the program name)."""
        return [w.text for w in self.words[1:] if not w.text.startswith("-")]


@dataclass(slots=True)
class ShellScript:
    text: str
    commands: list[ShellCommand]
    #: tree-sitter found a syntax error somewhere.
    has_error: bool
    #: ``set -o pipefail`` (or ``set -eo pipefail``...) runs before any pipeline.
    pipefail: bool

    def __iter__(self) -> Iterator[ShellCommand]:
        return iter(self.commands)

    def programs(self) -> list[str]:
        return [c.unwrapped().program for c in self.commands]

    def find(self, *programs: str) -> list[ShellCommand]:
        """Commands (unwrapped) whose program is one of ``programs``."""
        out = []
        for c in self.commands:
            u = c.unwrapped()
            if u.program in programs:
                out.append(u)
        return out

    @property
    def has_pipeline(self) -> bool:
        return any(c.in_pipeline for c in self.commands)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import tree_sitter_bash  # the grammar loads when the first RUN is parsed

    return Parser(Language(tree_sitter_bash.language()))


def parse_shell(text: str) -> ShellScript:
    """Parse a shell script into its simple commands, in execution order."""
    return _parse_shell_cached(text)


@lru_cache(maxsize=4096)
def _parse_shell_cached(text: str) -> ShellScript:
    data = text.encode("utf-8", "surrogateescape")
    tree = _parser().parse(data)
    walker = _Walker(data, text)
    too_deep = False
    try:
        walker.visit(tree.root_node, connector=None, pipeline=False, conditional=False)
    except RecursionError:
        # Hundreds of nested subshells or substitutions: keep the commands found so far
        # and call the script broken, as for a syntax error, rather than crash.
        too_deep = True
    script = ShellScript(
        text=text,
        commands=walker.commands,
        has_error=tree.root_node.has_error or too_deep,
        pipefail=False,
    )
    script.pipefail = _has_pipefail(script)
    _mark_subshells(tree.root_node, walker, script.commands)
    return script


_SUBSHELL_NODES = frozenset({"subshell", "command_substitution", "process_substitution"})


def _mark_subshells(root: Node, walker: _Walker, commands: list[ShellCommand]) -> None:
    """Set ``in_subshell`` on the commands that lie inside a subshell node."""
    ranges: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in _SUBSHELL_NODES:
            ranges.append((walker.offset(node.start_byte), walker.offset(node.end_byte)))
        stack.extend(node.children)
    if not ranges:
        return
    for cmd in commands:
        # Commands of ``sh -c "..."`` carry the span of the whole string: not judged here.
        if not cmd.nested:
            cmd.in_subshell = any(lo <= cmd.start and cmd.end <= hi for lo, hi in ranges)


def _has_pipefail(script: ShellScript) -> bool:
    for cmd in script.commands:
        if cmd.in_pipeline:
            return False
        if cmd.program == "set":
            words = [w.text for w in cmd.words[1:]]
            for i, w in enumerate(words):
                # `set -o pipefail`, and bundles such as `set -euxo pipefail`
                bundle = w.startswith("-") and not w.startswith("--") and "o" in w[1:]
                if bundle and i + 1 < len(words) and words[i + 1] == "pipefail":
                    return True
    return False


_DQ_ESCAPABLE = frozenset('$`"\\\n')


def _unescape_word(raw: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            out.append(raw[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _unescape_dq(raw: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] in _DQ_ESCAPABLE:
            out.append(raw[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class _Walker:
    def __init__(self, data: bytes, text: str) -> None:
        self.data = data
        self.ascii = len(data) == len(text)
        self.commands: list[ShellCommand] = []

    def offset(self, byte: int) -> int:
        if self.ascii:
            return byte
        return len(self.data[:byte].decode("utf-8", "surrogateescape"))

    def raw(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")

    def static(self, node: Node) -> str | None:
        t = node.type
        if t in ("word", "number"):
            return _unescape_word(self.raw(node))
        if t == "raw_string":
            return self.raw(node)[1:-1]
        if t == "string":
            parts: list[str] = []
            for child in node.named_children:
                if child.type != "string_content":
                    return None
            raw = self.raw(node)
            parts.append(_unescape_dq(raw[1:-1]))
            return "".join(parts)
        if t == "concatenation":
            pieces: list[str] = []
            for child in node.children:
                v = self.static(child)
                if v is None:
                    return None
                pieces.append(v)
            return "".join(pieces)
        if t == "ansi_c_string":
            return self.raw(node)[2:-1]
        return None

    def word(self, node: Node) -> ShellWord:
        return ShellWord(
            self.raw(node),
            self.static(node),
            self.offset(node.start_byte),
            self.offset(node.end_byte),
        )

    def visit(
        self, node: Node, *, connector: str | None, pipeline: bool, conditional: bool
    ) -> None:
        t = node.type
        if t == "command":
            self.command(node, connector, pipeline, conditional, redirects=[])
            return
        if t == "redirected_statement":
            body = node.child_by_field_name("body")
            redirects = [self.raw(c) for c in node.children if c != body and c.is_named]
            if body is not None and body.type == "command":
                self.command(body, connector, pipeline, conditional, redirects=redirects)
            elif body is not None:
                self.visit(body, connector=connector, pipeline=pipeline, conditional=conditional)
            # Command substitutions inside redirections still run.
            for c in node.children:
                if c != body:
                    self.visit_substitutions(c)
            return
        if t == "pipeline":
            first = True
            for c in node.children:
                if not c.is_named:
                    continue
                self.visit(
                    c, connector=connector if first else "|", pipeline=True, conditional=conditional
                )
                first = False
            return
        if t == "list":
            # `a && b && c` nests to the left: list(list(a, b), c). Walk down that chain
            # without recursing, so a RUN of a thousand chained commands fits the stack;
            # each list's first child gets the list's connector, as it would recursively.
            chain = [node]
            while chain[-1].children and chain[-1].children[0].type == "list":
                chain.append(chain[-1].children[0])
            for depth, lst in enumerate(reversed(chain)):
                pending = connector
                for c in lst.children if depth == 0 else lst.children[1:]:
                    if c.is_named:
                        self.visit(c, connector=pending, pipeline=pipeline, conditional=conditional)
                    elif c.type in ("&&", "||"):
                        pending = c.type
            return
        if t in (
            "program",
            "compound_statement",
            "subshell",
            "do_group",
            "else_clause",
            "elif_clause",
        ):
            pending = connector
            inner_conditional = conditional or t in ("do_group", "else_clause", "elif_clause")
            for c in node.children:
                if c.is_named:
                    if c.type in ("comment", "heredoc_body"):
                        continue
                    self.visit(c, connector=pending, pipeline=False, conditional=inner_conditional)
                    pending = ";"
                elif c.type in (";", "&", "\n"):
                    pending = ";"
            return
        if t in (
            "if_statement",
            "while_statement",
            "for_statement",
            "c_style_for_statement",
            "case_statement",
            "function_definition",
            "case_item",
            "negated_command",
        ):
            for c in node.children:
                if c.is_named and c.type not in ("comment",):
                    self.visit(c, connector=connector, pipeline=pipeline, conditional=True)
            return
        if t in ("variable_assignment", "declaration_command", "unset_command", "test_command"):
            self.visit_substitutions(node)
            return
        # Anything else: look for nested commands (substitutions, etc.).
        for c in node.named_children:
            self.visit(c, connector=connector, pipeline=pipeline, conditional=conditional)

    def visit_substitutions(self, node: Node) -> None:
        """Visit commands inside ``$(...)``, backticks and ``<(...)`` below ``node``."""
        if node.type in ("command_substitution", "process_substitution"):
            for inner in node.named_children:
                self.visit(inner, connector=None, pipeline=False, conditional=True)
            return
        for c in node.named_children:
            self.visit_substitutions(c)

    def command(
        self,
        node: Node,
        connector: str | None,
        pipeline: bool,
        conditional: bool,
        redirects: list[str],
    ) -> None:
        words: list[ShellWord] = []
        assignments: dict[str, str | None] = {}
        for c in node.children:
            if c.type == "variable_assignment":
                name_node = c.child_by_field_name("name")
                value_node = c.child_by_field_name("value")
                if name_node is not None:
                    assignments[self.raw(name_node)] = (
                        self.static(value_node) if value_node is not None else ""
                    )
                self.visit_substitutions(c)
            elif c.type == "command_name":
                inner = c.named_children[0] if c.named_children else c
                words.append(self.word(inner))
                self.visit_substitutions(c)
            elif c.is_named and c.type not in (
                "file_redirect",
                "heredoc_redirect",
                "herestring_redirect",
                "comment",
            ):
                words.append(self.word(c))
                self.visit_substitutions(c)
            elif c.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                redirects = [*redirects, self.raw(c)]
        cmd = ShellCommand(
            words=words,
            assignments=assignments,
            start=self.offset(node.start_byte),
            end=self.offset(node.end_byte),
            connector=connector,
            in_pipeline=pipeline,
            conditional=conditional,
            redirects=redirects,
        )
        self.commands.append(cmd)
        # sh -c "script": the inner commands run too.
        if cmd.program in ("sh", "bash", "dash", "ash", "zsh") and len(words) >= 3:
            for i, w in enumerate(words[1:-1], start=1):
                if w.text.startswith("-") and not w.text.startswith("--") and "c" in w.text[1:]:
                    script_word = words[i + 1]
                    if script_word.value is not None:
                        for sub in parse_shell(script_word.value).commands:
                            self.commands.append(
                                ShellCommand(
                                    words=[
                                        ShellWord(
                                            s.raw, s.value, script_word.start, script_word.end
                                        )
                                        for s in sub.words
                                    ],
                                    assignments=sub.assignments,
                                    start=script_word.start,
                                    end=script_word.end,
                                    connector=sub.connector,
                                    in_pipeline=sub.in_pipeline,
                                    conditional=conditional or sub.conditional,
                                    nested=True,
                                    redirects=sub.redirects,
                                )
                            )
                    break
