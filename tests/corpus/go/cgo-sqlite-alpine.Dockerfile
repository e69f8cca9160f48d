FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev sqlite-dev
WORKDIR /app
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -tags "sqlite_omit_load_extension" -ldflags '-linkmode external -extldflags "-static"' -o /bin/store .

FROM alpine:3.20
RUN apk add --no-cache ca-certificates && adduser -D -H store
COPY --from=build /bin/store /usr/local/bin/store
USER store
VOLUME ["/var/lib/store"]
ENTRYPOINT ["store", "--data", "/var/lib/store"]
