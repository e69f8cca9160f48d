FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://get.example.com/install.sh | bash
RUN set -o pipefail && curl -fsSL https://example.com/x | tar -xz -C /opt
