LABEL org.opencontainers.image.source="%%SOURCE_URL%%" \
      org.opencontainers.image.revision="%%GIT_COMMIT%%" \
      org.opencontainers.image.created="%%BUILD_DATE%%"
ENV TZ=UTC \
    LANG=C.UTF-8
HEALTHCHECK --interval=30s CMD ["/healthcheck"]
