FROM alpine:3.20
RUN --cache=true echo hi
