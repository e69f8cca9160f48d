FROM rust:1.79-slim-bookworm AS build
RUN USER=root cargo new --bin app
WORKDIR /app
COPY ./Cargo.lock ./Cargo.lock
COPY ./Cargo.toml ./Cargo.toml
RUN cargo build --release && rm src/*.rs
COPY ./src ./src
RUN rm ./target/release/deps/app* && cargo build --release

FROM gcr.io/distroless/cc-debian12
COPY --from=build /app/target/release/app /
CMD ["./app"]
