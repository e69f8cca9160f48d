FROM ubuntu:22.04
RUN apt update && apt install -y nginx && rm -rf /var/lib/apt/lists/*
RUN apt-cache policy nginx
