FROM node:20-alpine
WORKDIR /app
COPY .git .git
COPY . .
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]
