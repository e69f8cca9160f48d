# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
RUN go build -o /out/app ./...

FROM node:20 AS assets
RUN npm run build

FROM alpine:3.20
# from a named stage
COPY --from=build /out/app /usr/local/bin/app
# from a stage by its index (0 = first FROM)
COPY --from=0 /out/app /usr/local/bin/app-by-index
COPY --from=1 /app/dist /srv/static
# from an external image
COPY --from=nginx:1.27-alpine /etc/nginx/nginx.conf /etc/nginx/nginx.conf
COPY --from=docker.io/library/busybox:1.36@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7 /bin/busybox /bin/busybox
COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv
# from a stage chosen by a build argument
ARG ASSET_STAGE=assets
COPY --from=${ASSET_STAGE} /app/dist /srv/static2
