FROM alpine:3.20
RUN \
\
\
    echo "lines holding only a backslash"
RUN echo start \
    \
    && echo end
