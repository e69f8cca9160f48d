"""ShellScript records which commands run in a subshell (SL402 reads it; no second parse)."""

from __future__ import annotations

import pytest

from slimline.dockerfile.shell import parse_shell


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("cd /src && make", {"cd": False, "make": False}),
        ("(cd /src && make) && ls", {"cd": True, "make": True, "ls": False}),
        ("echo $(cd /x && pwd)", {"echo": False, "cd": True, "pwd": True}),
        ("diff <(sort a) b", {"diff": False, "sort": True}),
        ("x=$(cd /y; pwd) && cd /z", {"cd": True, "pwd": True}),
        ("{ cd /a; } && ls", {"cd": False, "ls": False}),
        ("echo é && (cd /ü && ls)", {"echo": False, "cd": True, "ls": True}),
    ],
)
def test_commands_know_whether_they_run_in_a_subshell(text: str, inside: dict[str, bool]) -> None:
    script = parse_shell(text)
    seen = {}
    for cmd in script.commands:
        seen.setdefault(cmd.program, cmd.in_subshell)
    for program, expected in inside.items():
        assert seen[program] is expected, (program, text)


def test_sh_c_commands_are_not_judged() -> None:
    script = parse_shell("(sh -c 'cd /x && ls')")
    nested = [c for c in script.commands if c.nested]
    assert nested and not any(c.in_subshell for c in nested)
    assert [c.in_subshell for c in script.commands if not c.nested] == [True]
