FROM alpine:3.20
RUN apk update && apk add python3 py3-pip
RUN apk upgrade
