#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_qnn_callgrind.sh [BUILD_DIR]: instructions (callgrind Ir) per
# inference of the MLP 64-128-128-10, float32 against int8, counted only
# inside bench_once_* and divided by the number of calls.
set -eu
exe=${1:-build}/bench/bench_qnn
for w in f32:200 i8:200 i8_io:200; do
	name=${w%%:*}
	n=${w##*:}
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect='bench_once_*' "$exe" "$name" "$n" 2>&1 |
		awk -v n="$n" -v w="$name" \
			'/Collected/ { printf "%-8s %12.0f Ir/call\n", w, $4 / n }'
done
