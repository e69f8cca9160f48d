"""One Dockerfile per rule that fires it and one that does not (see test_rule_cases.py).

Most come from the rule's own ``## Bad`` and ``## Good`` examples, completed with a
FROM where the example is a fragment. Context rules bring a small build context.
A new rule needs an entry here, or test_every_rule_has_cases fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from slimline.dockerfile.model import Dockerfile
from slimline.dockerfile.parser import parse


@dataclass(frozen=True)
class Case:
    dockerfile: str
    #: Files of the build context (path -> text); None: lint without a context.
    context: dict[str, str] | None = None
    #: Sparse files of the build context (path -> size in bytes).
    sparse: dict[str, int] = field(default_factory=dict)
    #: LintConfig fields besides ``select``.
    config: dict[str, list[str]] = field(default_factory=dict)

    def write(self, directory: Path) -> Path:
        """Write the Dockerfile (and the context) into ``directory``; the Dockerfile's path."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in (self.context or {}).items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text(text, encoding="utf-8")
        for name, size in self.sparse.items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            with (directory / name).open("wb") as f:
                f.truncate(size)
        (directory / "Dockerfile").write_text(self.dockerfile, encoding="utf-8")
        return directory / "Dockerfile"

    @property
    def has_context(self) -> bool:
        return self.context is not None or bool(self.sparse)


def parse_case(path: Path) -> Dockerfile:
    """Parse a written case. Cases are fragments (many have no FROM, as in hadolint's specs),
    which ``parse_file`` refuses as a build would, so they go through ``parse``."""
    return parse(path.read_text(encoding="utf-8"), path)


def case_of(code: str, index: int) -> Case:
    """The firing (0) or silent (1) case of a rule."""
    case = RULE_CASES[code][index]
    return Case(case) if isinstance(case, str) else case


_IGNORE_PY = ".git\n__pycache__\n*.pyc\n.venv\n.env\n.env.*\nDockerfile*\n"

