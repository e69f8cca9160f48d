ARG PLATFORM=linux/amd64
ARG IMAGE=python:3.12-slim
FROM --platform=$PLATFORM $IMAGE AS pinned
FROM --platform=${BUILDPLATFORM:-linux/amd64} node:20-alpine AS assets
RUN node --version
FROM pinned
COPY --from=assets /usr/local/bin/node /usr/local/bin/node
