# syntax=docker/dockerfile:1
FROM alpine:3.20
# <<- strips tabs only; the terminator below is indented with spaces
RUN <<-EOF
	echo body
    EOF
