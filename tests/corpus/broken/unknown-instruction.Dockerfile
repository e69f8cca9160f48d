FROM alpine:3.20
INSTALL curl
RUN true
