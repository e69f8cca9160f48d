FROM debian:bookworm-slim
RUN useradd -u 123456789 bigid
RUN useradd --uid 2000000 -m other
USER bigid
