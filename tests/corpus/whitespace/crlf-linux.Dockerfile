FROM debian:bookworm-slim

# edited on Windows, built on Linux
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
COPY . .
CMD ["./run.sh"]
