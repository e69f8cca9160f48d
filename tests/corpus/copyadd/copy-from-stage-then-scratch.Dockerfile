FROM busybox:1.36 AS tools
FROM scratch
COPY --from=tools /bin/busybox /bin/busybox
COPY --from=tools ["/bin/sh", "/bin/sh"]
COPY --from=tools --chown=65534:65534 /etc/passwd /etc/passwd
ENTRYPOINT ["/bin/busybox", "sh"]
