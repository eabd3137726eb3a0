#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# build.sh OUT_DIR [KMLIB_DIR]: build mq-kmlib.ko into OUT_DIR against
# kmlib.ko's Module.symvers. KMLIB_DIR: the kbuild directory of an
# existing kmlib build (e.g. <meson build>/platform/kernel/kmlib); without
# it, kmlib.ko is built here too (OUT_DIR/kmlib, copied to
# OUT_DIR/kmlib.ko). Kbuild writes objects next to the sources, so both
# modules are built in mirrors under OUT_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tools/deps.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd)
lib=${2:+$(cd "$2" && pwd)} # absolute: kbuild runs in the kernel tree

kver=$(kml_kver)
[ -n "$kver" ] || { echo "mq-kmlib: linux-headers-amd64 is not installed" >&2; exit 1; }
kdir=/usr/src/linux-headers-$kver-amd64
blk=$("$top/tools/kernel/block-headers.sh")

# sync_tree FROM TO: copy the files that differ (kbuild then rebuilds
# only those), drop sources that FROM no longer has
sync_tree() {
	mkdir -p "$2"
	(cd "$1" && find . -type f ! -name '*.o' ! -name '.*') | while read -r f; do
		if ! cmp -s "$1/$f" "$2/$f"; then
			mkdir -p "$(dirname "$2/$f")"
			cp "$1/$f" "$2/$f"
		fi
	done
	(cd "$2" && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.list' \)) |
		while read -r f; do
			[ -e "$1/$f" ] || rm -f "$2/$f" "$2/${f%.c}.o"
		done
}

kmake() {
	make -s -C "$kdir" W=1 -j"$(nproc 2>/dev/null || echo 2)" "$@" modules 2>&1 |
		{ grep -v '^Skipping BTF generation' || true; }
	return "${PIPESTATUS[0]}"
}

# kmlib.ko alone (not the test module), the way platform/kernel/build.sh
# builds it: a mirror of include/, src/, platform/kernel/ with its Kbuild
if [ -z "$lib" ]; then
	lib=$out/kmlib
	sync_tree "$top/include" "$lib/include"
	sync_tree "$top/src" "$lib/src"
	sync_tree "$top/platform/kernel" "$lib/platform/kernel"
	cmp -s "$top/platform/kernel/Kbuild" "$lib/Kbuild" || cp "$top/platform/kernel/Kbuild" "$lib/Kbuild"
	version=$(meson introspect --projectinfo "$top/meson.build" 2>/dev/null |
		sed -n 's/.*"version": "\([^"]*\)".*/\1/p')
	kmake M="$lib" KMLIB_VERSION="${version:-unknown}" KMLIB_DEBUG=0
	cp "$lib/kmlib.ko" "$out/kmlib.ko"
fi
[ -f "$lib/Module.symvers" ] || { echo "mq-kmlib: no $lib/Module.symvers" >&2; exit 1; }

mir=$out/mq-kmlib
mkdir -p "$mir/include"
# copy only what changed, so kbuild rebuilds only that
for f in "$here"/*.[ch] "$here/Kbuild"; do
	cmp -s "$f" "$mir/$(basename "$f")" || cp "$f" "$mir/"
done
sync_tree "$top/include/kmlib" "$mir/include/kmlib"
kmake M="$mir" KML_BLOCK_HEADERS="$blk" KBUILD_EXTRA_SYMBOLS="$lib/Module.symvers"
# only mqk_model.o may touch SSE registers (it runs inside the FPU guard);
# float code anywhere else would corrupt user FPU state on the hot path
for o in "$mir"/mqk_*.o; do
	[ "$(basename "$o")" = mqk_model.o ] && continue
	if objdump -d "$o" | grep -q '%[xy]mm'; then
		echo "mq-kmlib: $(basename "$o") uses SSE registers outside the FPU object" >&2
		exit 1
	fi
done
cp "$mir/mq-kmlib.ko" "$out/mq-kmlib.ko"
echo "$out/mq-kmlib.ko"
