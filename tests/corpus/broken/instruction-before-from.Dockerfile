RUN echo too early
FROM alpine:3.20
RUN echo fine
