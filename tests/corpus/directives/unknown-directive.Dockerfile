# foo=bar
# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN echo "an unknown directive name still matches the directive pattern"
