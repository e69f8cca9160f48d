# a stage named like an image: later FROM and --from refer to the stage
FROM alpine:3.20 AS golang
RUN echo "not the golang image" > /marker
FROM golang AS consumer
RUN cat /marker
FROM scratch
COPY --from=golang /marker /marker
