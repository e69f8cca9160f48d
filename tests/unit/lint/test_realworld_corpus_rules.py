"""Findings judged wrong on the labelled real-world corpus (tests/realworld), each rule
change with a firing and a silent case that mirror the real pattern."""

from __future__ import annotations

from pathlib import Path

from slimline.dockerfile.parser import parse
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile, lint_text


def codes(text: str, config: LintConfig | None = None) -> list[str]:
    return [f.code for f in lint_text(text, config or LintConfig())]


# -- images made to be built on: SL101, SL102, SL103 and SL301 -------------------------------

_TOOLCHAIN = (
    "FROM buildpack-deps:bookworm-scm\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make \\\n"
    "    && rm -rf /var/lib/apt/lists/*\n"
)


def test_a_base_image_with_no_start_of_its_own_is_a_toolchain() -> None:
    # buildpack-deps, golang, rust, CI images: no CMD/ENTRYPOINT, nothing copied in.
    assert not {"SL101", "SL102", "SL301"} & set(codes(_TOOLCHAIN))
    app = _TOOLCHAIN + 'COPY server /usr/src/server\nCMD ["/usr/src/server/run"]\n'
    assert {"SL101", "SL102", "SL301"} <= set(codes(app))


def test_a_shell_or_repl_start_is_a_base_image() -> None:
    repl = "FROM buildpack-deps:bookworm\n{}"
    for start in (
        'CMD ["python3"]\n',
        'CMD [ "irb" ]\n',
        'CMD ["php", "-a"]\n',
        'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD [ "node" ]\n',
        "CMD bash -l\n",
    ):
        assert not {"SL101", "SL301"} & set(codes(repl.format(start))), start
    for start in (
        'CMD ["python3", "app.py"]\n',
        'ENTRYPOINT ["tini", "--", "start.sh"]\n',
        'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD []\n',
        'CMD ["sh", "-c", "serve"]\n',
    ):
        assert {"SL101", "SL301"} <= set(codes(repl.format(start))), start


def test_copying_the_context_makes_an_application_whatever_the_start() -> None:
    text = 'FROM python:3.12\nCOPY . /app\nCMD ["python3"]\n'
    assert {"SL101", "SL301"} <= set(codes(text))


def test_a_shell_start_with_its_program_copied_in_is_an_application() -> None:
    text = 'FROM alpine:3.20\nRUN apk add --no-cache build-base ruby-dev\nCOPY scripts/verify.sh /verify.sh\nENTRYPOINT ["/sbin/tini", "-g", "sh"]\n'
    assert "SL102" in codes(text)
    assert "SL102" not in codes(text.replace("COPY scripts/verify.sh /verify.sh\n", ""))


def test_helper_programs_and_dotfiles_copied_in_keep_a_base_image() -> None:
    text = (
        "FROM buildpack-deps:jammy\nCOPY install-packages /usr/bin/\n"
        "COPY default.gitconfig /home/gitpod/.gitconfig\n"
    )
    assert "SL101" not in codes(text)
    assert "SL101" in codes(text + "COPY app /srv/app\n")


def test_a_configured_app_role_brings_the_findings_back() -> None:
    found = codes(_TOOLCHAIN, LintConfig(role="app"))
    assert {"SL101", "SL102", "SL301"} <= set(found)


# -- SL301: the user of an image that is not known ------------------------------------------


def test_runs_as_root_unless_the_base_is_known_to_set_its_user() -> None:
    app = 'FROM {}\nCOPY app /app\nCMD ["/app/run"]\n'
    for base in (
        "debian:bookworm-slim",
        "fedora:40",
        "minio/minio:latest",
        "scratch",
        "registry.example.com/custom:1",
        "mirror.example/docker/library/ubuntu:24.04",
    ):
        assert "SL301" in codes(app.format(base)), base
    for base in (
        "cimg/base:2024.01",
        "jenkins/jenkins:lts",
        "quay.io/jupyter/base-notebook",
        "haproxy:3.0",
        "bitnami/nginx:1.27",
        "gcr.io/distroless/static-debian12:nonroot",
    ):
        assert "SL301" not in codes(app.format(base)), base


def test_dev_containers_are_not_told_to_switch_user() -> None:
    text = (
        'FROM mcr.microsoft.com/devcontainers/base:bookworm\nUSER root\nCMD ["sleep", "infinity"]\n'
    )
    assert "SL301" in codes(text)
    (found,) = [
        lint_dockerfile(parse(text, Path("/p/.devcontainer/Dockerfile")), LintConfig(), None)
    ]
    assert "SL301" not in [f.code for f in found]


