FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN rm -rf /var/lib/apt/lists/*
RUN apt-get purge -y build-essential && apt-get autoremove -y
