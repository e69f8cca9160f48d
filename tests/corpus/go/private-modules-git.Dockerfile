# syntax=docker/dockerfile:1.7
FROM golang:1.22-bookworm AS src
ADD --keep-git-dir=true git@github.com:example/platform.git#v3.4.1 /src
ADD https://github.com/example/shared-protos.git#main /protos

FROM golang:1.22-bookworm AS build
COPY --from=src /src /src
COPY --from=src /protos /protos
WORKDIR /src
ENV GOPRIVATE=github.com/example/*
RUN --mount=type=ssh \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download
RUN --network=none --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/platform ./cmd/platform

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/platform /platform
ENTRYPOINT ["/platform"]
