FROM node:18-bullseye
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
COPY . .
RUN yarn build
ENV PORT=8080
EXPOSE 8080
USER node
CMD ["yarn", "start"]
