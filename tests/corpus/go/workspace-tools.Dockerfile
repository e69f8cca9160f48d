ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS tools
RUN go install github.com/air-verse/air@latest \
 && go install github.com/go-delve/delve/cmd/dlv@v1.23.0 \
 && go install golang.org/x/tools/gopls@latest

FROM golang:${GO_VERSION} AS dev
COPY --from=tools /go/bin/ /usr/local/bin/
WORKDIR /workspace
EXPOSE 2345
CMD ["air", "-c", ".air.toml"]
