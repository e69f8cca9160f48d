FROM node:20-alpine
CMD ["node", 'server.js']
RUN ["echo", 'mixed']
