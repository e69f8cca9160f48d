# syntax=docker/dockerfile:1
ARG BUILDER=golang:1.22-alpine
ARG RUNTIME=alpine:3.20
ARG PLATFORM=linux/amd64
FROM --platform=${PLATFORM} ${BUILDER} AS build
ARG UID=1000
ARG GID=1000
ARG CACHE_ID=gomod
ARG MODE=0755
RUN --mount=type=cache,id=${CACHE_ID},target=/go/pkg/mod go env GOMODCACHE
COPY --chown=${UID}:${GID} --chmod=${MODE} entry.sh /entry.sh
FROM ${RUNTIME}
ARG SRC_STAGE=build
COPY --from=build /entry.sh /entry.sh
