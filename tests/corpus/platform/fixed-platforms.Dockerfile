FROM --platform=linux/amd64 debian:bookworm-slim AS amd64-tools
FROM --platform=linux/arm64/v8 debian:bookworm-slim AS arm64-tools
FROM --platform=linux/arm/v7 alpine:3.20 AS armv7
FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS win
FROM --platform=$TARGETPLATFORM busybox:1.36
COPY --from=amd64-tools /bin/true /amd64-true
COPY --from=arm64-tools /bin/true /arm64-true
