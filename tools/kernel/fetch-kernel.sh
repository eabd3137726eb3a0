#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# fetch-kernel.sh [CACHE_DIR]: download Debian's kernel image that matches
# the installed linux-headers-amd64 (same ABI name and package version, so
# our modules' vermagic matches), extract only the kernel and the virtio
# modules (nothing is installed), and print the directory holding them:
#   vmlinuz  modules/<name>.ko  release (the KVER string)
# The result is cached: the download happens once per kernel version.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/deps.sh"
cache=${1:-${KML_KERNEL_CACHE:-$top/.cache/kernel}}

kver=$(kml_kver)
[ -n "$kver" ] || { echo "fetch-kernel: linux-headers-amd64 is not installed" >&2; exit 1; }
release=$kver-amd64
pkgver=$(dpkg-query -W -f='${Version}' "linux-headers-$release")
dir=$cache/$release-$pkgver
if [ -f "$dir/vmlinuz" ] && [ -f "$dir/release" ]; then
	echo "$dir"
	exit 0
fi

pkg=linux-image-$release
tmp=$(mktemp -d "$cache.tmp.XXXXXX" 2>/dev/null || { mkdir -p "$cache" && mktemp -d "$cache.tmp.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
# as root, apt would drop to its _apt user, who cannot write here
sandbox=
if [ "$(id -u)" = 0 ]; then sandbox="-o APT::Sandbox::User=root"; fi
echo "fetch-kernel: downloading $pkg=$pkgver" >&2
if ! (cd "$tmp" && apt-get download -q $sandbox "$pkg=$pkgver" >&2); then
	# a fresh machine may have no package lists yet
	[ "$(id -u)" = 0 ] || exit 1
	apt-get update -q >&2
	(cd "$tmp" && apt-get download -q $sandbox "$pkg=$pkgver" >&2)
fi
deb=$(ls "$tmp"/*.deb)

# Only what the guests need: the kernel and the virtio stack (PCI
# transport, block device), loadable for later tests with a disk.
mkdir -p "$tmp/x" "$tmp/out/modules"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards \
	"./boot/vmlinuz-$release" \
	"./lib/modules/$release/kernel/drivers/virtio/*" \
	"./lib/modules/$release/kernel/drivers/block/virtio_blk.ko*"
mv "$tmp/x/boot/vmlinuz-$release" "$tmp/out/vmlinuz"
find "$tmp/x/lib/modules" -name '*.ko*' -exec mv {} "$tmp/out/modules/" \;
echo "$release" >"$tmp/out/release"
echo "$pkgver" >"$tmp/out/version"
mkdir -p "$cache"
rm -rf "$dir"
mv "$tmp/out" "$dir"
echo "fetch-kernel: cached in $dir" >&2
echo "$dir"
