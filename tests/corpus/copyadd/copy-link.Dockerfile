# syntax=docker/dockerfile:1.5
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY --link go.mod go.sum ./
RUN go mod download
COPY --link . .
RUN go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --link --from=build /out/server /server
COPY --link=true --chmod=0555 --from=build /out/server /server-copy
COPY --link=false config/ /etc/server/
ENTRYPOINT ["/server"]
