#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh Debian machine, as root:
# Python environment, Docker engine, local registry and stand-in base images,
# then ruff, mypy and pytest (unit, corpus, compatibility and end-to-end tests).
#   bash scripts/test.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)

bash scripts/bootstrap.sh test
bash testbed/setup.sh
# System tools the tests use besides the test bed: headless Chromium renders the
# HTML reports, skopeo writes OCI layouts for the analyze transport tests.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "test.sh: installing ${missing[*]}" >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
export SLIMLINE_REQUIRE_BROWSER=1
if [[ -f testbed/env.sh ]]; then
    # shellcheck disable=SC1091
    source testbed/env.sh
fi
# End-to-end tests fail (instead of skipping) when the engine is missing.
export SLIMLINE_REQUIRE_ENGINE=1

echo "== ruff"
.venv/bin/ruff check src tests bench
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest -p no:cacheprovider --durations=25 "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
    echo "test.sh: pytest collected no tests: failing on purpose" >&2
    rc=1
fi
echo "test.sh: finished in $(( $(date +%s) - start ))s with exit code $rc"
exit $rc
