FROM alpine:3.20
ARG
RUN true
