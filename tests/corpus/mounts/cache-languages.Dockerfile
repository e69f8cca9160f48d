# syntax=docker/dockerfile:1.6
FROM python:3.12 AS py
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
RUN --mount=type=cache,id=uv,target=/root/.cache/uv,uid=0,gid=0,mode=0755 uv pip install --system httpx

FROM node:20 AS js
RUN --mount=type=cache,target=/root/.npm npm ci
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile

FROM golang:1.22 AS go
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./...

FROM rust:1.79 AS rs
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=shared \
    --mount=type=cache,target=/app/target,sharing=private \
    cargo build --release

FROM maven:3.9-eclipse-temurin-21 AS jv
RUN --mount=type=cache,target=/root/.m2,ro=false mvn -B package
RUN --mount=type=cache,target=/root/.gradle,from=go,source=/tmp gradle build
