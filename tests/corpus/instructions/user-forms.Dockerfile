FROM debian:bookworm-slim AS named
RUN groupadd --system app && useradd --system --gid app --home /srv app
USER app
FROM debian:bookworm-slim AS uid
USER 1000
FROM debian:bookworm-slim AS uidgid
USER 10001:10001
FROM debian:bookworm-slim AS namegroup
USER www-data:www-data
FROM gcr.io/distroless/static-debian12 AS nonroot
USER nonroot:nonroot
FROM debian:bookworm-slim AS fromarg
ARG UID=65532
ARG GID=65532
USER ${UID}:${GID}
FROM debian:bookworm-slim AS rootagain
USER root
