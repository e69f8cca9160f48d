FROM alpine:3.20 AS 1st-stage
RUN true
