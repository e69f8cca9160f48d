FROM ubuntu
RUN echo untagged base
FROM node:latest AS js
FROM python:latest
COPY --from=js /usr/local/bin/node /usr/local/bin/node
