FROM alpine:3.20
HEALTHCHECK --retries=3 CMD
