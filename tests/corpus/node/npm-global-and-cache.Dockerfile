FROM node:16
RUN npm install -g nodemon typescript ts-node
WORKDIR /home/node/app
COPY package.json .
RUN npm install --production
COPY . .
RUN npm run build && npm prune --production
VOLUME /home/node/app/node_modules
CMD ["nodemon", "dist/index.js"]
