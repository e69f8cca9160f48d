#!/bin/sh
# Turn a fresh `debootstrap --variant=minbase bookworm DIR` tree into the
# root filesystem of the debian:bookworm-slim stand-in, in place.
#
# Usage: prepare-rootfs.sh DIR [APT_SOURCES_FILE]
# APT_SOURCES_FILE (deb822 .sources or one-line .list) replaces the mirror
# line debootstrap wrote, so that containers use the same Debian mirrors as
# the host (updates and security included).
#
# What the official slim image does, and we repeat: no downloaded .debs, no
# apt lists, no documentation except copyright files, no man pages, no
# locales, and dpkg/apt configured to keep it that way in later layers.
set -eu

root=$1
sources=${2:-}

# Package caches and lists: the biggest avoidable bytes of a minbase tree.
rm -f "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin
rm -rf "$root"/var/lib/apt/lists/*
mkdir -p "$root"/var/lib/apt/lists/partial "$root"/var/cache/apt/archives/partial

# Documentation, man pages, info pages, translations.
if [ -d "$root/usr/share/doc" ]; then
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
fi
for d in man info groff lintian linda locale; do
    if [ -d "$root/usr/share/$d" ]; then
        find "$root/usr/share/$d" -mindepth 1 -delete
    fi
done

mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
cat > "$root/etc/dpkg/dpkg.cfg.d/slimline-slim" <<'CFG'
# slim image: packages installed later leave out documentation and translations
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
CFG
cat > "$root/etc/apt/apt.conf.d/slimline-slim" <<'CFG'
// slim image: no package cache kept after installs, no translations, no
// suggested packages kept alive by autoremove
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
Apt::AutoRemove::SuggestsImportant "false";
CFG

if [ -n "$sources" ]; then
    rm -f "$root/etc/apt/sources.list"
    case "$sources" in
        *.sources) cp "$sources" "$root/etc/apt/sources.list.d/debian.sources" ;;
        *) cp "$sources" "$root/etc/apt/sources.list" ;;
    esac
fi

# Host-specific files debootstrap copied in; the engine provides its own at run time.
: > "$root/etc/resolv.conf"
printf 'localhost\n' > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
: > "$root/etc/machine-id"
rm -f "$root/var/log/bootstrap.log"
find "$root/var/log" -type f -exec sh -c ': > "$1"' _ {} \;
