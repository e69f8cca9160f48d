# syntax=docker/dockerfile:1
ARG XX_VERSION=1.4.0
ARG GO_VERSION=1.22

FROM --platform=${BUILDPLATFORM} tonistiigi/xx:${XX_VERSION} AS xx
FROM --platform=${BUILDPLATFORM} golang:${GO_VERSION}-alpine AS base
COPY --from=xx / /
RUN apk add --no-cache clang lld
ARG TARGETPLATFORM
RUN xx-apk add --no-cache musl-dev gcc
WORKDIR /src

FROM base AS build
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/root/.cache \
    CGO_ENABLED=1 xx-go build -o /out/tool ./cmd/tool && \
    xx-verify --static /out/tool

FROM scratch AS binaries-linux
COPY --from=build /out/tool /
FROM scratch AS binaries-darwin
COPY --from=build /out/tool /
FROM scratch AS binaries-windows
COPY --from=build /out/tool /tool.exe
ARG TARGETOS
FROM binaries-${TARGETOS} AS binaries
