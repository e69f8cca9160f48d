FROM nginx:1.27
HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --start-interval=2s --retries=5 \
  CMD ["curl", "-fsS", "http://localhost/healthz"]
HEALTHCHECK --interval=1m30s --timeout=10s CMD wget -q --spider http://localhost/ || exit 1
healthcheck none
