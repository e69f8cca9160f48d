#!/usr/bin/env bash
# slimline test bed: a real Docker engine, a local OCI registry and stand-ins
# for the public base images, on a Debian 12 machine, as root.
#
#   bash testbed/setup.sh          # idempotent: seconds when all is in place
#
# What it does, each step only when needed:
#   1. apt-get install docker.io, docker-registry, debootstrap, curl
#   2. start dockerd when nothing answers on /var/run/docker.sock
#   3. start a registry (distribution 2.8) on 127.0.0.1 (port 5000 unless taken)
#   4. build the stand-in base images under their public names, labelled
#      org.slimline.standin=true, from one cached debootstrap rootfs
#   5. push each stand-in to the local registry under the same path
#   6. write the environment for tests (see testbed/env.sh) and print a summary
#
# Environment:
#   SLIMLINE_REGISTRY         host:port of the local registry (loopback only);
#                             default: the one recorded by the last run, else
#                             127.0.0.1:5000, else the next free port
#   SLIMLINE_TESTBED_STATE    state directory (default /var/lib/slimline-testbed)
#   SLIMLINE_TESTBED_CACHE    cache directory (default /var/cache/slimline-testbed)
#   SLIMLINE_DEBIAN_MIRROR    Debian mirror for debootstrap (default: read from
#                             the host's apt sources)
#   SLIMLINE_TESTBED_REBUILD  1 = rebuild every stand-in even when present
#   SLIMLINE_TESTBED_NO_PUSH  1 = do not push stand-ins to the registry
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_DIR=${SLIMLINE_TESTBED_STATE:-/var/lib/slimline-testbed}
CACHE_DIR=${SLIMLINE_TESTBED_CACHE:-/var/cache/slimline-testbed}
DOCKER_SOCK=/var/run/docker.sock
SUITE=bookworm
# Bump to rebuild every stand-in when a recipe changes in a way the hashed
# files do not show.
STANDIN_REV=1

START_TS=$(date +%s)
log() { printf '[testbed %3ss] %s\n' "$(( $(date +%s) - START_TS ))" "$*"; }
die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

if [[ $(id -u) -ne 0 ]]; then
    die "run as root (installs packages, starts dockerd)"
fi
mkdir -p "$STATE_DIR/logs" "$CACHE_DIR"

