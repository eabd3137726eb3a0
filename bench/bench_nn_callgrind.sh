#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_nn_callgrind.sh [BUILD_DIR]: instructions (callgrind Ir) per call of
# each bench_nn workload, counted only inside bench_once_* (the measured
# call), divided by the number of calls.
set -eu
exe=${1:-build}/bench/bench_nn
for w in linear2_infer:100000 linear2_sgd:100000 mlp5_infer:10000 naive_mlp:200 \
	 mlp_infer:200 mlp_train:20; do
	name=${w%%:*}
	n=${w##*:}
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect='bench_once_*' "$exe" "$name" "$n" 2>&1 |
		awk -v n="$n" -v w="$name" \
			'/Collected/ { printf "%-14s %12.0f Ir/call\n", w, $4 / n }'
done
