FROM node:20-alpine
# a base image for downstream apps: triggers run in the child build
RUN mkdir -p /usr/src/app
WORKDIR /usr/src/app
ONBUILD ARG NODE_ENV=production
ONBUILD ENV NODE_ENV=$NODE_ENV
ONBUILD COPY package.json package-lock.json* ./
ONBUILD RUN npm ci && npm cache clean --force
ONBUILD COPY . /usr/src/app
ONBUILD RUN --mount=type=cache,target=/root/.npm npm run build --if-present
onbuild label built-from=onbuild-base
ONBUILD HEALTHCHECK CMD ["node", "healthcheck.js"]
CMD ["npm", "start"]
