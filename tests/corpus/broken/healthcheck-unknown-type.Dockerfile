FROM alpine:3.20
HEALTHCHECK PING localhost
