FROM alpine:3.20
RUN apk update && apk upgrade
RUN apk add curl bash
RUN apk add --no-cache openssl=3.3.1-r3 ca-certificates
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
 && echo build \
 && apk del .build-deps
RUN apk --no-cache add --repository=https://dl-cdn.alpinelinux.org/alpine/edge/testing some-edge-pkg
RUN rm -rf /var/cache/apk/*
