# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY <<EOF /etc/empty.conf
EOF
RUN <<EOF
EOF
RUN <<EOF

EOF
RUN ls -la /etc/empty.conf
