FROM golang:1.22 AS build
ENV CGO_ENABLED=0 GOFLAGS=-mod=vendor
WORKDIR /go/src/example.com/svc
COPY . .
RUN go build -o /svc ./cmd/svc && \
    mkdir -p /rootfs/tmp && chmod 1777 /rootfs/tmp

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /rootfs /
COPY --from=build /svc /ko-app/svc
ENV PATH=/ko-app SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532
ENTRYPOINT ["/ko-app/svc"]
