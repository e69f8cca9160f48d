# syntax=docker/dockerfile:1
# snippet: appended to a generated Dockerfile after its FROM line
RUN <<EOF
set -e
useradd --create-home --uid 1000 dev
echo 'dev ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/dev
EOF
USER dev
WORKDIR /home/dev
