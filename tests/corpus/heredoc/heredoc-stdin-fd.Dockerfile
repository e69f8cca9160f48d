# syntax=docker/dockerfile:1
FROM alpine:3.20
# heredoc feeding a numbered file descriptor
RUN 3<<EOF cat /dev/fd/3 > /etc/motd
Welcome to the build container.
EOF
RUN cat 0<<EOF
explicit fd 0
EOF