#: Regressions from the sample-app/open-source half of the real-world corpus: per rule,
#: a case that must still fire and one, shaped like a finding judged wrong, that must not.
OSS_CORPUS_CASES: list[tuple[str, Case | str, Case | str]] = [
    (
        "SL113",
        (
            "FROM golang:1.22 AS build\nRUN go install example.com/tools/cmd/server@v1\n"
            "FROM alpine:3.20\nCOPY --from=build /go/bin/server /usr/bin/server\n"
        ),
        (  # minio: a helper installed beside the downloaded binaries, which alone ship
            "FROM golang:1.22 AS build\nENV GOPATH=/go\n"
            "RUN go install aead.dev/minisign/cmd/minisign@v0.2.1\n"
            "RUN curl -o /go/bin/minio https://dl.example.com/minio && minisign -Vm /go/bin/minio\n"
            "FROM alpine:3.20\nCOPY --from=build /go/bin/minio* /usr/bin/\n"
        ),
    ),
    (
        "SL112",
        (
            "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nRUN mv /out/app /app\n"
            'FROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n'
        ),
        (  # buildx/buildkit govulncheck.Dockerfile: only the report leaves the run stage
            "FROM golang:1.22-alpine AS base\n"
            "RUN go install golang.org/x/vuln/cmd/govulncheck@v1.1.0\n"
            "FROM base AS run\nRUN mkdir /out && govulncheck ./... > /out/vulns.sarif || true\n"
            'FROM scratch\nCOPY --from=run /out /\nENTRYPOINT ["/nothing"]\n'
        ),
    ),
    (
        "SL115",
        "FROM alpine:3.20 AS tools\nFROM scratch\nCOPY --from=tools /lib /lib\nRUN rm -rf /x\n",
        # syft's image-files-deleted fixture: /bin (with sh) is copied in first
        "FROM alpine:3.20 AS tools\nFROM scratch\nCOPY --from=tools /bin /bin\nRUN rm -rf /x\n",
    ),
    (
        "SL201",
        "FROM node:20-slim\nWORKDIR /app\nCOPY src/ src/\nCOPY package.json .\nRUN npm ci\n",
        (  # loki operator: `COPY api/ api/` is go.mod's `replace => ./api` module
            "FROM golang:1.22 AS build\nWORKDIR /w\nCOPY api/ api/\n"
            "COPY go.mod go.sum ./\nRUN go mod download\n"
        ),
    ),
    (
        "SL201",
        "FROM mambaorg/micromamba:1.5\nCOPY app/ app/\nRUN micromamba install -y -f app/env.yml\n",
        (  # jupyter docker-stacks-foundation: named packages, no manifest
            "FROM ubuntu:24.04\nCOPY fix-permissions /usr/local/bin/fix-permissions\n"
            "RUN micromamba install --yes jupyter_core conda python && fix-permissions /opt/conda\n"
        ),
    ),
    (
        "SL303",
        "FROM debian:bookworm-slim\nCOPY certs/server.key /etc/ssl/private/server.key\n",
        (  # overleaf web: an intermediate CA certificate added to the trust store
            "FROM debian:bookworm-slim\n"
            "COPY certs/DigiCert-CA1.crt.pem /usr/local/share/ca-certificates/DigiCert-CA1.crt\n"
        ),
    ),
    (
        "SL204",
        Case(
            "FROM golang:1.22\nCOPY . /src\n",
            {".dockerignore": ".git\n", "main.go": "", "build/out.bin": "x"},
        ),
        Case(  # buildkit/buildx: `build/` is a Go package of the project, not build output
            "FROM golang:1.22\nCOPY . /src\n",
            {".dockerignore": ".git\n", "main.go": "", "build/build.go": "package build\n"},
        ),
    ),
    (
        "SL301",
        "FROM quay.io/someone/notebook:1.0\nRUN pip install --no-cache-dir jax\n"
        'COPY notebooks/ /home/work/\nCMD ["start-notebook.py"]\n',
        # jupyter's recipes: the base image's own USER (jovyan) stays in force
        "ARG BASE_IMAGE=quay.io/jupyter/base-notebook\nFROM $BASE_IMAGE\nRUN pip install jax\n"
        'COPY notebooks/ /home/work/\nCMD ["start-notebook.py"]\n',
    ),
    (
        "SL301",
        'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n',
        # loki's operator bundle: manifests on scratch, nothing runs in it
        "FROM scratch\nLABEL operators.operatorframework.io.bundle.package.v1=loki\n"
        "COPY manifests /manifests/\n",
    ),
    (
        "SL301",
        'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\nENTRYPOINT ["postgres"]\n',
        # testdriven's db image: the official entrypoint runs postgres through gosu
        "FROM postgres:16\nCOPY create.sql /docker-entrypoint-initdb.d\n",
    ),
    (
        "SL102",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y golang && go build -o /x .\n",
        (  # buildkit's testfile-line: the packages added are purged by a dpkg -l diff
            "FROM debian:bookworm-slim\nRUN dpkg -l | awk '{print $2}' > /tmp/a \\\n"
            "  && apt-get update && apt-get install -y golang && go build -o /x . \\\n"
            "  && dpkg -l | awk '{print $2}' > /tmp/b \\\n"
            "  && apt-get remove --purge -y $(diff /tmp/a /tmp/b | awk '/^>/ {print $2}') \\\n"
            "  && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    (
        "SL203",
        Case(
            "FROM golang:1.22 AS build\nCOPY . /src/app\nWORKDIR /src/app\nRUN go build -o app .\n"
            "FROM alpine:3.20\nCOPY --from=build /src/app/app /usr/bin/app\n",
            {"main.go": "package main\n"},
        ),
        Case(  # loki cmd/logcli/Dockerfile (here cmd/tool/), built from the repository root
            "FROM golang:1.22 AS build\nCOPY . /src/loki\nWORKDIR /src/loki\nRUN make logcli\n"
            "FROM alpine:3.20\nCOPY --from=build /src/loki/cmd/tool/logcli /usr/bin/logcli\n",
            {"main.go": "package main\n"},
        ),
    ),
]

#: code -> (a case where the rule fires, a case where it stays silent)
RULE_CASES: dict[str, tuple[Case | str, Case | str]] = {
    "SL101": (
        # (a single-stage python:3.11 build fires too, but its fix is SL103's rewrite)
        'FROM debian:bookworm\nCOPY app /app\nCMD ["/app"]\n',
        ('FROM python:3.11-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n'),
    ),
    "SL102": (
        (
            "FROM python:3.11-slim\n"
            "RUN apt-get update && apt-get install -y gcc libpq-dev && pip install psycopg2\n"
            'CMD ["gunicorn", "app:app"]\n'
        ),
        (
            "FROM python:3.11-slim AS build\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev\n"
            "RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir psycopg2\n"
            "\n"
            "FROM python:3.11-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
            "COPY --from=build /opt/venv /opt/venv\n"
        ),
    ),
    "SL103": (
        (
            "FROM python:3.11\n"
            "WORKDIR /app\n"
            "COPY requirements.txt .\n"
            "RUN pip install -r requirements.txt\n"
            "COPY . .\n"
            'CMD ["python", "app.py"]\n'
        ),
        (
            "FROM python:3.11 AS builder\n"
            "RUN python -m venv /opt/venv\n"
            'ENV PATH="/opt/venv/bin:$PATH"\n'
            "COPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n"
            "\n"
            "FROM python:3.11-slim\n"
            "COPY --from=builder /opt/venv /opt/venv\n"
            'ENV PATH="/opt/venv/bin:$PATH"\n'
            "COPY . /app\n"
            'CMD ["python", "/app/app.py"]\n'
        ),
    ),
    "SL104": (
        (
            "FROM debian:bookworm-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends curl\n"
        ),
        (
            "RUN apt-get update \\\n"
            "    && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL105": (
        ("FROM debian:bookworm-slim\nRUN apk update && apk add curl\n"),
        "RUN apk add --no-cache curl\n",
    ),
    "SL106": (
        ("FROM debian:bookworm-slim\nRUN dnf install -y httpd\n"),
        "RUN dnf install -y httpd && dnf clean all\n",
    ),
    "SL107": (
        ("FROM debian:bookworm-slim\nRUN pip install -r requirements.txt\n"),
        "RUN pip install --no-cache-dir -r requirements.txt\n",
    ),
    "SL108": (
        ("FROM debian:bookworm-slim\nRUN yarn install --frozen-lockfile\n"),
        "RUN yarn install --frozen-lockfile && yarn cache clean\n",
    ),
    "SL109": (
        (
            "FROM debian:bookworm-slim\n"
            "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        ),
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL110": (
        (
            "FROM debian:bookworm-slim\n"
            "RUN apt-get update\n"
            "RUN apt-get install -y curl\n"
            "RUN apt-get clean\n"
            "RUN rm -rf /var/lib/apt/lists/*\n"
        ),
        (
            "RUN apt-get update && \\\n"
            "    apt-get install -y --no-install-recommends curl && \\\n"
            "    apt-get clean && \\\n"
            "    rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL111": (
        (
            "FROM debian:bookworm-slim\n"
            "RUN apt-get update\n"
            "RUN apt-get install -y --no-install-recommends curl\n"
        ),
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL112": (
        (
            "FROM golang:1.22 AS build\n"
            "RUN go build -o /server .\n"
            "FROM scratch\n"
            "COPY --from=build /server /server\n"
        ),
        (
            "FROM golang:1.22 AS build\n"
            'RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /server .\n'
            "FROM scratch\n"
            "COPY --from=build /server /server\n"
        ),
    ),
    "SL113": (
        ("FROM debian:bookworm-slim\nRUN CGO_ENABLED=0 go build -o /server .\n"),
        'RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /server .\n',
    ),
    "SL114": (
        ("FROM debian:bookworm-slim\nRUN npm ci --omit=dev\n"),
        "RUN npm ci --omit=dev && npm cache clean --force\n",
    ),
    "SL115": (
        ("FROM gcr.io/distroless/python3-debian12\nCMD python app.py\n"),
        ('FROM gcr.io/distroless/python3-debian12\nCMD ["app.py"]\n'),
    ),
    "SL201": (
        Case(
            "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
            {".dockerignore": _IGNORE_PY, "requirements.txt": "flask\n", "app.py": ""},
        ),
        ("COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"),
    ),
    "SL202": (
        (
            "FROM debian:bookworm-slim\n"
            "RUN apt-get update\n"
            "RUN apt-get install -y --no-install-recommends curl\n"
        ),
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL301": (
        ('FROM python:3.11-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n'),
        (
            "FROM python:3.11-slim\n"
            "RUN useradd --system --uid 10001 app\n"
            "COPY . /app\n"
            "USER app\n"
            'CMD ["python", "/app/main.py"]\n'
        ),
    ),
    "SL302": (
        ("ARG NPM_TOKEN\nENV DATABASE_PASSWORD=hunter2\n"),
        'RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci\n',
    ),
    "SL303": (
        ("COPY .npmrc /root/.npmrc\nRUN npm ci && rm /root/.npmrc\n"),
        "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
    ),
    "SL304": (
        "RUN pip install --index-url https://deploy:s3cret@pypi.example.com/simple app\n",
        "RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf pip install app\n",
    ),
    "SL305": (
        ("USER app\nRUN sudo apt-get update\n"),
        (
            "USER root\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
            "USER app\n"
        ),
    ),
    "SL401": (
        ("FROM python:3.12-slim\nWORKDIR app\n"),
        ("FROM python:3.12-slim\nWORKDIR /app\nWORKDIR static\n"),
    ),
    "SL402": (
        "RUN cd /src && make install\n",
        ("WORKDIR /src\nRUN make install\n"),
    ),
    "SL403": (
        "FROM ubuntu\n",
        "FROM ubuntu:24.04\n",
    ),
    "SL404": (
        "FROM node:latest\n",
        "FROM node:20-bookworm-slim\n",
    ),
    "SL405": (
        "RUN apt-get update && apt-get install --no-install-recommends curl\n",
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL406": (
        "ADD requirements.txt /app/\n",
        (
            "COPY requirements.txt /app/\n"
            "ADD https://example.com/tool.tar.gz /opt/\n"
            "ADD app-bundle.tar.gz /opt/app/\n"
        ),
    ),
    "SL407": (
        "COPY package.json package-lock.json /app\n",
        "COPY package.json package-lock.json /app/\n",
    ),
    "SL408": (
        (
            "FROM golang:1.22 AS builder\n"
            "FROM gcr.io/distroless/static-debian12\n"
            "COPY --from=buidler /out/app /app\n"
        ),
        (
            "FROM golang:1.22 AS builder\n"
            "FROM gcr.io/distroless/static-debian12\n"
            "COPY --from=builder /out/app /app\n"
        ),
    ),
    "SL409": (
        ("FROM alpine:3.20 AS app\nCOPY --from=app /etc/hostname /copy\n"),
        (
            "FROM alpine:3.20 AS base\n"
            "FROM alpine:3.20 AS app\n"
            "COPY --from=base /etc/hostname /copy\n"
        ),
    ),
    "SL410": (
        ("FROM golang:1.22 AS build\nFROM node:20 AS build\n"),
        ("FROM golang:1.22 AS build-go\nFROM node:20 AS build-web\n"),
    ),
    "SL411": (
        "CMD gunicorn app:app --bind 0.0.0.0:8000\n",
        'CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]\n',
    ),
    "SL412": (
        "RUN apt update && apt install -y curl\n",
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL413": (
        "ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin\n",
        ("ENV APP_HOME=/srv/app\nENV APP_BIN=$APP_HOME/bin\n"),
    ),
    "SL414": (
        ("FROM python:3.12-slim\nCOPY requirements.txt .\n"),
        ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"),
    ),
    "SL415": (
        ("ENV PYTHONUNBUFFERED=1\nFROM python:3.12-slim\n"),
        ("ARG PY=3.12\nFROM python:${PY}-slim\nENV PYTHONUNBUFFERED=1\n"),
    ),
    "SL416": (
        "MAINTAINER Jane Doe <jane@example.com>\n",
        'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n',
    ),
    "SL417": (
        ('FROM debian:bookworm-slim\nCMD ["nginx"]\nCMD ["nginx", "-g", "daemon off;"]\n'),
        'CMD ["nginx", "-g", "daemon off;"]\n',
    ),
    "SL418": (
        (
            "FROM debian:bookworm-slim\n"
            'ENTRYPOINT ["/docker-entrypoint.sh"]\n'
            'ENTRYPOINT ["tini", "--"]\n'
        ),
        'ENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]\n',
    ),
    "SL419": (
        "RUN curl -fsSL https://example.com/install.sh | sh\n",
        (
            "FROM debian:bookworm-slim\n"
            'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
            "RUN curl -fsSL https://example.com/install.sh | bash\n"
        ),
    ),
    "SL420": (
        ("FROM alpine:3.20\nRUNN apk add --no-cache curl\n"),
        ("FROM alpine:3.20\nRUN apk add --no-cache curl\n"),
    ),
    "SL421": (
        "CMD ['python', 'app.py']\n",
        'CMD ["python", "app.py"]\n',
    ),
    "SL422": (
        "FROM debian:bookworm-slim\nRUN echo hi |\n",
        "FROM debian:bookworm-slim\nRUN echo hi | tee /greeting\n",
    ),
    "SL423": (
        "FROM debian:bookworm-slim\nRUN wget https://example.com/big.tar.gz\n",
        "FROM debian:bookworm-slim\nRUN wget --progress=dot:giga https://example.com/big.tar.gz\n",
    ),
    "SL424": (
        (
            "FROM debian:bookworm-slim\n"
            "RUN wget -q https://example.com/a.tar.gz\n"
            "RUN curl -fsSLO https://example.com/b.tar.gz\n"
        ),
        (
            "FROM debian:bookworm-slim AS fetch\n"
            "RUN wget -q https://example.com/a.tar.gz\n"
            "FROM debian:bookworm-slim\n"
            "RUN curl -fsSLO https://example.com/b.tar.gz\n"
        ),
    ),
    "SL425": (
        "FROM --platform=linux/amd64 debian:bookworm-slim\n",
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
    ),
    "SL501": (
        "RUN apt-get update && apt-get install -y --no-install-recommends curl\n",
        (
            "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        ),
    ),
    "SL502": (
        "RUN pip install --no-cache-dir flask gunicorn\n",
        "RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0\n",
    ),
    "SL503": (
        "RUN npm install -g typescript\n",
        "RUN npm install -g typescript@5.5.4\n",
    ),
    "SL504": (
        "RUN apk add --no-cache curl\n",
        "RUN apk add --no-cache curl=8.9.1-r0\n",
    ),
    "SL505": (
        "RUN gem install --no-document bundler\n",
        "RUN gem install --no-document bundler -v 2.5.16\n",
    ),
    "SL506": (
        "RUN dnf install -y httpd && dnf clean all\n",
        "RUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    ),
    "SL203": (
        Case("FROM python:3.11-slim\nCOPY . /app\n", {"app.py": "print('hi')\n"}),
        Case(
            "FROM python:3.11-slim\nCOPY . /app\n",
            {"app.py": "print('hi')\n", ".dockerignore": _IGNORE_PY},
        ),
    ),
    "SL204": (
        Case(
            "FROM node:20-slim\nCOPY . /app\n",
            {".dockerignore": "*.log\n", "app.js": "", "node_modules/x/index.js": ""},
        ),
        Case(
            "FROM node:20-slim\nCOPY . /app\n",
            {
                ".dockerignore": ".git\nnode_modules\ndist\n.env\n.env.*\n*.log\n",
                "app.js": "",
                "node_modules/x/index.js": "",
            },
        ),
    ),
    "SL205": (
        Case(
            "FROM python:3.11-slim\nCOPY . /app\n",
            {".dockerignore": "*.log\n", "app.py": "", ".env": "TOKEN=x\n", "deploy.pem": "k\n"},
        ),
        Case(
            "FROM python:3.11-slim\nCOPY . /app\n",
            {
                ".dockerignore": ".env\n.env.*\n*.pem\n*.key\n",
                "app.py": "",
                ".env": "TOKEN=x\n",
                "deploy.pem": "k\n",
            },
        ),
    ),
    "SL206": (
        Case(
            "FROM python:3.11-slim\nCOPY . /app\n",
            {".dockerignore": _IGNORE_PY, "src/app.py": ""},
            sparse={"data/train.bin": 101 * 1024 * 1024},
        ),
        Case(
            "FROM python:3.11-slim\nCOPY src/ /app/src/\n",
            {".dockerignore": _IGNORE_PY, "src/app.py": ""},
            sparse={"data/train.bin": 101 * 1024 * 1024},
        ),
    ),
    "SL207": (
        Case(
            "FROM python:3.11-slim\nCOPY requirements.txt .\n",
            {".dockerignore": "*.txt\n", "requirements.txt": "flask\n"},
        ),
        Case(
            "FROM python:3.11-slim\nCOPY requirements.txt .\n",
            {".dockerignore": "*.txt\n!requirements.txt\n", "requirements.txt": "flask\n"},
        ),
    ),
    "SL306": (
        Case("FROM quay.io/someone/image:1.0\n", config={"trusted_registries": ["docker.io"]}),
        Case(
            "FROM docker.io/library/debian:bookworm-slim\n",
            config={"trusted_registries": ["docker.io"]},
        ),
    ),
}
