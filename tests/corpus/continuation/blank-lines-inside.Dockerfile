FROM ubuntu:22.04
RUN apt-get update && \

    apt-get install -y --no-install-recommends git && \

    rm -rf /var/lib/apt/lists/*

ENV A=1 \

    B=2
