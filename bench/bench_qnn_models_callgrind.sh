#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_qnn_models_callgrind.sh [BUILD_DIR]: callgrind Ir per inference,
# float32 vs int16 vs int8, for the models of issue 6 (2-input linear
# 2-1, MLP 64-128-128-10, both batch 1; LSTM 16-64, 32 steps), with the
# ratio to float32 in the same run. Valgrind hides AVX-512, so these are
# the AVX2 (int8) / AVX (float) paths. No int16 LSTM workload exists yet.
set -eu
b=${1:-build}/bench
ir() { # exe workload n
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect='bench_once_*' "$1" "$2" "$3" 2>&1 |
		awk -v n="$3" '/Collected/ { printf "%.0f", $4 / n }'
}
f=$(ir "$b/bench_qnn_ops" lin2_f32 1000)
i16=$(ir "$b/bench_qnn_ops" lin2_i16 1000)
i8=$(ir "$b/bench_qnn_ops" lin2_i8 1000)
awk -v f="$f" -v a="$i16" -v c="$i8" 'BEGIN {
	printf "lin2 float32 %9d  int16 %9d (%.2fx)  int8 %9d (%.2fx of float)\n",
	       f, a, a / f, c, c / f }'
f=$(ir "$b/bench_qnn" f32 200)
i16=$(ir "$b/bench_qnn_ops" i16_mlp 200)
i8=$(ir "$b/bench_qnn" i8 200)
awk -v f="$f" -v a="$i16" -v c="$i8" 'BEGIN {
	printf "MLP  float32 %9d  int16 %9d (%.2fx)  int8 %9d (%.2fx of float)\n",
	       f, a, a / f, c, c / f }'
f=$(ir "$b/bench_qnn_ops" lstm_f32 20)
i8=$(ir "$b/bench_qnn_ops" lstm_i8 20)
awk -v f="$f" -v c="$i8" 'BEGIN {
	printf "LSTM float32 %9d  int16         -          int8 %9d (%.2fx of float)\n",
	       f, c, c / f }'
