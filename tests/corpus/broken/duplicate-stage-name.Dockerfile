FROM alpine:3.20 AS build
RUN echo one
FROM alpine:3.20 AS build
RUN echo two
