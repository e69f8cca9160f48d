
# syntax=docker/dockerfile:1
# the syntax line above comes after a blank line; parsers differ on whether it
# still counts as a directive, and a lossless parser must keep it either way
FROM alpine:3.20
RUN <<EOF
echo heredoc after a possibly-ignored directive
EOF
