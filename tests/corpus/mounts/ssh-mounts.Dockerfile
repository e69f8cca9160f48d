# syntax=docker/dockerfile:1
FROM golang:1.22-alpine AS build
RUN apk add --no-cache git openssh-client \
 && mkdir -p -m 0700 ~/.ssh \
 && ssh-keyscan github.com >> ~/.ssh/known_hosts
ENV GOPRIVATE=github.com/example/*
RUN git config --global url."git@github.com:".insteadOf "https://github.com/"
RUN --mount=type=ssh go mod download
RUN --mount=type=ssh,id=deploykey,required=true,mode=0600 git clone git@github.com:example/private.git /src/private
RUN --mount=type=ssh,target=/run/agent.sock,uid=1000 ls -l /run/agent.sock
