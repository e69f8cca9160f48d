FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates=20230311 \
      curl=7.88.1-10+deb12u6 \
      gnupg \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
