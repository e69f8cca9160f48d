# syntax=docker/dockerfile:1
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE} AS all
MAINTAINER someone@example.com
LABEL purpose=every-instruction
ARG BUILD_NUMBER=0
ENV BUILD_NUMBER=$BUILD_NUMBER
SHELL ["/bin/sh", "-ec"]
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
ADD https://example.com/file.tar.gz /tmp/
COPY . /src
WORKDIR /src
VOLUME /src/data
EXPOSE 8080/tcp
USER 1000:1000
ONBUILD RUN echo child
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1
ENTRYPOINT ["/src/entrypoint.sh"]
CMD ["serve"]
