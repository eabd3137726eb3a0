#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# build.sh KDIR SRC_ROOT OUT_DIR [VERSION [DEBUG [SIMD [SIZE_OPT]]]]: build
# kmlib.ko and kmlib_test.ko (DEBUG=1: -DKML_DEBUG=1, as Meson's debug_checks
# option; SIMD all|avx|sse2 as Meson's simd option; SIZE_OPT=1: -Os, as
# Meson's size_opt option).
#
# Kernel 6.1 has no output directory for external modules: kbuild writes
# objects next to the sources it compiles. So each module is built in a
# mirror of the sources it needs under OUT_DIR (OUT_DIR/kmlib and
# OUT_DIR/kmlib_test), refreshed file by file (unchanged files keep their
# time stamps, so kbuild rebuilds only what changed). The test module is
# built the way any other module that uses KMLib would be: against
# kmlib's Module.symvers through KBUILD_EXTRA_SYMBOLS.
set -euo pipefail
kdir=$1
src=$2
out=$3
version=${4:-unknown}
debug=${5:-0}
simd=${6:-all}
size_opt=${7:-0}

# sync_tree FROM TO: copy the files of FROM (recursively) into TO where
# they differ, and delete files of TO that FROM no longer has.
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

sync_file() {
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" || cp "$1" "$2"
}

jobs=$(nproc 2>/dev/null || echo 2)
# W=1: the extra warnings (with -Werror from the Kbuild files). The
# headers package has no vmlinux, so modpost's BTF note is just noise.
kmake() {
	make -s -C "$kdir" W=1 -j"$jobs" KMLIB_VERSION="$version" \
		KMLIB_DEBUG="$debug" KMLIB_SIMD="$simd" \
		KMLIB_SIZE_OPT="$size_opt" "$@" modules 2>&1 | { grep -v '^Skipping BTF generation' || true; }
}

lib=$out/kmlib
sync_tree "$src/include" "$lib/include"
sync_tree "$src/src" "$lib/src"
sync_tree "$src/platform/kernel" "$lib/platform/kernel"
sync_file "$src/platform/kernel/Kbuild" "$lib/Kbuild"
kmake M="$lib"

tst=$out/kmlib_test
sync_tree "$src/include" "$tst/include"
sync_file "$src/tests/ktest.h" "$tst/tests/ktest.h"
sync_tree "$src/tests/cases" "$tst/tests/cases"
sync_tree "$src/tests/kernel" "$tst/tests/kernel"
sync_file "$src/tests/kernel/Kbuild" "$tst/Kbuild"
kmake M="$tst" KBUILD_EXTRA_SYMBOLS="$lib/Module.symvers"

cp "$lib/kmlib.ko" "$out/kmlib.ko"
cp "$tst/kmlib_test.ko" "$out/kmlib_test.ko"
