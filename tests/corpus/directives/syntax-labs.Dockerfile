# syntax=docker/dockerfile:1-labs
FROM golang:1.22 AS build
WORKDIR /src
COPY --parents ./cmd/*/main.go ./internal/ ./
COPY --exclude=*_test.go --exclude=testdata . .
RUN --mount=type=cache,target=/root/.cache/go-build go build ./...
