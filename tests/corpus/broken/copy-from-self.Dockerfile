FROM alpine:3.20 AS app
COPY --from=app /etc/hostname /copy
