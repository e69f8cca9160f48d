# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
RUN --mount=type=bind,source=go.mod,target=go.mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download -x
RUN --mount=target=. --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /bin/app ./cmd/app
RUN --mount=type=bind,from=build,source=/bin/app,target=/tmp/app,readonly /tmp/app --version
RUN --mount=type=bind,from=alpine:3.20,source=/etc/apk,target=/mnt/apk ls /mnt/apk
RUN --mount=type=bind,target=/src,rw touch /src/scratch-write-is-discarded
RUN --mount=type=tmpfs,target=/tmp,size=64m df -h /tmp
RUN --mount=from=build,src=/bin,dst=/host-bin ls /host-bin
