FROM alpine:3.20
HEALTHCHECK --interval=often CMD true
