FROM debian:bookworm-slim AS common
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*

FROM common AS left
RUN echo left > /left

FROM common AS right
RUN echo right > /right

FROM common AS join
COPY --from=left /left /
COPY --from=right /right /

FROM join AS unused-debug
RUN apt-get update && apt-get install -y gdb strace

FROM join
CMD ["cat", "/left", "/right"]
