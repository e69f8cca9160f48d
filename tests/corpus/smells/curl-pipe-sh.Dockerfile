FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN wget -qO- https://example.com/setup | bash -s -- --yes
RUN curl -s https://example.com/data.json | python3 -c 'import json,sys; print(json.load(sys.stdin))'
