# syntax=docker/dockerfile:1
FROM python:3.12-slim

# the body contains lines that look like Dockerfile instructions
COPY <<EOF /app/Dockerfile.inner
FROM scratch
COPY . /
RUN echo nested
# not a comment of the outer file
EOF

RUN <<EOF
cat /app/Dockerfile.inner
# this line is inside the heredoc, not a Dockerfile comment
ENV=not-an-instruction
echo done
EOF
