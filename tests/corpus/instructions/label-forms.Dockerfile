FROM debian:bookworm-slim
LABEL version="1.0"
LABEL org.opencontainers.image.title="demo" org.opencontainers.image.vendor="Example Co" \
      org.opencontainers.image.licenses="Apache-2.0"
LABEL "com.example.quoted-key"="quoted value" description='single quoted'
LABEL multi.line="first line \
second line"
LABEL empty=""
LABEL com.example.escaped="say \"hi\"" other=plain
LABEL oldstyle value with spaces
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.revision=$GIT_SHA org.opencontainers.image.source=https://example.com/repo.git
