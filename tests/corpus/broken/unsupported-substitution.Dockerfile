FROM alpine:3.20
ARG NAME=example
# bash forms that BuildKit's expander does not know: length and substring
ENV LEN=${#NAME}
ENV PART=${NAME:0:3}
