FROM alpine:3.20
RUN echo dangling \
# the file ends inside the continuation
