# syntax=docker/dockerfile:1
FROM python:3.12-alpine AS gen

WORKDIR /out
RUN <<EOF python3
import json, pathlib
data = {"name": "demo", "version": "1.0.0", "features": ["a", "b"]}
pathlib.Path("/out/manifest.json").write_text(json.dumps(data, indent=2))
EOF

RUN <<EOF /usr/bin/env python3 -
for i in range(3):
    print("line", i)
EOF

FROM scratch
COPY --from=gen /out/manifest.json /manifest.json
