FROM alpine:3.20
# ${VAR:?message} is valid syntax; the build fails only when RELEASE is unset or empty
ARG RELEASE
ARG CHANNEL=stable
ENV RELEASE=${RELEASE:?the-RELEASE-build-arg-is-required} \
    CHANNEL=${CHANNEL?}
