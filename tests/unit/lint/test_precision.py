"""Issue 12: findings that were wrong on real-world Dockerfiles, each with a firing and a
silent case that mirror the real pattern."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import slimline.cli.commands  # noqa: F401  (registers the sub-commands)
from slimline.cli.main import cli
from slimline.dockerfile.parser import parse
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile, lint_text


def codes(text: str, **config: list[str]) -> list[str]:
    return [f.code for f in lint_text(text, LintConfig(**config))]  # type: ignore[arg-type]


# -- 1. context rules only on a real build context ---------------------------------------------

_COPY_ALL = "FROM python:3.11-slim\nCOPY requirements.txt .\nCOPY . /app\n"


def test_context_rules_run_where_the_named_sources_are(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "Dockerfile").write_text(_COPY_ALL)
    found = lint_dockerfile(parse(_COPY_ALL, tmp_path / "Dockerfile"), LintConfig(), tmp_path)
    assert "SL203" in [f.code for f in found]


def test_context_rules_skipped_in_a_folder_of_dockerfiles(tmp_path: Path) -> None:
    (tmp_path / "app.Dockerfile").write_text(_COPY_ALL)
    (tmp_path / "web.Dockerfile").write_text("FROM nginx\nCOPY . /usr/share/nginx/html\n")
    result = CliRunner().invoke(cli, ["lint", "--format", "json", str(tmp_path)])
    doc = json.loads(result.output)
    found = [f["code"] for f in doc["files"][0]["findings"] + doc["files"][1]["findings"]]
    assert "SL203" not in found
    assert len(doc["context_rules_skipped"]) == 2
    text = CliRunner().invoke(cli, ["lint", str(tmp_path)]).output
    assert text.count("context rules (SL203-SL207) skipped for 2 files") == 1


def test_context_given_runs_the_context_rules(tmp_path: Path) -> None:
    (tmp_path / "app.Dockerfile").write_text(_COPY_ALL)
    args = ["lint", "--format", "json", "--context", str(tmp_path), str(tmp_path)]
    doc = json.loads(CliRunner().invoke(cli, args).output)
    assert "SL203" in [f["code"] for f in doc["files"][0]["findings"]]
    assert doc["context_rules_skipped"] == []


# -- 2. public signing keys are not secrets ----------------------------------------------------


def test_copying_a_private_key_is_reported() -> None:
    assert "SL303" in codes("FROM debian:bookworm-slim\nCOPY id_rsa /root/.ssh/id_rsa\n")


def test_public_signing_keys_are_not_secrets() -> None:
    text = (
        "FROM debian:bookworm-slim\n"
        "COPY nodesource.gpg.key /tmp/\n"
        "COPY Release.key /tmp/\n"
        "COPY docker.asc /etc/apt/keyrings/docker.asc\n"
        "COPY repo-signing /usr/share/keyrings/repo-archive-keyring\n"
        "COPY microsoft /etc/apt/trusted.gpg.d/\n"
        "COPY RPM-GPG-KEY-EPEL-9 /etc/pki/rpm-gpg/\n"
        "COPY deploy_key.pub /tmp/\n"
    )
    assert "SL303" not in codes(text)


# -- 3. cleanup idioms -------------------------------------------------------------------------

_SAVED_APT_MARK = (
    "FROM debian:bookworm-slim\n"
    "RUN set -eux; \\\n"
    '    savedAptMark="$(apt-mark showmanual)"; \\\n'
    "    apt-get update; \\\n"
    "    apt-get install -y --no-install-recommends gcc libc6-dev make; \\\n"
    "    make -C /usr/src/app install; \\\n"
    "{mark}"
    "    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\\n"
    "    rm -rf /var/lib/apt/lists/*\n"
    'CMD ["/usr/local/bin/app"]\n'
)


def test_toolchain_left_after_an_unrelated_purge_is_reported() -> None:
    assert "SL102" in codes(_SAVED_APT_MARK.format(mark=""))


def test_saved_apt_mark_purge_removes_the_toolchain() -> None:
    mark = "    apt-mark auto '.*' > /dev/null; \\\n    apt-mark manual $savedAptMark; \\\n"
    assert "SL102" not in codes(_SAVED_APT_MARK.format(mark=mark))


_APK_VIRTUAL = (
    "FROM python:3.12-alpine\n"
    "RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \\\n"
    "    && pip install --no-cache-dir psycopg2{delete}\n"
    'CMD ["gunicorn", "app:app"]\n'
)


def test_apk_virtual_build_deps_kept_is_a_single_stage_build() -> None:
    found = codes(_APK_VIRTUAL.format(delete=""))
    assert "SL102" in found and "SL103" in found


def test_apk_virtual_build_deps_deleted_is_not_a_single_stage_build() -> None:
    found = codes(_APK_VIRTUAL.format(delete=" \\\n    && apk del --no-network .build-deps"))
    assert "SL102" not in found and "SL103" not in found


def test_apt_dist_clean_removes_the_lists() -> None:
    run = "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl{}\n"
    assert "SL104" in codes(run.format(" && apt-get clean"))
    assert "SL104" not in codes(run.format(" && apt-get dist-clean"))


def test_apk_no_network_fills_no_cache() -> None:
    assert "SL105" in codes("FROM alpine:3.20\nRUN apk add /tmp/pkgs/foo.apk\n")
    assert "SL105" not in codes("FROM alpine:3.20\nRUN apk add --no-network /tmp/pkgs/foo.apk\n")


def test_rpm_cache_message_names_the_tool_used() -> None:
    found = lint_text("FROM photon:5.0\nRUN tdnf install -y curl\n", LintConfig())
    (sl106,) = [f for f in found if f.code == "SL106"]
    assert "`tdnf`" in sl106.message and "`tdnf clean all`" in (sl106.hint or "")


def test_cache_mounts_for_tdnf_and_zypper() -> None:
    for program, target in (("tdnf", "/var/cache/tdnf"), ("zypper", "/var/cache/zypp")):
        run = f"FROM x:1\nRUN --mount=type=cache,target={target} {program} install -y curl\n"
        assert "SL106" not in codes(run)


# -- 4. command classification -----------------------------------------------------------------


def test_yarn_version_is_not_an_install() -> None:
    base = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN {}\n"
    assert "SL108" in codes(base.format("yarn"))
    assert "SL108" not in codes(base.format("yarn --version"))


def test_xx_apt_get_and_reinstall_are_installs() -> None:
    assert "SL109" in codes("FROM debian:bookworm-slim\nRUN xx-apt-get install -y gcc\n")
    assert "SL109" in codes("FROM debian:bookworm-slim\nRUN apt-get reinstall -y ca-certificates\n")
    assert "SL109" not in codes(
        "FROM debian:bookworm-slim\nRUN apt-get reinstall -y --no-install-recommends curl\n"
    )


def test_apt_get_simulation_needs_no_yes() -> None:
    assert "SL405" in codes("FROM debian:bookworm-slim\nRUN apt-get install curl\n")
    for flag in ("-s", "--simulate", "--dry-run"):
        found = codes(f"FROM debian:bookworm-slim\nRUN apt-get install {flag} curl\n")
        assert "SL405" not in found and "SL109" not in found


def test_go_build_compile_check_is_not_a_shipped_binary() -> None:
    text = "FROM golang:1.22 AS build\nRUN {}\nFROM scratch\nCOPY --from=build /app /app\n"
    assert "SL113" in codes(text.format("go build -o /app ./cmd/app"))
    assert "SL113" not in codes(text.format("go build ./... && go vet ./..."))


def test_scratch_stage_exporting_a_report_ships_no_go_binary() -> None:
    text = (
        "FROM golang:1.22 AS build\nRUN go build -o /app . && go test ./... > /report.txt\n"
        "FROM scratch\nCOPY --from=build {} /\n"
    )
    assert "SL112" in codes(text.format("/app"))
    assert "SL112" not in codes(text.format("/report.txt"))


def test_one_rule_reports_a_run_once() -> None:
    text = "FROM golang:1.22\nRUN go build -o /a ./cmd/a && go build -o /b ./cmd/b\n"
    assert codes(text).count("SL113") == 1


# -- 5. advice that fits -----------------------------------------------------------------------


def _hint(text: str, code: str) -> str:
    return next(f.hint or "" for f in lint_text(text, LintConfig()) if f.code == code)


def test_untagged_base_hint_stays_in_the_family() -> None:
    assert "`debian:bookworm-slim`" in _hint("FROM debian\n", "SL403")
    assert "`alpine:3.20`" in _hint("FROM alpine\n", "SL403")
    assert "runtime stage" in _hint("FROM golang\n", "SL403")
    assert "bookworm" not in _hint("FROM jupyter/base-notebook\n", "SL403")
    windows = _hint("FROM mcr.microsoft.com/windows/servercore\n", "SL403")
    assert "e.g." not in windows and "Windows" in windows


def test_pipefail_hint_has_no_bash_on_alpine() -> None:
    run = "RUN wget -qO- https://example.com/x.tar.gz | tar xz\n"
    assert "/bin/bash" in _hint("FROM debian:bookworm-slim\n" + run, "SL419")
    assert "bash" not in _hint("FROM alpine:3.20\n" + run, "SL419").replace("no bash", "")


_FOUR_RUNS = "RUN apt-get update\nRUN apt-get install -y curl\nRUN mkdir /app\nRUN chmod 700 /app\n"


def test_consecutive_runs_are_one_finding_with_a_hint() -> None:
    found = [f for f in lint_text("FROM debian:bookworm-slim\n" + _FOUR_RUNS) if f.code == "SL111"]
    assert len(found) == 1 and found[0].line == 3 and "lines 2-5" in found[0].message
    assert found[0].hint


def test_long_custom_steps_are_not_joined() -> None:
    long = "RUN ./configure --prefix=/usr/local --enable-optimizations --with-lto --enable-shared\n"
    assert "SL111" not in codes(
        "FROM debian:bookworm-slim\n" + long + long.replace("configure", "build.sh")
    )


def test_no_ampersands_advice_in_powershell() -> None:
    shell = 'SHELL ["powershell", "-Command"]\n'
    runs = "RUN Write-Host a\nRUN Write-Host b\n"
    assert "SL111" in codes("FROM debian:bookworm-slim\n" + runs)
    assert "SL111" not in codes(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n" + shell + runs
    )
    assert "SL111" not in codes(
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n" + runs
    )


def test_no_did_you_mean_expose_for_shell_words() -> None:
    assert "EXPOSE" in _hint("FROM alpine:3.20\nEXPOS 80\n", "SL420")
    for word in ("else", "export"):
        hint = _hint(f"FROM alpine:3.20\nRUN if true; then echo a; \\\n  fi\n{word} X=1\n", "SL420")
        assert "EXPOSE" not in hint and "`\\`" in hint


# -- 6. templates ------------------------------------------------------------------------------


def test_a_template_is_one_clear_error_exit_2(tmp_path: Path) -> None:
    template = tmp_path / "Dockerfile.template"
    template.write_text(
        "FROM %%BASE_IMAGE%%:%%BASE_TAG%%\nENV APP_VERSION %%APP_VERSION%%\n"
        "RUN apt-get update && apt-get install -y %%PACKAGES%%\n"
    )
    result = CliRunner().invoke(cli, ["lint", str(template)])
    assert result.exit_code == 2
    assert "looks like a template (`%%BASE_IMAGE%%`): render it first" in result.output
    assert "SL" not in result.output


def test_go_template_syntax_in_a_run_is_not_a_template(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM alpine:3.20\nRUN apk add --no-cache jq && echo '{{.Id}}' > /fmt\nUSER 65534\n"
    )
    assert CliRunner().invoke(cli, ["lint", str(dockerfile)]).exit_code == 0


# -- 8. runs-as-root: silent where the entrypoint drops privileges, and on Windows ------------


def test_root_entrypoint_without_evidence_is_reported() -> None:
    text = (
        "FROM debian:bookworm-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\n"
        'ENTRYPOINT ["docker-entrypoint.sh"]\n'
    )
    assert "SL301" in codes(text)


def test_entrypoint_that_drops_privileges_is_not_root() -> None:
    official = (
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gosu \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "COPY docker-entrypoint.sh /usr/local/bin/\n"
        'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]\n'
    )
    assert "SL301" not in codes(official)
    direct = 'FROM alpine:3.20\nRUN apk add --no-cache su-exec\nCMD ["su-exec", "app", "/app"]\n'
    assert "SL301" not in codes(direct)
    setpriv = 'FROM debian:bookworm-slim\nENTRYPOINT ["setpriv", "--reuid=1000", "--init-groups", "/app"]\n'
    assert "SL301" not in codes(setpriv)


def test_windows_images_do_not_run_as_root() -> None:
    assert "SL301" not in codes("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe /\n")


# -- 7. image role -----------------------------------------------------------------------------

_TOOLCHAIN_IMAGE = (
    "FROM golang:1.22\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \\\n"
    "    && rm -rf /var/lib/apt/lists/*\n"
    "RUN go install golang.org/x/tools/gopls@latest\n"
    'CMD ["gopls", "serve"]\n'
)
_SIZE = {"SL101", "SL102", "SL103"}


def _lint_at(tmp_path: Path, where: str, config: str | None = None) -> set[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (tmp_path / ".slimline.toml").write_text(config)
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_TOOLCHAIN_IMAGE)
    doc = json.loads(CliRunner().invoke(cli, ["lint", "--format", "json", str(path)]).output)
    return {f["code"] for f in doc["files"][0]["findings"]}


def test_an_app_image_gets_the_size_advice_and_how_to_mark_the_role(tmp_path: Path) -> None:
    assert _lint_at(tmp_path, "Dockerfile") >= _SIZE
    hints = [f.hint or "" for f in lint_text(_TOOLCHAIN_IMAGE) if f.code in _SIZE]
    assert hints and all('role = "toolchain"' in h for h in hints)


def test_a_toolchain_role_silences_the_size_advice(tmp_path: Path) -> None:
    assert not _SIZE & _lint_at(tmp_path, "Dockerfile", 'role = "toolchain"\n')


def test_roles_per_path_glob(tmp_path: Path) -> None:
    config = '[roles]\n"ci/*" = "toolchain"\n'
    assert not _SIZE & _lint_at(tmp_path, "ci/Dockerfile", config)
    assert _lint_at(tmp_path, "app/Dockerfile", config) >= _SIZE


def test_dev_containers_are_toolchains_by_default(tmp_path: Path) -> None:
    assert not _SIZE & _lint_at(tmp_path, ".devcontainer/Dockerfile")
    assert _lint_at(tmp_path / "x", ".devcontainer/Dockerfile", 'role = "app"\n') >= _SIZE


# -- 10. missed ---------------------------------------------------------------------------------


def test_onbuild_run_is_checked_like_a_run() -> None:
    onbuild = "FROM python:3.12-slim\nONBUILD COPY requirements.txt .\nONBUILD RUN pip install -r requirements.txt\n"
    assert "SL107" in codes(onbuild)
    assert "SL107" not in codes(onbuild.replace("pip install", "pip install --no-cache-dir"))


def test_copy_of_a_source_dir_before_install() -> None:
    text = "FROM node:20-slim\nWORKDIR /app\n{}\nRUN npm ci\n"
    assert "SL201" in codes(text.format("COPY app-dir ."))
    assert "SL201" not in codes(text.format("COPY package.json package-lock.json ./"))


def test_platform_from_an_arg_default_is_pinned() -> None:
    pinned = "ARG PLATFORM=linux/amd64\nFROM --platform=$PLATFORM debian:bookworm-slim\n"
    assert "SL425" in codes(pinned)
    assert "SL425" not in codes("ARG PLATFORM\nFROM --platform=$PLATFORM debian:bookworm-slim\n")


def test_no_syntax_error_for_heredocs_and_json_forms() -> None:
    heredoc = "FROM debian:bookworm-slim\nRUN <<'EOF' python3\nprint('a' |)\nEOF\n"
    assert "SL422" not in codes(heredoc)
    assert "SL422" in codes("FROM debian:bookworm-slim\nRUN if true; then echo a\n")


def test_removing_a_base_image_config_is_not_wasted_space() -> None:
    base = "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n"
    assert "SL110" not in codes(base + "RUN rm /etc/nginx/conf.d/default.conf\n")
    assert "SL110" in codes(base + "RUN rm -rf /usr/share/nginx/html/drafts\n")
    apt = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    assert "SL110" in codes(apt + "RUN rm -rf /var/lib/apt/lists/*\n")


def test_manifest_dirs_and_dependencies_installed_first_are_fine() -> None:
    reqs = "FROM python:3.12-slim\nCOPY requirements/ requirements/\nRUN pip install --no-cache-dir -r requirements/prod.txt\n"
    assert "SL201" not in codes(reqs)
    poetry = (
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN poetry install --only main --no-root\nCOPY src ./src\nRUN poetry install --only main\n"
    )
    assert "SL201" not in codes(poetry)
    assert "SL201" in codes(poetry.replace("RUN poetry install --only main --no-root\n", ""))


def test_powershell_on_linux_still_runs_as_root() -> None:
    linux = 'FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04\nSHELL ["pwsh", "-Command"]\nRUN Write-Host hi\nCMD ["pwsh", "-File", "/app/run.ps1"]\n'
    assert "SL301" in codes(linux)
