#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_qnn_ops_callgrind.sh [BUILD_DIR]: instructions (callgrind Ir) per
# call of each workload of bench_qnn_ops, counted only inside bench_once_*.
set -eu
exe=${1:-build}/bench/bench_qnn_ops
n=200
for w in i8_mlp i16_mlp sig_i8 sig_i16 sig_q15 sig_f32 softmax conv2d conv2d16 \
	maxpool avgpool lstm_f32 lstm_i8; do
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect='bench_once_*' "$exe" "$w" "$n" 2>&1 |
		awk -v n="$n" -v w="$w" \
			'/Collected/ { printf "%-8s %12.0f Ir/call\n", w, $4 / n }'
done
