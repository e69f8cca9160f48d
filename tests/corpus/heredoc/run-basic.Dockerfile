# syntax=docker/dockerfile:1
FROM debian:bookworm-slim

RUN <<EOF
set -eu
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl
rm -rf /var/lib/apt/lists/*
EOF

CMD ["curl", "--version"]
