#!/bin/sh
# Assemble a distroless root filesystem from unpacked Debian packages.
#
# Runs inside a throwaway Debian build stage (apt lists present). Usage:
#   make-distroless.sh OUT_DIR PACKAGE...
# Each package is fetched with `apt-get download` and unpacked with `dpkg -x`:
# no maintainer script runs, so OUT_DIR gets files but no shell, no dpkg, no apt.
# Like the real distroless images it records every package in
# var/lib/dpkg/status.d/ (control paragraph, plus NAME.md5sums) so that image
# scanners can still list what is inside.
set -eu

out=$1
shift
work=$(mktemp -d)
mkdir -p "$out" "$work/debs" "$out/var/lib/dpkg/status.d"

cd "$work/debs"
apt-get download "$@" >/dev/null
for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$out"
    ctl="$work/ctl"
    rm -rf "$ctl"
    dpkg-deb -e "$deb" "$ctl"
    name=$(dpkg-deb -f "$deb" Package)
    # The package database entry, in the shape dpkg writes it.
    {
        sed -n '/^Package:/p' "$ctl/control"
        echo "Status: install ok installed"
        sed '/^Package:/d' "$ctl/control"
    } > "$out/var/lib/dpkg/status.d/$name"
    if [ -f "$ctl/md5sums" ]; then
        cp "$ctl/md5sums" "$out/var/lib/dpkg/status.d/$name.md5sums"
    fi
done

# Documentation is dropped, licence texts stay (as the real images do).
if [ -d "$out/usr/share/doc" ]; then
    find "$out/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$out/usr/share/doc" -mindepth 1 -type d -empty -delete
fi
rm -rf "$out/usr/share/man" "$out/usr/share/info" "$out/usr/share/lintian" \
       "$out/usr/share/locale" "$out/usr/share/bug" "$out/usr/share/gcc" \
       "$out/usr/share/gdb"

# Users: root, nobody and nonroot (65532), no login shell for anyone.
mkdir -p "$out/etc" "$out/root" "$out/home/nonroot" "$out/tmp"
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
tty:x:5:
staff:x:50:
nogroup:x:65534:
nonroot:x:65532:
GROUP
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
chmod 0700 "$out/root"
chown 65532:65532 "$out/home/nonroot"
chmod 0700 "$out/home/nonroot"
chmod 1777 "$out/tmp"

# ca-certificates' .deb carries the certificates but not the bundle (its
# maintainer script builds it): copy the bundle the build stage generated,
# which already includes any extra certificate authority of the host.
if [ -d "$out/usr/share/ca-certificates" ]; then
    mkdir -p "$out/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/ca-certificates.crt"
    # The individual certificates are not needed once the bundle exists.
    rm -rf "$out/usr/share/ca-certificates"
fi

rm -rf "$work"
