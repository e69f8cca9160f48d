FROM rust:1.79 AS build
ADD --checksum=sha256:0c3f1d2e4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 --chmod=0755 \
    https://example.invalid/wasm-opt-linux-x86_64 /usr/local/bin/wasm-opt
RUN rustup target add wasm32-unknown-unknown && cargo install --locked trunk
WORKDIR /site
COPY . .
RUN trunk build --release

FROM caddy:2-alpine
COPY --from=build /site/dist /usr/share/caddy
