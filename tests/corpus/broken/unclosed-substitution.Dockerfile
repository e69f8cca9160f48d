FROM alpine:3.20
ARG BASE=/opt
WORKDIR ${BASE/app
