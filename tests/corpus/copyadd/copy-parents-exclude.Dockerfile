# syntax=docker/dockerfile:1.7-labs
FROM node:20-alpine AS deps
WORKDIR /repo
# keep the directory structure of every workspace manifest
COPY --parents package.json package-lock.json packages/*/package.json apps/*/package.json ./
RUN npm ci
COPY --parents ./packages/./shared/src /repo/
COPY --exclude=node_modules --exclude=**/*.test.ts --exclude=.git . .
COPY --parents=true --exclude=*.md docs/**/ /repo/docs-copy/
ADD --exclude=*.log logs/ /var/archive/
RUN npm run build --workspaces
