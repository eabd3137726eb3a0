#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_lstm_callgrind.sh [BUILD_DIR]: instructions (callgrind Ir) per call
# of each bench_lstm workload, counted only inside bench_once_* (the
# measured call), divided by the number of calls.
set -eu
exe=${1:-build}/bench/bench_lstm
for w in lstm_train:20 lstm_train_last:20 lstm_infer:50 naive_lstm:50; do
	name=${w%%:*}
	n=${w##*:}
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect='bench_once_*' "$exe" "$name" "$n" 2>&1 |
		awk -v n="$n" -v w="$name" \
			'/Collected/ { printf "%-16s %12.0f Ir/call\n", w, $4 / n }'
done