# --------------------------------------------------------------------------
# 1. packages
# --------------------------------------------------------------------------
install_packages() {
    local missing=()
    command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
    [[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry)
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    [[ -e /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v update-ca-certificates >/dev/null 2>&1 || missing+=(ca-certificates)
    if [[ ${#missing[@]} -eq 0 ]]; then
        return
    fi
    log "installing ${missing[*]}"
    # Keep package scripts from starting services (dockerd and a registry
    # listening on every interface) during the install: we start our own.
    local added_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        added_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$STATE_DIR/logs/apt.log" 2>&1 \
        || { tail -n 20 "$STATE_DIR/logs/apt.log" >&2; die "apt-get update failed"; }
    apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >>"$STATE_DIR/logs/apt.log" 2>&1 \
        || { tail -n 20 "$STATE_DIR/logs/apt.log" >&2; die "apt-get install failed"; }
    if [[ $added_policy -eq 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
}

# --------------------------------------------------------------------------
# 2. the engine
# --------------------------------------------------------------------------
# Prefer Debian's client: it matches the engine and builds with BuildKit.
DOCKER=/usr/bin/docker

engine_answers() { "$DOCKER" -H "unix://$DOCKER_SOCK" info >/dev/null 2>&1; }

start_engine() {
    [[ -x $DOCKER ]] || DOCKER=$(command -v docker)
    if engine_answers; then
        return
    fi
    if [[ -f /var/run/docker.pid ]]; then
        local pid
        pid=$(cat /var/run/docker.pid 2>/dev/null || true)
        if [[ -n $pid ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]]; then
            log "dockerd (pid $pid) is running but does not answer yet; waiting"
        else
            log "removing stale /var/run/docker.pid (pid ${pid:-?} is not a running dockerd)"
            rm -f /var/run/docker.pid
        fi
    fi
    if [[ ! -f /var/run/docker.pid ]]; then
        log "starting dockerd (log: $STATE_DIR/logs/dockerd.log)"
        setsid nohup dockerd -H "unix://$DOCKER_SOCK" \
            >>"$STATE_DIR/logs/dockerd.log" 2>&1 < /dev/null &
    fi
    local deadline=$(( $(date +%s) + 90 ))
    until engine_answers; do
        if (( $(date +%s) > deadline )); then
            tail -n 30 "$STATE_DIR/logs/dockerd.log" >&2 || true
            die "dockerd did not answer on $DOCKER_SOCK within 90 s (log: $STATE_DIR/logs/dockerd.log)"
        fi
        sleep 0.5
    done
}

# --------------------------------------------------------------------------
# 3. the registry
# --------------------------------------------------------------------------
registry_answers() {
    # A distribution registry answers GET /v2/ with 200 and this header.
    curl -fsS -m 3 -o /dev/null -D - "http://$1/v2/" 2>/dev/null \
        | grep -qi '^docker-distribution-api-version: registry/2.0'
}

port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_registry() {
    local addr=${SLIMLINE_REGISTRY:-}
    if [[ -z $addr && -f $STATE_DIR/registry/address ]]; then
        addr=$(cat "$STATE_DIR/registry/address")
        if ! registry_answers "$addr"; then
            addr=""
        fi
    fi
    if [[ -z $addr ]]; then
        local port
        for port in $(seq 5000 5099); do
            if registry_answers "127.0.0.1:$port" && [[ -f $STATE_DIR/registry/address ]] \
                && [[ $(cat "$STATE_DIR/registry/address") == "127.0.0.1:$port" ]]; then
                addr="127.0.0.1:$port"
                break
            fi
            if ! port_in_use 127.0.0.1 "$port"; then
                addr="127.0.0.1:$port"
                break
            fi
        done
        [[ -n $addr ]] || die "no free port in 127.0.0.1:5000-5099 for the registry"
    fi
    local host=${addr%:*}
    case $host in
        127.*|localhost) ;;
        *) die "SLIMLINE_REGISTRY=$addr: the test registry must listen on loopback" ;;
    esac
    REGISTRY=$addr
    mkdir -p "$STATE_DIR/registry/data"
    echo "$REGISTRY" > "$STATE_DIR/registry/address"
    if registry_answers "$REGISTRY"; then
        return
    fi
    if port_in_use "$host" "${addr##*:}"; then
        die "$REGISTRY is taken by something that is not a registry; set SLIMLINE_REGISTRY"
    fi
    cat > "$STATE_DIR/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  fields:
    service: slimline-testbed-registry
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
    log "starting docker-registry on $REGISTRY (log: $STATE_DIR/logs/registry.log)"
    setsid nohup /usr/bin/docker-registry serve "$STATE_DIR/registry/config.yml" \
        >>"$STATE_DIR/logs/registry.log" 2>&1 < /dev/null &
    echo $! > "$STATE_DIR/registry/registry.pid"
    local deadline=$(( $(date +%s) + 30 ))
    until registry_answers "$REGISTRY"; do
        if (( $(date +%s) > deadline )); then
            tail -n 20 "$STATE_DIR/logs/registry.log" >&2 || true
            die "the registry did not answer on http://$REGISTRY/v2/ within 30 s"
        fi
        sleep 0.3
    done
}

# --------------------------------------------------------------------------
# builder detection (same rules as slimline.engine): a docker CLI with the
# buildx plugin; else a CLI older than 23 whose built-in BuildKit client runs
# with DOCKER_BUILDKIT=1; else the legacy builder.
# --------------------------------------------------------------------------
detect_builder() {
    local candidates=() c real seen=""
    while IFS= read -r c; do candidates+=("$c"); done < <(type -ap docker; echo /usr/bin/docker)
    BUILDER_KIND=legacy
    BUILDER_CLI=${candidates[0]:-docker}
    for c in "${candidates[@]}"; do
        [[ -x $c ]] || continue
        real=$(readlink -f "$c")
        [[ " $seen " == *" $real "* ]] && continue
        seen="$seen $real"
        if "$c" buildx version >/dev/null 2>&1; then
            BUILDER_KIND=buildx; BUILDER_CLI=$c; return
        fi
    done
    for c in "${candidates[@]}"; do
        [[ -x $c ]] || continue
        local major
        major=$("$c" --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9]*\)\..*/\1/p' || true)
        if [[ $major =~ ^[0-9]+$ ]] && (( major < 23 )); then
            BUILDER_KIND=buildkit; BUILDER_CLI=$c; return
        fi
    done
}

# Build with whatever BuildKit there is; the recipes also build with the
# legacy builder.
docker_build() {
    case $BUILDER_KIND in
        buildx) "$BUILDER_CLI" buildx build --load --progress=plain "$@" ;;
        buildkit) DOCKER_BUILDKIT=1 "$BUILDER_CLI" build --progress=plain "$@" ;;
        *) DOCKER_BUILDKIT=0 "$BUILDER_CLI" build "$@" ;;
    esac
}

# --------------------------------------------------------------------------
# host trust and pip configuration carried into the stand-ins
# --------------------------------------------------------------------------
host_ca_bundle() {
    local f
    for f in "${SSL_CERT_FILE:-}" "${REQUESTS_CA_BUNDLE:-}" /etc/ssl/certs/ca-certificates.crt \
             /etc/pki/tls/certs/ca-bundle.crt; do
        if [[ -n $f && -s $f ]]; then echo "$f"; return; fi
    done
}

# Certificates the host trusts beyond Debian's own set (for example the CA
# of a TLS-intercepting proxy), one file per certificate in OUT_DIR: the
# stand-ins add these to their bundles so that pip inside containers verifies
# what pip on the host verifies.
write_host_extra_cas() {
    local out=$1 bundle known
    rm -rf "$out"
    mkdir -p "$out"
    bundle=$(host_ca_bundle)
    [[ -n $bundle ]] || return 0
    known=$(mktemp)
    if [[ -d /usr/share/ca-certificates ]]; then
        find /usr/share/ca-certificates -name '*.crt' -type f -print0 | sort -z \
            | xargs -0r cat > "$known"
    fi
    awk -v known_file="$known" -v out="$out" '
        function norm(s) { gsub(/[ \t\r]/, "", s); return s }
        BEGIN {
            while ((getline line < known_file) > 0) {
                if (line ~ /-----BEGIN CERTIFICATE-----/) { body = ""; inblk = 1; continue }
                if (line ~ /-----END CERTIFICATE-----/) { seen[body] = 1; inblk = 0; continue }
                if (inblk) body = body norm(line)
            }
        }
        /-----BEGIN CERTIFICATE-----/ { body = ""; blk = $0 "\n"; inblk = 1; next }
        /-----END CERTIFICATE-----/ && inblk {
            blk = blk $0 "\n"; inblk = 0
            if (!(body in seen)) {
                n++
                f = sprintf("%s/slimline-host-ca-%d.crt", out, n)
                printf "%s", blk > f
                close(f)
                seen[body] = 1
            }
            next
        }
        inblk { body = body norm($0); blk = blk $0 "\n" }
    ' "$bundle"
    rm -f "$known"
}

# pip inside the python stand-ins: trust the system bundle (which holds the
# host's extra CAs) even for a pip upgraded from PyPI, and use the host's
# index when the host names one over http(s).
write_pip_conf() {
    local out=$1 index f
    index=${PIP_INDEX_URL:-}
    if [[ -z $index ]]; then
        # pip's own order: site-wide, then user, then PIP_CONFIG_FILE; last wins.
        for f in /etc/xdg/pip/pip.conf /etc/pip.conf "${HOME:-/root}/.pip/pip.conf" \
                 "${HOME:-/root}/.config/pip/pip.conf" "${PIP_CONFIG_FILE:-}"; do
            [[ -n $f && -f $f ]] || continue
            local v
            v=$(awk '
                /^[ \t]*\[/ { sect = $0; gsub(/[][ \t]/, "", sect); next }
                (sect == "global" || sect == "install") && /^[ \t]*index-url[ \t]*=/ {
                    sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]+$/, ""); v = $0
                }
                END { print v }' "$f")
            [[ -z $v ]] || index=$v
        done
    fi
    {
        echo "# slimline test-bed stand-in: pip trusts the system CA bundle"
        echo "[global]"
        echo "cert = /etc/ssl/certs/ca-certificates.crt"
        case $index in
            http://*|https://*) echo "index-url = $index" ;;
        esac
    } > "$out"
}

# Proxy settings of the host, passed to stand-in builds as build arguments.
PROXY_BUILD_ARGS=()
collect_proxy_args() {
    local v
    for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
        if [[ -n ${!v:-} ]]; then PROXY_BUILD_ARGS+=(--build-arg "$v=${!v}"); fi
    done
}

# --------------------------------------------------------------------------
# 4. stand-in images
# --------------------------------------------------------------------------
image_id() { "$DOCKER" image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

# Up to date = present, labelled as a stand-in, built from the same recipe.
standin_current() {
    local name=$1 recipe=$2 got
    [[ ${SLIMLINE_TESTBED_REBUILD:-0} != 1 ]] || return 1
    got=$("$DOCKER" image inspect --format \
        '{{index .Config.Labels "org.slimline.standin"}} {{index .Config.Labels "org.slimline.standin.recipe"}}' \
        "$name" 2>/dev/null || true)
    [[ $got == "true $recipe" ]]
}

hash_inputs() { cat "$@" | sha256sum | cut -c1-16; }

debian_mirror() {
    if [[ -n ${SLIMLINE_DEBIAN_MIRROR:-} ]]; then echo "$SLIMLINE_DEBIAN_MIRROR"; return; fi
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        uri=$(awk -v suite="$SUITE" '
            BEGIN { RS = ""; FS = "\n" }
            {
                uris = ""; ok = 0
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris = u[1] }
                    if ($i ~ /^Suites:/ && (" " $i " ") ~ (" " suite " ")) ok = 1
                }
                if (ok && uris != "") { print uris; exit }
            }' "$f")
        if [[ -n $uri ]]; then echo "$uri"; return; fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        uri=$(awk -v suite="$SUITE" '
            $1 == "deb" {
                i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i + 1) == suite) { print $i; exit }
            }' "$f")
        if [[ -n $uri ]]; then echo "$uri"; return; fi
    done
}

# The host's own apt sources, when the host runs the same release.
host_apt_sources() {
    local codename
    codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    [[ $codename == "$SUITE" ]] || return 0
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        echo /etc/apt/sources.list.d/debian.sources
    elif [[ -s /etc/apt/sources.list ]] && grep -q "^deb .* $SUITE " /etc/apt/sources.list; then
        echo /etc/apt/sources.list
    fi
}

# One minbase rootfs per machine: debootstrap's output, cached as a tarball
# and reused; prepare-rootfs.sh turns a copy of it into the slim image.
ROOTFS_TAR=$CACHE_DIR/$SUITE-minbase.tar
ensure_rootfs_tar() {
    if [[ -s $ROOTFS_TAR ]]; then
        return
    fi
    local mirror dir
    mirror=$(debian_mirror)
    [[ -n $mirror ]] || die "no Debian mirror for $SUITE in the host's apt sources; set SLIMLINE_DEBIAN_MIRROR"
    dir=$CACHE_DIR/debootstrap.tmp
    rm -rf "$dir"
    log "debootstrap --variant=minbase $SUITE (log: $STATE_DIR/logs/debootstrap.log)"
    debootstrap --variant=minbase "$SUITE" "$dir" "$mirror" >"$STATE_DIR/logs/debootstrap.log" 2>&1 \
        || { tail -n 20 "$STATE_DIR/logs/debootstrap.log" >&2; die "debootstrap failed"; }
    tar --numeric-owner -C "$dir" -cf "$ROOTFS_TAR.tmp" .
    mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf "$dir"
}

build_debian_slim() {
    local name=debian:bookworm-slim recipe dir
    recipe=$(hash_inputs <(echo "rev=$STANDIN_REV suite=$SUITE") \
        "$HERE/standins/debian-slim/prepare-rootfs.sh" <(host_apt_sources | xargs -r cat))
    if standin_current "$name" "$recipe"; then
        return
    fi
    ensure_rootfs_tar
    dir=$CACHE_DIR/rootfs.tmp
    rm -rf "$dir"
    mkdir -p "$dir"
    tar --numeric-owner -C "$dir" -xf "$ROOTFS_TAR"
    sh "$HERE/standins/debian-slim/prepare-rootfs.sh" "$dir" "$(host_apt_sources)"
    log "importing $name"
    tar --numeric-owner -C "$dir" -c . | "$DOCKER" import \
        --change 'LABEL org.slimline.standin=true' \
        --change "LABEL org.slimline.standin.of=$name" \
        --change "LABEL org.slimline.standin.recipe=$recipe" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        - "$name" >/dev/null
    rm -rf "$dir"
    echo "$name" >> "$REBUILT_LIST"
}

# build_standin DIR TARGET NAME [EXTRA_NAME...]
build_standin() {
    local key=$1 dir=$HERE/standins/$1 target=$2 name=$3
    shift 3
    local ctx recipe base_id
    base_id=$(image_id debian:bookworm-slim)
    recipe=$(hash_inputs <(echo "rev=$STANDIN_REV target=$target base=$base_id") \
        "$dir/Dockerfile" "$HERE/standins/common/make-distroless.sh" \
        "$STATE_DIR/context/pip.conf" <(cat "$STATE_DIR"/context/host-ca/*.crt 2>/dev/null))
    local all_current=1 n
    for n in "$name" "$@"; do
        standin_current "$n" "$recipe" || all_current=0
    done
    if [[ $all_current -eq 1 ]]; then
        return
    fi
    ctx=$STATE_DIR/context/$key
    rm -rf "$ctx"
    mkdir -p "$ctx"
    cp "$dir"/* "$HERE/standins/common/make-distroless.sh" "$STATE_DIR/context/pip.conf" "$ctx/"
    cp -r "$STATE_DIR/context/host-ca" "$ctx/host-ca"
    local tags=(-t "$name") logf
    for n in "$@"; do tags+=(-t "$n"); done
    logf=$STATE_DIR/logs/build-$key-${target/-/main}.log
    local t0=$SECONDS
    log "building $name${*:+ (also $*)}"
    local target_args=()
    [[ $target == - ]] || target_args=(--target "$target")
    [[ ${SLIMLINE_TESTBED_REBUILD:-0} != 1 ]] || target_args+=(--no-cache)
    if ! docker_build "${target_args[@]}" "${tags[@]}" "${PROXY_BUILD_ARGS[@]}" \
            --label "org.slimline.standin.recipe=$recipe" "$ctx" >"$logf" 2>&1; then
        tail -n 30 "$logf" >&2
        die "building $name failed (log: $logf)"
    fi
    log "built $name in $(( SECONDS - t0 )) s"
    printf '%s\n' "$name" "$@" >> "$REBUILT_LIST"
}

# --------------------------------------------------------------------------
# 5. push to the local registry
# --------------------------------------------------------------------------
# registry path of a public name: drop the registry host, keep the rest
registry_path() {
    local name=$1 first=${1%%/*}
    if [[ $name == */* && ( $first == *.* || $first == *:* || $first == localhost ) ]]; then
        name=${name#*/}
    fi
    local last=${name##*/}
    [[ $last == *:* ]] || name=$name:latest
    echo "$name"
}

pushed_config_digest() {
    local path=$1 repo tag
    repo=${path%:*}; tag=${path##*:}
    curl -fsS -m 5 \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        "http://$REGISTRY/v2/$repo/manifests/$tag" 2>/dev/null \
        | tr -d ' \n' | sed -n 's/.*"config":{[^}]*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p'
}

push_standin() {
    local name=$1 path id remote
    path=$(registry_path "$name")
    id=$(image_id "$name")
    remote=$(pushed_config_digest "$path" || true)
    if [[ -n $id && $remote == "$id" ]]; then
        return
    fi
    local t0=$SECONDS
    log "pushing $name to $REGISTRY/$path"
    "$DOCKER" tag "$name" "$REGISTRY/$path"
    local logf=$STATE_DIR/logs/push-${path//[\/:]/_}.log
    if ! "$DOCKER" push "$REGISTRY/$path" >"$logf" 2>&1; then
        tail -n 20 "$logf" >&2
        die "pushing $REGISTRY/$path failed"
    fi
    "$DOCKER" rmi "$REGISTRY/$path" >/dev/null
    log "pushed $name in $(( SECONDS - t0 )) s"
}

# --------------------------------------------------------------------------
# 6. environment and summary
# --------------------------------------------------------------------------
write_env() {
    local buildkit_cli=""
    if [[ $BUILDER_KIND != legacy ]]; then buildkit_cli=$BUILDER_CLI; fi
    cat > "$STATE_DIR/testbed.env" <<EOF
# written by testbed/setup.sh; read by testbed/env.sh
SLIMLINE_REGISTRY=$REGISTRY
SLIMLINE_DOCKER_SOCK=$DOCKER_SOCK
SLIMLINE_TESTBED_BUILDER=$BUILDER_KIND
SLIMLINE_BUILDKIT_DOCKER=$buildkit_cli
EOF
}

STANDINS=(
    debian:bookworm-slim
    python:3.11-slim
    python:3.11
    golang:1.19
    golang:1.19-bookworm
    gcr.io/distroless/static-debian12
    gcr.io/distroless/static-debian12:nonroot
    gcr.io/distroless/python3-debian12
    gcr.io/distroless/python3-debian12:nonroot
    gcr.io/distroless/cc-debian12
    gcr.io/distroless/cc-debian12:nonroot
    node:18
    node:18-slim
    gcr.io/distroless/nodejs18-debian12
    gcr.io/distroless/nodejs18-debian12:nonroot
    rust:1.63
    rust:1.63-bookworm
)

summary() {
    local engine name size
    engine=$("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null || echo '?')
    echo "----------------------------------------------------------------------"
    echo "slimline test bed ready in $(( $(date +%s) - START_TS )) s"
    echo "  engine:    Docker Engine $engine on $DOCKER_SOCK"
    case $BUILDER_KIND in
        buildx) echo "  builder:   BuildKit through buildx ($BUILDER_CLI)" ;;
        buildkit) echo "  builder:   BuildKit with DOCKER_BUILDKIT=1 $BUILDER_CLI" ;;
        *) echo "  builder:   legacy only (no buildx, no pre-23 docker CLI)" ;;
    esac
    local path_cli
    path_cli=$(command -v docker || true)
    if [[ -n $path_cli && $(readlink -f "$path_cli") != $(readlink -f "$BUILDER_CLI") ]]; then
        echo "             ($path_cli first on PATH: $("$path_cli" version --format '{{.Client.Version}}' 2>/dev/null || echo '?'), no buildx: legacy builder only)"
    fi
    echo "  registry:  http://$REGISTRY (storage $STATE_DIR/registry/data)"
    echo "  stand-ins: (org.slimline.standin=true)"
    for name in "${STANDINS[@]}"; do
        size=$("$DOCKER" image inspect --format '{{.Size}}' "$name" 2>/dev/null || echo 0)
        printf '    %-44s %8.1f MB\n' "$name" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')"
    done
    if [[ -s $REBUILT_LIST ]]; then
        echo "  rebuilt:   $(tr '\n' ' ' < "$REBUILT_LIST")"
    fi
    echo "  env:       source $HERE/env.sh"
    echo "----------------------------------------------------------------------"
}

# A lane builds its stand-ins one after the other and pushes each in the
# background as soon as it is built; four lanes run side by side (the fat
# python image alone takes as long as the small ones together; the node and
# rust toolchains are mostly package downloads and unpacking).
push_bg() {
    local n
    for n in "$@"; do
        if [[ ${SLIMLINE_TESTBED_NO_PUSH:-0} != 1 ]]; then
            push_standin "$n" &
            LANE_PUSHES+=($!)
        fi
    done
}

wait_all() {
    local pid failed=0
    for pid in "$@"; do
        wait "$pid" || failed=1
    done
    return $failed
}

lane_fat() {
    LANE_PUSHES=()
    build_standin python - python:3.11
    push_bg python:3.11
    wait_all "${LANE_PUSHES[@]}"
}

lane_rest() {
    LANE_PUSHES=()
    build_standin python-slim - python:3.11-slim
    push_bg python:3.11-slim
    build_standin distroless-python latest gcr.io/distroless/python3-debian12
    build_standin distroless-python nonroot gcr.io/distroless/python3-debian12:nonroot
    push_bg gcr.io/distroless/python3-debian12 gcr.io/distroless/python3-debian12:nonroot
    build_standin distroless-static latest gcr.io/distroless/static-debian12
    build_standin distroless-static nonroot gcr.io/distroless/static-debian12:nonroot
    push_bg gcr.io/distroless/static-debian12 gcr.io/distroless/static-debian12:nonroot
    build_standin distroless-cc latest gcr.io/distroless/cc-debian12
    build_standin distroless-cc nonroot gcr.io/distroless/cc-debian12:nonroot
    push_bg gcr.io/distroless/cc-debian12 gcr.io/distroless/cc-debian12:nonroot
    build_standin golang - golang:1.19 golang:1.19-bookworm
    push_bg golang:1.19 golang:1.19-bookworm
    wait_all "${LANE_PUSHES[@]}"
}

lane_node() {
    LANE_PUSHES=()
    build_standin node-slim - node:18-slim
    push_bg node:18-slim
    build_standin node - node:18
    push_bg node:18
    wait_all "${LANE_PUSHES[@]}"
}

# (distroless Node.js here: it balances the lanes, it does not need node:18)
lane_rust() {
    LANE_PUSHES=()
    build_standin rust - rust:1.63 rust:1.63-bookworm
    push_bg rust:1.63 rust:1.63-bookworm
    build_standin distroless-nodejs latest gcr.io/distroless/nodejs18-debian12
    build_standin distroless-nodejs nonroot gcr.io/distroless/nodejs18-debian12:nonroot
    push_bg gcr.io/distroless/nodejs18-debian12 gcr.io/distroless/nodejs18-debian12:nonroot
    wait_all "${LANE_PUSHES[@]}"
}

main() {
    REBUILT_LIST=$STATE_DIR/rebuilt.list
    : > "$REBUILT_LIST"
    install_packages
    start_engine
    start_registry
    detect_builder
    collect_proxy_args

    mkdir -p "$STATE_DIR/context"
    write_host_extra_cas "$STATE_DIR/context/host-ca"
    write_pip_conf "$STATE_DIR/context/pip.conf"

    build_debian_slim
    local LANE_PUSHES=()
    push_bg debian:bookworm-slim
    local base_push=("${LANE_PUSHES[@]}")
    lane_fat &
    local fat=$!
    lane_rest &
    local rest=$!
    lane_node &
    local node=$!
    lane_rust &
    local rust=$!
    local failed=0
    wait_all "$fat" || failed=1
    wait_all "$rest" || failed=1
    wait_all "$node" || failed=1
    wait_all "$rust" || failed=1
    wait_all "${base_push[@]}" || failed=1
    [[ $failed -eq 0 ]] || die "some stand-ins failed to build or push (logs: $STATE_DIR/logs)"

    if [[ -s $REBUILT_LIST ]]; then
        # the images the rebuilt ones replaced (unused ones only)
        "$DOCKER" image prune -f --filter label=org.slimline.standin=true >/dev/null || true
    fi
    write_env
    summary
}

# Sourcing this file (for its functions) does not run it.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
