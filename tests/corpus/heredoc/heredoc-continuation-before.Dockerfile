# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/* \
 && python3 - <<EOF
import platform
print(platform.python_version())
EOF

# heredoc inside a continued command, then more commands after it
RUN set -e; \
    mkdir -p /etc/app; \
    cat <<CFG > /etc/app/app.yaml && chmod 0600 /etc/app/app.yaml
log_level: info
listen: ":8080"
CFG
