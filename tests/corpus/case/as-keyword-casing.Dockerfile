FROM debian:bookworm-slim as lower
FROM debian:bookworm-slim AS upper
FROM debian:bookworm-slim As title
FROM debian:bookworm-slim aS weird
FROM lower
COPY --from=upper /etc/hostname /a
COPY --from=title /etc/hostname /b
COPY --from=weird /etc/hostname /c
