#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# build.sh OUT_DIR KMLIB_DIR: build kmlib_shared_test.ko into OUT_DIR
# against the kmlib kbuild directory KMLIB_DIR (its Module.symvers), in
# a mirror (kbuild writes objects next to the sources).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tools/deps.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd)
lib=$(cd "$2" && pwd)
kver=$(kml_kver)
[ -n "$kver" ] || { echo "shared: linux-headers-amd64 is not installed" >&2; exit 1; }
[ -f "$lib/Module.symvers" ] || { echo "shared: no $lib/Module.symvers" >&2; exit 1; }
mir=$out/kmlib_shared_test
mkdir -p "$mir/include/kmlib"
for f in "$here"/*.[ch] "$here/Kbuild"; do
	case $f in */shm_hostile.c | */shm_bench.c) continue ;; esac
	cmp -s "$f" "$mir/$(basename "$f")" || cp "$f" "$mir/"
done
for f in "$top"/include/kmlib/*.h; do
	cmp -s "$f" "$mir/include/kmlib/$(basename "$f")" || cp "$f" "$mir/include/kmlib/"
done
make -s -C "/usr/src/linux-headers-$kver-amd64" M="$mir" W=1 -j"$(nproc 2>/dev/null || echo 2)" \
	KBUILD_EXTRA_SYMBOLS="$lib/Module.symvers" modules 2>&1 |
	{ grep -v '^Skipping BTF generation' || true; }
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
cp "$mir/kmlib_shared_test.ko" "$out/kmlib_shared_test.ko"
