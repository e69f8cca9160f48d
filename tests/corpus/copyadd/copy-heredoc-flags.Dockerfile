# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY --chmod=0755 <<EOF /usr/local/bin/hello
#!/bin/sh
echo "hello from $(hostname)"
EOF
COPY --chown=nobody:nobody <<EOF <<EOF2 /etc/app/
first
EOF
second
EOF2
ADD <<EOF /etc/added.txt
ADD accepts heredocs as well
EOF
