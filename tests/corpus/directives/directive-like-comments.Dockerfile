FROM alpine:3.20
# syntax=docker/dockerfile:1
# escape=`
# check=skip=all
# The three lines above look like directives but come after FROM: only comments.
RUN echo a \
    b
# hadolint ignore=DL3018
RUN apk add curl
# hadolint global ignore=DL3059
RUN true
