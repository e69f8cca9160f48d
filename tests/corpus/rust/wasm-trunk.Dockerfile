FROM rust:1.79 AS build
RUN rustup target add wasm32-unknown-unknown && cargo install --locked trunk
WORKDIR /site
COPY . .
RUN trunk build --release

FROM caddy:2-alpine
COPY --from=build /site/dist /usr/share/caddy
