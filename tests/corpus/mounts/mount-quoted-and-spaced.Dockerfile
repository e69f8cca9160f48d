# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=cache,target="/var/cache/with space" ls "/var/cache/with space"
RUN --mount="type=bind,source=scripts,target=/scripts" sh /scripts/run.sh
RUN --mount=type=cache,target=/a --mount=type=cache,target=/b --mount=type=cache,target=/c \
    --mount=type=cache,target=/d --mount=type=secret,id=s1 --mount=type=secret,id=s2 \
    --mount=type=ssh true
