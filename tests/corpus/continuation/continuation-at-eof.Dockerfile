FROM alpine:3.20
RUN echo last line ends with a backslash \
