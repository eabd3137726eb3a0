#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# build.sh OUT_DIR [KMLIB_DIR]: build mq-kmlib.ko into OUT_DIR against
# kmlib.ko's Module.symvers (KMLIB_DIR: the kbuild directory of kmlib, by
# default OUT_DIR/kmlib-build/platform/kernel/kmlib, which this script
# builds with Meson when it is missing). Kbuild writes objects next to the
# sources, so the module is built in a mirror under OUT_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tools/deps.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd)
lib=${2:-}

kver=$(kml_kver)
[ -n "$kver" ] || { echo "mq-kmlib: linux-headers-amd64 is not installed" >&2; exit 1; }
kdir=/usr/src/linux-headers-$kver-amd64
blk=$("$top/tools/kernel/block-headers.sh")

if [ -z "$lib" ]; then
	mb=$out/kmlib-build
	if [ -f "$mb/build.ninja" ]; then
		meson configure "$mb" -Dkernel=enabled >/dev/null
	else
		meson setup "$mb" "$top" -Dkernel=enabled -Dtests=false -Dbench=false >/dev/null
	fi
	ninja -C "$mb" >/dev/null
	lib=$mb/platform/kernel/kmlib
	cp "$lib/kmlib.ko" "$out/kmlib.ko"
fi
[ -f "$lib/Module.symvers" ] || { echo "mq-kmlib: no $lib/Module.symvers" >&2; exit 1; }

mir=$out/mq-kmlib
mkdir -p "$mir/include"
# copy only what changed, so kbuild rebuilds only that
for f in "$here"/*.[ch] "$here/Kbuild"; do
	cmp -s "$f" "$mir/$(basename "$f")" || cp "$f" "$mir/"
done
rm -rf "$mir/include/kmlib.new"
cp -r "$top/include/kmlib" "$mir/include/kmlib.new"
if diff -r "$mir/include/kmlib.new" "$mir/include/kmlib" >/dev/null 2>&1; then
	rm -rf "$mir/include/kmlib.new"
else
	rm -rf "$mir/include/kmlib" && mv "$mir/include/kmlib.new" "$mir/include/kmlib"
fi
make -s -C "$kdir" M="$mir" W=1 -j"$(nproc 2>/dev/null || echo 2)" \
	KML_BLOCK_HEADERS="$blk" KBUILD_EXTRA_SYMBOLS="$lib/Module.symvers" modules 2>&1 |
	{ grep -v '^Skipping BTF generation' || true; }
cp "$mir/mq-kmlib.ko" "$out/mq-kmlib.ko"
echo "$out/mq-kmlib.ko"
