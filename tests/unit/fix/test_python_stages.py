"""SL103's Python rewrite whatever the base: slim and full bases, named stage chains,
commands, health checks, apt packages and users on distroless, native libraries."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from slimline.dockerfile.parser import parse
from slimline.fix.engine import FixResult, fix_dockerfile
from slimline.fix.model import FixOptions
from slimline.fix.python_stages import trim_command
from slimline.lint.config import LintConfig
from slimline.lint.engine import lint_dockerfile

GUNICORN = """FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
CMD gunicorn --bind 0.0.0.0:8000 app:app
"""

STAGES = """FROM python:3.11-slim AS base
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

FROM base AS dev
RUN pip install --no-cache-dir pytest
COPY . .

FROM base AS final
LABEL org.opencontainers.image.title="x"
COPY . .
HEALTHCHECK CMD curl -fsS http://localhost:8000/health || exit 1
CMD ["gunicorn", "app:app"]
"""


def fix(text: str, tmp_path: Path, runtime: str = "distroless", **options: tuple[str, ...]) -> FixResult:
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("")
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    return fix_dockerfile(
        parse(text, path),
        LintConfig(),
        tmp_path,
        unsafe=True,
        options=FixOptions(runtime=runtime, **options),  # type: ignore[arg-type]
    )


def stages_of(text: str) -> list[str]:
    return [s.base_expanded for s in parse(text).stages]


def test_slim_single_stage_becomes_builder_and_distroless(tmp_path: Path) -> None:
    fixed = fix(GUNICORN, tmp_path).fixed
    assert stages_of(fixed) == ["python:3.11-slim", "gcr.io/distroless/python3-debian12:nonroot"]
    runtime = fixed.split("FROM gcr.io", 1)[1]
    assert "ENV PYTHONUNBUFFERED=1" in runtime and "WORKDIR /app" in runtime
    assert "EXPOSE 8000" in runtime
    # shell form split exactly, the console script run by distroless' python
    assert 'CMD ["-m", "gunicorn", "--bind", "0.0.0.0:8000", "app:app"]' in runtime
    assert "USER" not in runtime  # distroless :nonroot already runs unprivileged


def test_distroless_runtime_owns_what_it_copies(tmp_path: Path) -> None:
    # A Django runserver with its SQLite file in data/ ran as root: as distroless' nonroot
    # user it must still write there, so the context copies are owned by that user.
    text = GUNICORN.replace("COPY requirements.txt .\n", "COPY requirements.txt .\nCOPY data/ data/\n")
    runtime = fix(text, tmp_path).fixed.split("FROM gcr.io", 1)[1]
    assert "COPY --chown=65532:65532 data/ data/\n" in runtime
    assert "COPY --chown=65532:65532 . .\n" in runtime
    assert "COPY --from=builder /opt/venv" in runtime  # the environment stays root's
    assert "--chown" not in fix(text, tmp_path).fixed.split("FROM gcr.io", 1)[0]


def test_cmd_gives_arguments_to_a_python_entrypoint(tmp_path: Path) -> None:
    text = GUNICORN.replace(
        "CMD gunicorn --bind 0.0.0.0:8000 app:app",
        'ENTRYPOINT ["python", "manage.py"]\nCMD ["runserver", "0.0.0.0:8000"]',
    )
    runtime = fix(text, tmp_path).fixed.split("FROM gcr.io", 1)[1]
    assert 'ENTRYPOINT ["/usr/bin/python3.11", "manage.py"]\n' in runtime
    assert 'CMD ["runserver", "0.0.0.0:8000"]' in runtime


DJANGO = """FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=site.settings
RUN python manage.py collectstatic --noinput && python3 manage.py check
CMD ["gunicorn", "site.wsgi"]
"""


def test_python_runs_after_the_install_run_in_the_builder_on_distroless(tmp_path: Path) -> None:
    result = fix(DJANGO, tmp_path)
    builder, runtime = result.fixed.split("FROM gcr.io", 1)
    assert "COPY . .\nENV DJANGO_SETTINGS_MODULE=site.settings\nRUN python manage.py collectstatic" in builder
    assert "COPY --from=builder --chown=65532:65532 /app /app\n" in runtime
    assert "ENV DJANGO_SETTINGS_MODULE=site.settings\n" in runtime  # repeated for the runtime
    assert "RUN" not in runtime and "COPY . ." not in runtime
    assert 'CMD ["-m", "gunicorn", "site.wsgi"]' in runtime
    assert any("line(s) 7 run python in the builder" in (f.note or "") for f in result.applied)


def test_python_runs_after_the_install_run_in_the_builder_on_slim_too(tmp_path: Path) -> None:
    # On slim they could run in the runtime, but as root before the USER: the files they
    # make (a SQLite database) would not be writable by the application.
    runtime = fix(DJANGO, tmp_path, "slim").fixed.split("\nFROM python:3.11-slim\n", 1)[1]
    assert "COPY --from=builder --chown=10001 /app /app\n" in runtime
    assert "manage.py" not in runtime and "USER 10001" in runtime


def test_runs_that_cannot_move_to_the_builder_are_still_refused(tmp_path: Path) -> None:
    for text in (
        DJANGO.replace("&& python3 manage.py check", "&& chmod -R a+r static"),  # not python
        DJANGO.replace("COPY . .", "COPY . .\nCOPY conf /etc/site/"),  # outside the WORKDIR
        DJANGO.replace("WORKDIR /app\n", ""),  # the WORKDIR is /
    ):
        result = fix(text, tmp_path)
        assert len(stages_of(result.fixed)) == 1, text
        assert any("distroless cannot" in note for _l, _c, note in result.notes)


def test_shell_command_that_does_not_split_is_refused(tmp_path: Path) -> None:
    text = GUNICORN.replace("CMD gunicorn --bind 0.0.0.0:8000 app:app", "CMD gunicorn -b 0.0.0.0:$PORT app:app")
    result = fix(text, tmp_path)
    assert stages_of(result.fixed) == ["python:3.11-slim"]
    assert any("with distroless python" in note and "--runtime slim" in note for _l, _c, note in result.notes)
    # on slim the shell stays: the same file is rewritten
    assert len(stages_of(fix(text, tmp_path, "slim").fixed)) == 2


def test_named_stage_chain_rebases_the_shipped_stage(tmp_path: Path) -> None:
    result = fix(STAGES, tmp_path)
    fixed = result.fixed
    df = parse(fixed)
    assert [(s.name, s.base_expanded) for s in df.stages] == [
        ("base", "python:3.11-slim"),
        ("dev", "base"),
        ("base-venv", "base"),
        ("final", "gcr.io/distroless/python3-debian12:nonroot"),
    ]
    final = fixed.split("AS final", 1)[1]
    assert "COPY --from=base-venv /opt/venv/lib/python3.11/site-packages" in final
    assert 'LABEL org.opencontainers.image.title="x"' in final and "WORKDIR /app" in final
    # curl cannot run on distroless: the health check is dropped, with the reason
    assert "HEALTHCHECK" not in final
    assert "curl" not in final
    notes = " ".join(f.note or "" for f in result.applied)
    assert "HEALTHCHECK on line 14 dropped" in notes and "curl (installed on line 3)" in notes
    # dev still installs into the shared environment: pip is kept there, and the runtime
    # copies the environment from a stage that removes the packaging tools
    base, dev = (fixed.split("FROM base AS dev", 1)[0], fixed.split("FROM base AS dev", 1)[1])
    assert "pip uninstall" not in base
    assert "pip uninstall" not in dev.split("FROM base AS base-venv")[0]
    assert f"FROM base AS base-venv\nRUN {trim_command()}\n\nFROM gcr.io/" in fixed


def test_named_stage_chain_on_slim_keeps_curl_and_the_health_check(tmp_path: Path) -> None:
    fixed = fix(STAGES, tmp_path, "slim").fixed
    final = fixed.split("AS final", 1)[1]
    assert "apt-get install -y --no-install-recommends curl" in final
    assert "HEALTHCHECK CMD curl" in final
    assert "COPY --from=base-venv /opt/venv /opt/venv" in final


def test_runtime_apt_package_is_refused_on_distroless(tmp_path: Path) -> None:
    text = GUNICORN.replace("WORKDIR /app\n", "WORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu && rm -rf /var/lib/apt/lists/*\n")
    result = fix(text, tmp_path)
    assert len(stages_of(result.fixed)) == 1
    assert any("installs fonts-dejavu" in n and "--runtime slim" in n for _l, _c, n in result.notes)
    slim = fix(text, tmp_path, "slim").fixed
    # a RUN that installs only runtime packages moves to the runtime stage as written
    assert slim.count("fonts-dejavu") == 1
    assert slim.index("fonts-dejavu") > slim.index("\nFROM python:3.11-slim\n")


def test_a_declined_rewrite_leaves_no_finding_lint_does_not_report(tmp_path: Path) -> None:
    """The rewrite of a slim base runs on a finding made for the fix only: when it
    declines, what remains is what lint reports, not that finding."""
    text = GUNICORN.replace("WORKDIR /app\n", "WORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu && rm -rf /var/lib/apt/lists/*\n")
    result = fix(text, tmp_path)
    assert result.notes and result.fixed.count("\nFROM ") == text.count("\nFROM ")
    linted = lint_dockerfile(parse(result.fixed, tmp_path / "Dockerfile"), LintConfig(), tmp_path)
    assert [f.code for f in result.remaining] == [f.code for f in linted]
    assert "SL103" not in {f.code for f in result.remaining}


def test_native_libraries_from_optimize(tmp_path: Path) -> None:
    slim = fix(GUNICORN, tmp_path, "slim", runtime_packages=("libpq5",)).fixed
    runtime = slim.split("\nFROM python:3.11-slim\n", 1)[1]
    assert "apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*" in runtime
    libs = ("/usr/lib/x86_64-linux-gnu/libpq.so.5", "/usr/lib/x86_64-linux-gnu/libldap-2.5.so.0")
    distroless = fix(GUNICORN, tmp_path, runtime_libraries=libs).fixed
    assert (
        "COPY --from=builder /usr/lib/x86_64-linux-gnu/libldap-2.5.so.0 "
        "/usr/lib/x86_64-linux-gnu/libpq.so.5 /usr/lib/x86_64-linux-gnu/" in distroless
    )


def test_secret_variables_stay_out_of_the_runtime(tmp_path: Path) -> None:
    text = GUNICORN.replace("ENV PYTHONUNBUFFERED=1", "ENV API_KEY=sk-test-0000")
    result = fix(text, tmp_path)
    runtime = result.fixed.split("FROM gcr.io", 1)[1]
    assert "API_KEY" not in runtime
    assert any("API_KEY" in (f.note or "") for f in result.applied)


def test_twice_is_a_no_op(tmp_path: Path) -> None:
    for text in (GUNICORN, STAGES):
        for runtime in ("slim", "distroless"):
            once = fix(text, tmp_path, runtime).fixed
            assert fix(once, tmp_path, runtime).fixed == once


def test_other_bases_are_left_alone(tmp_path: Path) -> None:
    text = GUNICORN.replace("FROM python:3.11-slim", "FROM ubuntu:22.04")
    assert len(stages_of(fix(text, tmp_path).fixed)) == 1


def _dist(site: Path, name: str, requires: tuple[str, ...] = ()) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    lines = [f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"]
    lines += [f"Requires-Dist: {r}\n" for r in requires]
    (info / "METADATA").write_text("".join(lines))


def test_trim_keeps_setuptools_when_a_package_requires_it(tmp_path: Path) -> None:
    # The command's python code, run by a real (empty) virtualenv's interpreter on the
    # distributions it sees, with a stand-in pip that records what it is asked to uninstall:
    # pip always goes; setuptools and wheel only when no distribution requires them.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "pip").mkdir()
    (site / "pip" / "__main__.py").write_text("import sys\nprint(*sys.argv[1:])\n")
    match = re.fullmatch(r'\S+/bin/python -c "(.*)"', trim_command(str(venv)))
    assert match is not None
    code = match.group(1)

    def uninstalled() -> str:
        run = [str(venv / "bin" / "python"), "-c", code]
        return subprocess.run(run, capture_output=True, text=True, check=True).stdout.strip()

    assert uninstalled() == "uninstall --yes --quiet pip"
    _dist(site, "setuptools")
    _dist(site, "wheel")
    _dist(site, "flask", ("Werkzeug>=3.0", "click>=8.1.3"))
    assert uninstalled() == "uninstall --yes --quiet pip setuptools wheel"
    _dist(site, "gunicorn", ("setuptools>=3.0", 'eventlet; extra == "eventlet"'))
    assert uninstalled() == "uninstall --yes --quiet pip wheel"
    # no importlib.metadata before Python 3.8
    assert trim_command(version="3.7") == "/opt/venv/bin/python -m pip uninstall --yes --quiet pip"


def test_the_trim_stage_runs_as_root_when_the_builder_changed_user(tmp_path: Path) -> None:
    text = STAGES.replace(
        "RUN pip install --no-cache-dir -r requirements.txt\n",
        "RUN pip install --no-cache-dir -r requirements.txt\nUSER 1000\n",
    )
    fixed = fix(text, tmp_path).fixed
    assert f"FROM base AS base-venv\nUSER root\nRUN {trim_command()}\n" in fixed
    # a stage already named base-venv: the trim stage takes the next free name
    taken = fix(STAGES.replace("AS dev", "AS base-venv"), tmp_path)
    assert "FROM base AS base-venv2\n" in taken.fixed and "COPY --from=base-venv2 " in taken.fixed
