# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY <<ONE <<TWO /dst/
one
ONE
two never ends
