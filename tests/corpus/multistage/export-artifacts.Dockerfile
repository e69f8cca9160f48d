# syntax=docker/dockerfile:1
# stages meant for `docker build --output`: the result is files, not an image
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go test ./... && go build -o /out/tool-linux ./cmd/tool
RUN GOOS=darwin go build -o /out/tool-darwin ./cmd/tool

FROM scratch AS artifacts
COPY --from=build /out/ /

FROM scratch AS coverage
COPY --from=build /src/coverage.out /
