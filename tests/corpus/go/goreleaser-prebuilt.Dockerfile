FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata
COPY mytool /usr/bin/mytool
ENTRYPOINT ["/usr/bin/mytool"]
