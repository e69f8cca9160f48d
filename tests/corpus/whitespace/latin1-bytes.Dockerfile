FROM debian:bookworm-slim
# café written in Latin-1, not UTF-8
LABEL note="naïve"
RUN echo ok
