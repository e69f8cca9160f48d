# syntax=docker/dockerfile:1
# escape=\
# check=skip=SecretsUsedInArgOrEnv
FROM node:20-slim
ARG NPM_TOKEN
ENV API_KEY=changeme
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc
