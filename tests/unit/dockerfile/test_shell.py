"""RUN scripts as shell: lists, pipelines, sh -c, wrappers, heredoc bodies, flags."""

from __future__ import annotations

import pytest

from slimline.dockerfile.shell import ShellCommand, parse_shell


def argvs(text: str) -> list[list[str]]:
    return [c.argv for c in parse_shell(text).commands]


def test_lists_keep_order_and_connectors() -> None:
    script = parse_shell("apt-get update && apt-get install -y curl || true; rm -rf /x")
    assert [c.argv for c in script] == [
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "curl"],
        ["true"],
        ["rm", "-rf", "/x"],
    ]
    assert [c.connector for c in script] == [None, "&&", "||", ";"]
    assert not script.has_error


def test_pipelines_are_marked() -> None:
    script = parse_shell("curl -fsSL https://x/install.sh | sh && echo done")
    assert [(c.program, c.in_pipeline, c.connector) for c in script] == [
        ("curl", True, None),
        ("sh", True, "|"),
        ("echo", False, "&&"),
    ]
    assert script.has_pipeline


@pytest.mark.parametrize(
    ("text", "pipefail"),
    [
        ("set -o pipefail && curl x | sh", True),
        ("set -euxo pipefail; curl x | sh", True),
        ("set -eo pipefail\ncurl x | sh", True),
        ("curl x | sh; set -o pipefail", False),  # too late: the pipeline ran first
        ("set -e && curl x | sh", False),
        ("set -o errexit && curl x | sh", False),
        ("set --o pipefail && curl x | sh", False),
    ],
)
def test_pipefail_detection(text: str, pipefail: bool) -> None:
    assert parse_shell(text).pipefail is pipefail


def test_sh_c_is_parsed_recursively() -> None:
    script = parse_shell("sh -c 'apt-get update && apt-get install -y git'")
    nested = [c for c in script if c.nested]
    assert [c.argv for c in nested] == [["apt-get", "update"], ["apt-get", "install", "-y", "git"]]
    assert nested[1].connector == "&&"
    assert argvs('bash -ec "pip install flask"')[1:] == [["pip", "install", "flask"]]
    # A dynamic script cannot be read: only the outer command is known.
    assert argvs('sh -c "$SCRIPT"') == [["sh", "-c", '"$SCRIPT"']]


@pytest.mark.parametrize(
    ("text", "argv", "assignments"),
    [
        ("sudo apt-get install -y x", ["apt-get", "install", "-y", "x"], {}),
        ("sudo -u app -E pip install x", ["pip", "install", "x"], {}),
        (
            "env DEBIAN_FRONTEND=noninteractive apt-get install x",
            ["apt-get", "install", "x"],
            {"DEBIAN_FRONTEND": "noninteractive"},
        ),
        ("A=1 env -i B=2 nice -n 5 make", ["make"], {"A": "1", "B": "2"}),
        ("/usr/bin/sudo /usr/bin/apt-get update", ["/usr/bin/apt-get", "update"], {}),
        ("gosu app npm ci", ["app", "npm", "ci"], {}),  # gosu takes a user first
    ],
)
def test_unwrapping(text: str, argv: list[str], assignments: dict[str, str]) -> None:
    (cmd,) = parse_shell(text).commands
    inner = cmd.unwrapped()
    assert inner.argv == argv
    assert inner.assignments == assignments


def test_program_is_the_base_name() -> None:
    (cmd,) = parse_shell("/usr/local/bin/pip3 install x").commands
    assert (cmd.name, cmd.program) == ("/usr/local/bin/pip3", "pip3")
    assert parse_shell("x=1").commands == []  # a bare assignment runs no program
    (prefixed,) = parse_shell("CGO_ENABLED=0 go build ./...").commands
    assert (prefixed.program, prefixed.assignments) == ("go", {"CGO_ENABLED": "0"})


def cmd(text: str) -> ShellCommand:
    return parse_shell(text).commands[0]


def test_has_flag_bundles_and_long_forms() -> None:
    c = cmd("apt-get -qqy --no-install-recommends install curl")
    assert c.has_flag("-y")
    assert c.has_flag("-q")
    assert c.has_flag("--no-install-recommends")
    assert not c.has_flag("--yes")
    assert cmd("pip install --no-cache-dir=1 x").has_flag("--no-cache-dir")
    assert not cmd("apt-get install x -- -y").has_flag("-y")  # after "--": an argument
    assert not cmd("apt-get --only-upgrade install x").has_flag("-y")
    assert not cmd("echo y").has_flag("-y")


def test_flag_value_and_positionals() -> None:
    c = cmd("pip install -r requirements.txt --index-url=https://i/ flask")
    assert c.flag_value("-r", "--requirement") == "requirements.txt"
    assert c.flag_value("--index-url") == "https://i/"
    assert c.flag_value("--target") is None
    assert c.positional() == ["install", "requirements.txt", "flask"]


def test_static_values_of_quoted_words() -> None:
    c = cmd("""echo 'a b' "c d" e\\ f "x$HOME" $'t' "q\\"q" ab"cd"'ef'""")
    assert [w.value for w in c.words] == ["echo", "a b", "c d", "e f", None, "t", 'q"q', "abcdef"]
    assert c.words[4].text == '"x$HOME"'  # dynamic: the raw text


def test_heredoc_bodies_are_not_commands() -> None:
    script = parse_shell("cat <<EOF > /etc/x\napt-get install evil\nEOF\necho after\n")
    assert [c.argv for c in script] == [["cat"], ["echo", "after"]]
    assert script.commands[0].redirects


def test_conditionals_loops_and_substitutions() -> None:
    script = parse_shell(
        "if [ -f x ]; then apt-get update; fi; for p in a b; do pip install $p; done; "
        "echo $(uname -m)"
    )
    by_program = {c.program: c for c in script}
    assert by_program["apt-get"].conditional
    assert by_program["pip"].conditional
    assert by_program["uname"].conditional  # inside a command substitution
    assert not by_program["echo"].conditional


def test_offsets_point_into_the_script() -> None:
    text = "apt-get update && apt-get install -y curl"
    script = parse_shell(text)
    assert [text[c.start : c.end] for c in script] == ["apt-get update", "apt-get install -y curl"]
    unicode_text = "echo 'héllo' && ls"
    second = parse_shell(unicode_text).commands[1]
    assert unicode_text[second.start : second.end] == "ls"


def test_syntax_errors_are_reported_not_raised() -> None:
    script = parse_shell("if then fi ((( <<")
    assert script.has_error
