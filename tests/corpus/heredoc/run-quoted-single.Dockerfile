# syntax=docker/dockerfile:1
FROM python:3.12-slim

RUN <<'PYEOF' python3
import os, sys
print("python", sys.version.split()[0])
print("home is", os.environ.get("HOME", "$HOME"))
PYEOF

COPY <<'CONF' /etc/app/settings.ini
[server]
bind = 0.0.0.0:${PORT}
workers = $WORKERS
CONF
