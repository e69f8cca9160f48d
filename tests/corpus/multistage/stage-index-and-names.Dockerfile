FROM alpine:3.20
RUN echo zero > /n
FROM alpine:3.20 AS one
RUN echo one > /n
FROM alpine:3.20
RUN echo two > /n
FROM scratch
COPY --from=0 /n /zero
COPY --from=one /n /one
COPY --from=2 /n /two
