# syntax=docker/dockerfile:1.7
FROM alpine:3.20
ARG NAME=app
ARG UNSET
ARG VERSION=v1.2.3-rc1
ENV PLAIN=$NAME \
    BRACED=${NAME} \
    DEFAULT=${UNSET:-fallback} \
    DEFAULT_NOCOLON=${UNSET-fallback} \
    ALT=${NAME:+name-is-set} \
    ALT_NOCOLON=${NAME+present} \
    NESTED=${UNSET:-${NAME:-none}} \
    ESCAPED=\$NAME \
    ESCAPED_BRACE=\${NAME} \
    PREFIX=${VERSION#v} \
    SUFFIX=${VERSION%-*} \
    LONGEST_PREFIX=${VERSION##*.} \
    LONGEST_SUFFIX=${VERSION%%.*} \
    REPLACED=${VERSION/rc/beta} \
    REPLACED_ALL=${VERSION//./_}
RUN env | sort
WORKDIR /opt/${NAME}
COPY ${NAME}.conf /etc/${NAME:-default}/
USER ${UNSET:-1000}
