// A small express service: GET / answers with JSON naming the service,
// GET /health with {"status":"ok"}. The port comes from PORT (default 3000).
"use strict";

const express = require("express");

const app = express();
const port = Number.parseInt(process.env.PORT || "3000", 10);

app.get("/", (_req, res) => {
  res.json({ service: "node-express", node: process.versions.node });
});

app.get("/health", (_req, res) => {
  res.json({ status: "ok" });
});

const server = app.listen(port, "0.0.0.0", () => {
  console.log(`node-express listening on ${port}`);
});

// docker stop sends SIGTERM; node as PID 1 has no default handler for it.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
