FROM alpine:3.20
HEALTHCHECK CMD ["test", ["-f", "/ready"]]
