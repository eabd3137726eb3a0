#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# block-headers.sh [CACHE_DIR]: extract the private block layer headers
# (block/*.h: elevator.h, blk.h, blk-mq.h, blk-mq-sched.h, ...), which no
# headers package ships, from Debian's linux-source-6.1 of the SAME
# version as the installed linux-headers, and print the directory that
# holds block/ (for -I). Installs linux-source-6.1=<version> when missing
# and root. Cached per version in .cache/block-headers/<version>/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/deps.sh"
cache=${1:-${KML_BLOCK_HEADERS_CACHE:-$top/.cache/block-headers}}

kver=$(kml_kver)
[ -n "$kver" ] || { echo "block-headers: linux-headers-amd64 is not installed" >&2; exit 1; }
pkgver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver-amd64")
dir=$cache/$pkgver
if [ -f "$dir/block/elevator.h" ] && [ -f "$dir/version" ]; then
	echo "$dir"
	exit 0
fi

kml_need_source_pkg "$pkgver" >&2 || exit 1
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || { echo "block-headers: $tarball is missing" >&2; exit 1; }

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# xz must decompress the whole tarball (~9 s); only block/*.h is written
tar -xJf "$tarball" -C "$tmp" --wildcards 'linux-source-6.1/block/*.h'
mkdir -p "$tmp/out"
mv "$tmp/linux-source-6.1/block" "$tmp/out/block"
echo "$pkgver" >"$tmp/out/version"
rm -rf "$dir"
mv "$tmp/out" "$dir"
echo "block-headers: cached in $dir" >&2
echo "$dir"
