ARG VERSION=1.0.0
ARG GO_IMAGE=golang:1.22

FROM ${GO_IMAGE} AS build
ARG VERSION
ARG COMMIT=unknown
RUN go build -ldflags "-X main.version=${VERSION} -X main.commit=${COMMIT}" -o /app .

FROM alpine:3.20 AS final
# VERSION is empty here until declared again
RUN echo "version is '${VERSION}'"
ARG VERSION
LABEL org.opencontainers.image.version=$VERSION
COPY --from=build /app /usr/local/bin/app
