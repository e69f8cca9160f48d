# syntax=docker/dockerfile:1
FROM alpine:3.20

# <<- strips leading tabs from the body and from the terminator line
RUN <<-EOT
	set -e
	apk add --no-cache tini
	if [ -x /sbin/tini ]; then
		echo "tini installed"
	fi
	EOT

RUN <<-SCRIPT sh
		echo "two tabs before this line"
	echo "one tab"
SCRIPT

ENTRYPOINT ["/sbin/tini", "--"]
