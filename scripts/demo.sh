#!/usr/bin/env bash
# The main job on a bundled example, on a fresh Debian machine as root:
# install slimline, start a Docker engine with stand-in base images (testbed/),
# then `slimline optimize` the seed's naive FastAPI project and print the
# before/after table. Without an engine (setup failed), it prints the lint
# findings and the proposed diff instead, and says so.
#   bash scripts/demo.sh [EXAMPLE] [OPTIMIZE OPTIONS...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

example=${1:-fastapi-naive}
shift || true
bash scripts/bootstrap.sh
if bash testbed/setup.sh; then
    # shellcheck disable=SC1091
    source testbed/env.sh
    build=()
else
    echo "demo: the test bed could not start a Docker engine; showing findings and the diff only" >&2
    build=(--no-build)
fi
# Work on a copy: the bundled example stays as the seed wrote it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "examples/$example" "$work/$example"
.venv/bin/slimline lint "$work/$example" || true
.venv/bin/slimline optimize "$work/$example" --unsafe --runtime distroless "${build[@]}" "$@"
