FROM debian:bookworm-slim
RUN apt-get update
RUN apt-get install -y curl
RUN apt-get install -y git
RUN apt-get install -y vim
RUN mkdir /app
RUN touch /app/a
RUN touch /app/b
RUN apt-get clean
RUN rm -rf /var/lib/apt/lists/*
