FROM node:20-slim AS build
RUN corepack enable
WORKDIR /app
COPY .yarnrc.yml package.json yarn.lock ./
COPY .yarn ./.yarn
RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable
COPY . .
RUN yarn workspaces focus --production && yarn build

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=build /app /app
WORKDIR /app
CMD ["dist/server.js"]
