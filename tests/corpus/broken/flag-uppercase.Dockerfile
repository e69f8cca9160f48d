FROM alpine:3.20
# flag names are case sensitive: BuildKit reports an unknown flag
HEALTHCHECK --INTERVAL=10s CMD ["true"]
