FROM node:20-alpine
WORKDIR /app
COPY ["package.json", \
      "package-lock.json", \
      "./"]
RUN ["npm", "ci", \
     "--omit=dev"]
ENTRYPOINT [ \
  "node", \
  # comment between JSON lines
  "--enable-source-maps", \
  "server.js" \
]
