# shellcheck shell=bash
# Source after testbed/setup.sh to get what the tests and slimline need:
#
#   . testbed/env.sh
#
# Exports:
#   DOCKER_HOST               the engine's socket (only when not already set)
#   SLIMLINE_REGISTRY         host:port of the local registry (loopback)
#   SLIMLINE_TESTBED_BUILDER  buildx | buildkit | legacy: what setup.sh found
#                             (slimline itself detects again; SLIMLINE_BUILDER,
#                             if you set it, forces slimline's choice)
#   SLIMLINE_BUILDKIT_DOCKER  a docker CLI that builds with BuildKit ("" if none):
#                             with "buildkit", run it with DOCKER_BUILDKIT=1
# Values come from the state file setup.sh writes; a variable already set in
# the environment wins.

_slimline_state=${SLIMLINE_TESTBED_STATE:-/var/lib/slimline-testbed}
if [ -r "$_slimline_state/testbed.env" ]; then
    while IFS='=' read -r _slimline_key _slimline_value; do
        case $_slimline_key in
            SLIMLINE_REGISTRY|SLIMLINE_TESTBED_BUILDER|SLIMLINE_BUILDKIT_DOCKER|SLIMLINE_DOCKER_SOCK)
                if [ -z "${!_slimline_key:-}" ]; then
                    export "$_slimline_key=$_slimline_value"
                fi
                ;;
        esac
    done < "$_slimline_state/testbed.env"
else
    echo "testbed/env.sh: $_slimline_state/testbed.env is missing; run testbed/setup.sh first" >&2
fi
if [ -z "${DOCKER_HOST:-}" ] && [ -n "${SLIMLINE_DOCKER_SOCK:-}" ]; then
    export DOCKER_HOST="unix://$SLIMLINE_DOCKER_SOCK"
fi
unset _slimline_state _slimline_key _slimline_value
