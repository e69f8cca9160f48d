FROM busybox:1.36-musl
COPY --chmod=755 healthcheck.sh /bin/healthcheck
HEALTHCHECK --interval=10s CMD /bin/healthcheck
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
