FROM alpine:3.20
RUN echo no newline after the backslash \