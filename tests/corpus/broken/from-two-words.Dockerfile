FROM alpine:3.20 builder
RUN true
