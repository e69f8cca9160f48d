# syntax=docker/dockerfile:1.7
ARG BASE=debian:bookworm-slim
FROM ${BASE}

COPY <<EOF /etc/apt/apt.conf.d/99no-recommends
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF

COPY <<EOF /etc/apt/apt.conf.d/99retries
Acquire::Retries "5";
EOF

RUN <<EOF
set -eux
apt-get update
apt-get install -y curl ca-certificates
apt-get clean
rm -rf /var/lib/apt/lists/*
EOF

COPY <<"EOF" /usr/local/bin/entrypoint.sh
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then
  set -- app "$@"
fi
exec "$@"
EOF

RUN chmod +x /usr/local/bin/entrypoint.sh
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["app", "--help"]
