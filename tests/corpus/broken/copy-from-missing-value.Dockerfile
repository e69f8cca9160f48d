FROM alpine:3.20
COPY --from /a /b
