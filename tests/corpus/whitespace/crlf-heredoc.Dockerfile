# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
echo heredoc in a CRLF file
apk add --no-cache bash
EOF
COPY <<EOF /etc/app.conf
key=value
EOF
CMD ["bash"]
