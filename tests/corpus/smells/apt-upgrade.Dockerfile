FROM debian:bookworm
RUN apt-get update && apt-get dist-upgrade -y && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
