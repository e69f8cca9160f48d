# syntax=docker/dockerfile:1.7
FROM debian:bookworm AS build

RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
<<EOF
  rm -f /etc/apt/apt.conf.d/docker-clean
  echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache
  apt-get update
  apt-get install -y --no-install-recommends build-essential pkg-config
EOF

RUN --mount=type=bind,target=/src,rw --mount=type=cache,target=/root/.ccache <<EOF bash
set -euxo pipefail
cd /src
make -j"$(nproc)" PREFIX=/opt/out install
EOF
