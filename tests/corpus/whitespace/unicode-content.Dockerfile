FROM alpine:3.20
LABEL org.opencontainers.image.authors="Zoë Müller <zoe@example.com>" \
      org.opencontainers.image.description="日本語の説明 — with an em dash and emoji 🐳"
# Комментарий на русском
ENV GREETING="¡Hola, señor!"
RUN echo "$GREETING → ✓" > /greeting.txt
WORKDIR /données
CMD ["cat", "/greeting.txt"]
