FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates tzdata \
 && echo 'app:x:10001:10001:app:/:/sbin/nologin' > /etc/passwd.app

FROM rust:1.79-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src
COPY src ./src
RUN touch src/main.rs && cargo build --release

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=certs /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=certs /etc/passwd.app /etc/passwd
COPY --from=build /src/target/release/app /app
USER 10001
ENTRYPOINT ["/app"]