# -- SL102 / SL109: build dependencies purged with what they pulled in ----------------------

_POSTGRES = (
    "FROM debian:bookworm-slim\n"
    "RUN set -ex; \\\n"
    '    savedAptMark="$(apt-mark showmanual)"; \\\n'
    "    apt-get update; \\\n"
    "    apt-get install -y --no-install-recommends dpkg-dev; \\\n"
    "    apt-get build-dep -y postgresql-common; \\\n"
    "{mark}"
    "    apt-get purge -y --auto-remove; \\\n"
    "    rm -rf /var/lib/apt/lists/*\n"
    'CMD ["postgres"]\n'
)


def test_apt_mark_showmanual_through_xargs_is_the_purge_idiom() -> None:
    mark = "    apt-mark showmanual | xargs apt-mark auto > /dev/null; \\\n    apt-mark manual $savedAptMark; \\\n"
    found = codes(_POSTGRES.format(mark=mark))
    assert "SL102" not in found and "SL109" not in found
    kept = codes(_POSTGRES.format(mark=""))
    assert "SL102" in kept and "SL109" in kept


# -- SL202 / SL104: installs the rule could not see -------------------------------------------


def test_update_used_by_xargs_an_install_script_or_a_wrapper() -> None:
    base = "FROM ubuntu:24.04\nRUN apt-get update; {}; rm -rf /var/lib/apt/lists/*\n"
    for used in (
        "xargs -rt apt-get install -y --no-install-recommends < deps.txt",
        "bash /tmp/library-scripts/common-debian.sh",
        "install-packages docker-ce",
    ):
        assert "SL202" not in codes(base.format(used)), used
    assert "SL202" in codes(base.format("apt-get purge -y imagemagick"))


def test_install_packages_removes_the_lists_itself() -> None:
    text = 'FROM buildpack-deps:jammy\nRUN apt update && {}\nCMD ["/app"]\n'
    assert "SL104" not in codes(text.format("install-packages docker-ce"))
    assert "SL104" in codes(text.format("apt install -y --no-install-recommends docker-ce"))


# -- SL201: helper programs and context files are not source trees ----------------------------


def test_a_helper_program_or_a_context_file_is_not_a_source_tree(tmp_path: Path) -> None:
    text = (
        "FROM python:3.12-slim\nCOPY fix-permissions /usr/local/bin/fix-permissions\n"
        "COPY initial-condarc /opt/conda/.condarc\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
    )
    (tmp_path / "initial-condarc").write_text("channels: []\n")
    (tmp_path / "fix-permissions").write_text("#!/bin/sh\n")
    found = lint_dockerfile(parse(text, tmp_path / "Dockerfile"), LintConfig(), tmp_path)
    assert "SL201" not in [f.code for f in found]
    (tmp_path / "app").mkdir()
    tree = text.replace("COPY initial-condarc", "COPY app /app\nCOPY initial-condarc")
    found = lint_dockerfile(parse(tree, tmp_path / "Dockerfile"), LintConfig(), tmp_path)
    assert "SL201" in [f.code for f in found]


# -- SL303: a public key copied under a public-key name ----------------------------------------


def test_a_key_copied_to_a_pub_file_is_public() -> None:
    assert "SL303" not in codes("FROM debian\nCOPY jenkins.io-2026.key /war/jenkins-key.pub\n")
    assert "SL303" in codes("FROM debian\nCOPY server.key /etc/ssl/private/server.key\n")


def test_an_interpreter_entrypoint_with_a_cmd_runs_a_program() -> None:
    # `ENTRYPOINT ["python"]` + `CMD ["app.py"]`: Docker runs `python app.py`, an
    # application (the optimize rewrite keeps this shape), not a REPL to build on
    base = "FROM python:3.11-slim\nRUN pip install --no-cache-dir flask\n"
    assert "SL301" in codes(base + 'ENTRYPOINT ["python"]\nCMD ["app.py"]\n')
    assert "SL301" in codes(base + 'ENTRYPOINT ["python"]\nCMD ["-m", "http.server"]\n')
    assert "SL301" not in codes(base + 'ENTRYPOINT ["python"]\n')  # the REPL
    assert "SL301" not in codes(base + 'ENTRYPOINT ["python"]\nCMD ["-i"]\n')


def test_a_quick_file_that_keeps_its_apt_lists_is_an_application() -> None:
    # no CMD yet, but its layers keep the apt lists: not a curated base image, so the
    # size and user rules stay on (a base image made to be built on removes them)
    text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y build-essential\n"
    assert {"SL102", "SL301"} <= set(codes(text))
