#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# footprint.sh [BUILD_DIR [MESON_OPTION...]]: print the size (text+data+bss,
# `size`) of kmlib.ko and of libkmlib.a, both compiled at -O2 without debug
# checks (kbuild always uses -O2; the library is configured to match; files
# marked "cold" in a sources.list get -Os in both). Builds into BUILD_DIR
# (default build-footprint/) first; extra options go to Meson, e.g.
# `-Dsimd=sse2 -Dsize_opt=true` (the size profile: docs/performance.md,
# Footprint). Without kernel headers only the library is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-footprint}
opts=(-Dkernel=auto -Dtests=false -Dbench=false -Ddebug_checks=false
	-Dbuildtype=plain -Doptimization=2 -Ddebug=false "${@:2}")
if [ -f "$dir/build.ninja" ]; then
	meson configure "$dir" "${opts[@]}" >/dev/null
else
	meson setup "$dir" "${opts[@]}" >/dev/null
fi
ninja -C "$dir" >/dev/null

row() { # NAME TEXT DATA BSS
	awk -v n="$1" -v t="$2" -v d="$3" -v b="$4" 'BEGIN {
		printf "%-12s %9d %9d %9d %9d  (%.1f KiB)\n", n, t, d, b, t + d + b,
			(t + d + b) / 1024 }'
}
printf '%-12s %9s %9s %9s %9s\n' file text data bss total
ko=$dir/platform/kernel/kmlib.ko
if [ -f "$ko" ]; then
	read -r t d b _ < <(size "$ko" | tail -1)
	row kmlib.ko "$t" "$d" "$b"
fi
read -r t d b _ < <(size -t "$dir/libkmlib.a" | tail -1)
row libkmlib.a "$t" "$d" "$b"
