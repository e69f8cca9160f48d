FROM alpine:3.20
ENTRYPOINT [true]
