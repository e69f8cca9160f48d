# syntax=docker/dockerfile:1-labs
FROM debian:bookworm AS fetch
RUN --network=default apt-get update
RUN --network=none make test
RUN --network=host curl -fsS http://localhost:8080/ready
RUN --security=insecure mount -t tmpfs none /mnt
RUN --security=sandbox echo default sandbox
RUN --network=none --mount=type=cache,target=/root/.cache \
    --security=sandbox ./offline-build.sh
