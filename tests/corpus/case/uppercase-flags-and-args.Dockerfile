FROM alpine:3.20 AS BASE
ARG VERSION=1.0
ARG version=lowercase-is-a-different-arg
ENV APP_VERSION=${VERSION} app_version=${version}
RUN ECHO "commands are case sensitive even if instructions are not" || true

FROM scratch AS Final
COPY --from=BASE /etc/os-release /os-release
COPY --from=base /etc/alpine-release /alpine-release
