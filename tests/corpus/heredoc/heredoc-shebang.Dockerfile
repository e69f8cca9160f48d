# syntax=docker/dockerfile:1
FROM ubuntu:22.04

# a shebang in the body picks the interpreter
RUN <<EOF
#!/usr/bin/env bash
set -o errexit -o nounset -o pipefail
declare -a pkgs=(git jq)
apt-get update
apt-get install -y --no-install-recommends "${pkgs[@]}"
rm -rf /var/lib/apt/lists/*
EOF

RUN <<EOF
#!/usr/bin/perl
print "perl says hi\n";
EOF
