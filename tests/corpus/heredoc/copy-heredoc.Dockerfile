# syntax=docker/dockerfile:1.4
FROM node:20-alpine
WORKDIR /srv

COPY <<EOF /srv/package.json
{
  "name": "inline-app",
  "version": "0.1.0",
  "private": true,
  "scripts": { "start": "node index.js" }
}
EOF

COPY --chmod=0644 <<'EOF' /srv/index.js
const http = require("http");
http.createServer((req, res) => res.end(`path=${req.url}\n`)).listen(3000);
EOF

COPY --chown=node:node --chmod=755 <<-EOF /usr/local/bin/healthcheck
	#!/bin/sh
	wget -qO- http://127.0.0.1:3000/ >/dev/null
	EOF

USER node
EXPOSE 3000
HEALTHCHECK CMD ["/usr/local/bin/healthcheck"]
CMD ["npm", "start"]
