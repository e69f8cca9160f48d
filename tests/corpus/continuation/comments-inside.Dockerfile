FROM debian:bookworm-slim
RUN set -eux; \
# install the runtime packages
    apt-get update; \
    apt-get install -y --no-install-recommends \
        # indented comment lines are dropped too
        ca-certificates \
        # curl is needed by the health check
        curl \
    ; \
#no space after hash
    rm -rf /var/lib/apt/lists/*
