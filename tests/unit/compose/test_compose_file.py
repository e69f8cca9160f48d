"""Reading compose files: lookup, bounded YAML, interpolation, .env, build, ports, probes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from slimline.compose import (
    MAX_NODES,
    ComposeError,
    Interpolator,
    find_compose_file,
    load_project,
    load_yaml,
    read_dotenv,
)
from slimline.errors import SlimlineError

DOCKERFILE = "FROM python:3.11\nCMD [\"python\"]\n"


def project(tmp_path: Path, compose: str, dotenv: str | None = None, name: str = "compose.yaml"
            ) -> Path:
    """A compose project: the file, an ``app`` context with a Dockerfile, and a .env."""
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "Dockerfile").write_text(DOCKERFILE)
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv)
    path = tmp_path / name
    path.write_text(compose)
    return path


def interpolate(text: str, env: dict[str, str]) -> str:
    return Interpolator(env.get, Path("compose.yaml")).string(text, "x")


# -- lookup ----------------------------------------------------------------------------------


def test_lookup_order_follows_compose(tmp_path: Path) -> None:
    assert find_compose_file(tmp_path) is None
    for name in ("docker-compose.yaml", "docker-compose.yml", "compose.yml", "compose.yaml"):
        (tmp_path / name).write_text("services: {}\n")
        assert find_compose_file(tmp_path) == tmp_path / name


# -- interpolation ---------------------------------------------------------------------------

ENV = {"SET": "value", "EMPTY": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${SET}", "value"),
        ("$SET/x", "value/x"),
        ("a-${UNSET}-b", "a--b"),
        ("${SET:-d}", "value"),
        ("${EMPTY:-d}", "d"),
        ("${UNSET:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${UNSET:-${SET}}", "value"),
        ("${UNSET:-${ALSO:-deep}}", "deep"),
        ("${UNSET:-a b: c}", "a b: c"),
        ("$$SET", "$SET"),
        ("$${SET}", "${SET}"),
        ("cost: $$5", "cost: $5"),
        ("$5 and $ alone and $-", "$5 and $ alone and $-"),
        ("no dollar", "no dollar"),
    ],
)
def test_interpolation(text: str, expected: str) -> None:
    assert interpolate(text, ENV) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${UNSET:?set it please}", "required variable UNSET is missing a value: set it please"),
        ("${EMPTY:?empty too}", "required variable EMPTY is missing a value: empty too"),
        ("${UNSET?}", "required variable UNSET is missing a value"),
        ("${SET/foo/bar}", "invalid interpolation format"),
        ("${SET", "invalid interpolation format"),
        ("${}", "invalid interpolation format"),
        ("${1A}", "invalid interpolation format"),
    ],
)
def test_interpolation_errors(text: str, message: str) -> None:
    with pytest.raises(ComposeError, match=message.replace("(", r"\(")):
        interpolate(text, ENV)


def test_required_variable_passes_when_set() -> None:
    assert interpolate("${EMPTY?not checked for empty}", ENV) == ""
    assert interpolate("${SET:?x}", ENV) == "value"


def test_interpolation_output_is_bounded() -> None:
    big = {"BIG": "x" * 1_000_000}
    interp = Interpolator(big.get, Path("compose.yaml"))
    with pytest.raises(ComposeError, match="more than"):
        for _ in range(20):
            interp.string("$BIG", "x")


def test_interpolation_nesting_is_bounded() -> None:
    text = "${A:-" * 50 + "x" + "}" * 50
    with pytest.raises(ComposeError, match="nested more than"):
        interpolate(text, {})


# -- .env ------------------------------------------------------------------------------------


def test_dotenv_rules(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "# a comment\n"
        "\n"
        "PLAIN=plain value # a comment\n"
        "export EXPORTED=yes\n"
        "SINGLE='literal ${PLAIN} #kept'\n"
        'DOUBLE="a\\nb ${PLAIN}"\n'
        'MULTI="line one\nline two"\n'
        "REF=${FROM_ENV}-${PLAIN}\n"
        "HASH=a#b\n"
        "FROM_ENV=overridden in the file\n"
        "ONLY_NAME\n"
        "EMPTY=\n"
    )
    env = read_dotenv(path, {"FROM_ENV": "env", "ONLY_NAME": "from env"})
    assert env == {
        "PLAIN": "plain value",
        "EXPORTED": "yes",
        "SINGLE": "literal ${PLAIN} #kept",
        "DOUBLE": "a\nb plain value",
        "MULTI": "line one\nline two",
        "REF": "env-plain value",
        "HASH": "a#b",
        "FROM_ENV": "overridden in the file",
        "ONLY_NAME": "from env",
        "EMPTY": "",
    }


@pytest.mark.parametrize(
    ("text", "line"), [("A=1\nnot a name=2\n", 2), ('A=1\nB="open\n\n', 2), ("=x\n", 1)]
)
def test_dotenv_errors_name_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / ".env"
    path.write_text(text)
    with pytest.raises(ComposeError) as info:
        read_dotenv(path, {})
    assert info.value.line == line and info.value.path == str(path)


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "services:\n  app:\n    build:\n      context: app\n      args:\n"
        "        A: ${A}\n        B: ${B}\n",
        dotenv="A=from-file\nB=from-file\n",
    )
    (service,) = load_project(path, {"A": "from-env"}).services
    assert service.args == {"A": "from-env", "B": "from-file"}


# -- build -----------------------------------------------------------------------------------


def test_build_as_a_string(tmp_path: Path) -> None:
    path = project(tmp_path, "services:\n  app:\n    build: ./app\n  db:\n    image: postgres\n")
    loaded = load_project(path, {})
    (service,) = loaded.services
    assert service.context == tmp_path / "app"
    assert service.dockerfile == tmp_path / "app" / "Dockerfile"
    assert service.target is None and service.args == {}
    assert loaded.ignored == ("db",)
    assert loaded.name == tmp_path.name


def test_build_as_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "app" / "docker").mkdir(parents=True)
    (tmp_path / "app" / "docker" / "prod.Dockerfile").write_text(DOCKERFILE)
    path = project(
        tmp_path,
        "name: shop\n"
        "services:\n"
        "  app:\n"
        "    profiles: [prod]\n"
        "    build:\n"
        "      context: ${CTX:-app}\n"
        "      dockerfile: docker/prod.Dockerfile\n"
        "      target: runtime\n"
        "      args:\n"
        "        - VERSION=${VERSION:-1.0}\n"
        "        - FROM_SHELL\n"
        "        - NOT_SET\n"
        "        - EQUALS=a=b\n"
        "      ssh: [default]\n",
    )
    loaded = load_project(path, {"FROM_SHELL": "shell"})
    (service,) = loaded.services
    assert loaded.name == "shop"
    assert service.dockerfile == tmp_path / "app" / "docker" / "prod.Dockerfile"
    assert service.target == "runtime"
    assert service.args == {"VERSION": "1.0", "FROM_SHELL": "shell", "EQUALS": "a=b"}
    assert service.notes == ("build.ssh not passed to slimline's builds",)


def test_build_args_mapping_values(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "services:\n  app:\n    build:\n      context: app\n      args:\n"
        "        NUMBER: 3\n        FLAG: true\n        NULL:\n        FROM_ENV: null\n",
    )
    (service,) = load_project(path, {"FROM_ENV": "x"}).services
    assert service.args == {"NUMBER": "3", "FLAG": "true", "FROM_ENV": "x"}


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        ("{dockerfile_inline: 'FROM scratch'}", "dockerfile_inline is not supported"),
        ("https://github.com/example/app.git", "remote build context"),
        ("{context: 'git@github.com:example/app.git'}", "remote build context"),
    ],
)
def test_builds_slimline_cannot_optimize_are_skipped(tmp_path: Path, build: str, reason: str) -> None:
    path = project(tmp_path, f"services:\n  app:\n    build: {build}\n")
    (service,) = load_project(path, {}).services
    assert service.skip is not None and reason in service.skip


@pytest.mark.parametrize(
    ("compose", "message"),
    [
        ("services:\n  app:\n    build: missing\n", "services.app.build.context: .* is not a directory"),
        ("services:\n  app:\n    build: {context: app, dockerfile: nope}\n",
         "services.app.build.dockerfile: .* is not a file"),
        ("services:\n  app:\n    build: [app]\n", "services.app.build: must be a string or a mapping"),
        ("services:\n  app:\n    build: {context: app, args: 3}\n",
         "services.app.build.args: must be a mapping or a list"),
        ("services:\n  app:\n    build: {context: app, args: {A: [1]}}\n",
         "services.app.build.args.A: must be a string"),
        ("services:\n  app:\n    build: {context: app, target: [x]}\n",
         "services.app.build.target: must be a string"),
        ("services:\n  app:\n    build: ${CTX:?set CTX to the app directory}\n",
         "required variable CTX is missing a value: set CTX to the app directory"),
        ("services: []\n", "'services' must be a mapping"),
        ("- a\n", "a compose file is a mapping"),
        ("services:\n  app: 3\n", "services.app must be a mapping"),
    ],
)
def test_bad_compose_is_one_error_naming_the_file(tmp_path: Path, compose: str, message: str) -> None:
    path = project(tmp_path, compose)
    with pytest.raises(ComposeError, match=message) as info:
        load_project(path, {})
    assert info.value.path == str(path)
    assert "\n" not in str(info.value)


# -- ports and probes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ports", "port"),
    [
        ('["8080:80"]', 80),
        ("[3000]", 3000),
        ('["5000"]', 5000),
        ('["127.0.0.1:8080:80/tcp"]', 80),
        ('["127.0.0.1::9000"]', 9000),
        ('["[::1]:8080:8081"]', 8081),
        ('["8000-8001:80-81"]', 80),
        ('["53:53/udp", "8443:443"]', 443),
        ("[{target: 8000, published: '8080', protocol: tcp}]", 8000),
        ("[{target: '7000', host_ip: 127.0.0.1}]", 7000),
        ("[{target: 53, protocol: udp}]", None),
        ("[]", None),
        ('["${API_PORT:-8080}:${CONTAINER_PORT:-80}"]', 80),
    ],
)
def test_probe_port_is_the_first_published_tcp_container_port(
    tmp_path: Path, ports: str, port: int | None
) -> None:
    path = project(tmp_path, f"services:\n  app:\n    build: app\n    ports: {ports}\n")
    (service,) = load_project(path, {}).services
    assert service.port == port
    if port is None:
        assert service.probe is None and service.probe_source == "none"
    else:
        assert service.probe is not None and service.probe.port == port
        assert service.probe_source == "ports"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("ports", '["8080:http"]', "container port 'http' is not a port number"),
        ("ports", '["8080:70000"]', "is not a port number"),
        ("ports", "[{published: 8080}]", "needs 'target'"),
        ("ports", "8080", "must be a list"),
        ("ports", "[[80]]", "must be a string or a mapping"),
        ("x-slimline-probe", "true", "must be false or a mapping"),
        ("x-slimline-probe", "{path: /}", "no port nor command"),
        ("x-slimline-probe", "{port: 80, command: [x]}", "set exactly one of 'port'"),
        ("x-slimline-probe", "{port: 80, colour: red}", "unknown key"),
    ],
)
def test_bad_ports_and_probes(tmp_path: Path, key: str, value: str, message: str) -> None:
    path = project(tmp_path, f"services:\n  app:\n    build: app\n    {key}: {value}\n")
    with pytest.raises(SlimlineError, match=message) as info:
        load_project(path, {})
    assert str(path) in str(info.value)


def test_x_slimline_probe(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "services:\n"
        "  app:\n    build: app\n    ports: ['8000:80']\n"
        "    environment: {MODE: test, FROM_SHELL: null}\n"
        "    command: ['serve']\n"
        "    x-slimline-probe: {path: /health, body_contains: ok, env: {MODE: probe}}\n"
        "  worker:\n    build: app\n    ports: ['8001:80']\n    x-slimline-probe: false\n"
        "  job:\n    build: app\n    environment: [A=1, B]\n"
        "    x-slimline-probe: {command: [python, -c, 'print(1)'], output_contains: '1'}\n",
    )
    app, worker, job = load_project(path, {"B": "2", "FROM_SHELL": "s"}).services
    assert app.probe is not None and app.probe_source == "x-slimline-probe"
    assert (app.probe.port, app.probe.path, app.probe.body_contains) == (80, "/health", "ok")
    assert dict(app.probe.env) == {"MODE": "probe", "FROM_SHELL": "s"}
    assert any("command not applied" in note for note in app.notes)
    assert worker.probe is None and worker.probe_source == "disabled"
    assert job.probe is not None and job.probe.command == ("python", "-c", "print(1)")
    assert dict(job.probe.env) == {"A": "1", "B": "2"}


def test_probe_file_in_the_context_wins_over_ports(tmp_path: Path) -> None:
    path = project(tmp_path, "services:\n  app:\n    build: app\n    ports: ['8000:80']\n")
    (tmp_path / "app" / ".slimline.toml").write_text("[probe]\nport = 5000\npath = '/ok'\n")
    (service,) = load_project(path, {}).services
    assert service.probe is not None and (service.probe.port, service.probe.path) == (5000, "/ok")
    assert service.probe_source.endswith(".slimline.toml")


# -- YAML, hostile ---------------------------------------------------------------------------


def test_anchors_aliases_and_merge_keys_work(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "x-build: &build\n  context: app\n  args: {A: '1'}\n"
        "services:\n"
        "  one:\n    build: *build\n"
        "  two:\n    build:\n      <<: *build\n      target: t\n",
    )
    one, two = load_project(path, {}).services
    assert one.args == two.args == {"A": "1"}
    assert two.target == "t" and one.target is None


def billion_laughs(levels: int = 9) -> str:
    refs = [", ".join([f"*a{i - 1}"] * 9) for i in range(levels + 1)]
    anchors = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{refs[i]}]" for i in range(1, levels + 1)]
    return "\n".join(anchors) + f"\nservices:\n  app:\n    build: app\n    x-bomb: *a{levels}\n"


def merge_bomb(levels: int = 20) -> str:
    anchors = [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 3)}], k{i}: 1}}"
               for i in range(1, levels + 1)]
    return "m0: &m0 {k0: 1}\n" + "\n".join(anchors) + "\nservices: {}\n"


@pytest.mark.parametrize("text", [billion_laughs(), merge_bomb()], ids=["laughs", "merge-keys"])
def test_alias_bombs_are_refused_before_expansion(tmp_path: Path, text: str) -> None:
    path = project(tmp_path, text)
    started = time.monotonic()
    with pytest.raises(ComposeError, match=f"more than {MAX_NODES} nodes"):
        load_project(path, {})
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: &a [*a]\n", "refers to the node that contains it", 1),
        ("services:\n  app:\n    build: app\n  app:\n    build: app\n", "duplicate key 'app'", 4),
        ("services:\n  app: [\n", "invalid YAML", 3),
        ("services:\n\tapp: 1\n", "invalid YAML", 2),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "nested more than", 1),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested", None),
        ("a: !!python/object:os.system x\n", "invalid YAML", 1),
    ],
)
def test_hostile_yaml_is_one_error_with_its_line(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(text)
    with pytest.raises(ComposeError, match=message) as info:
        load_yaml(path)
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line


def test_large_compose_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("# pad\n" * 300_000)
    with pytest.raises(SlimlineError, match="larger than"):
        load_yaml(path)
