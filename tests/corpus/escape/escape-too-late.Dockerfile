FROM alpine:3.20
# escape=`
# a directive after the first instruction is only a comment, so the
# backslash remains the escape character for this file
RUN echo continued \
    with backslash
