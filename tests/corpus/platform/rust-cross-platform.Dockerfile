# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM rust:1.79-bookworm AS build
ARG TARGETARCH
RUN case "$TARGETARCH" in \
      amd64) echo x86_64-unknown-linux-musl > /target ;; \
      arm64) echo aarch64-unknown-linux-musl > /target ;; \
      *) echo "unsupported $TARGETARCH" >&2; exit 1 ;; \
    esac \
 && rustup target add "$(cat /target)"
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo build --release --target "$(cat /target)" \
 && cp "target/$(cat /target)/release/app" /app

FROM scratch
COPY --from=build /app /app
USER 65534:65534
ENTRYPOINT ["/app"]
