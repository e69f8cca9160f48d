FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
RUN sudo mkdir -p /opt/tool && sudo chown nobody /opt/tool
