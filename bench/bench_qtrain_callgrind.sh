#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_qtrain_callgrind.sh [BUILD_DIR]: instructions (callgrind Ir) per SGD
# step, fixed-point (kml_qmlp_step) against float32 (kml_optim_train_step),
# counted only inside bench_once_* and divided by the number of calls.
set -eu
exe=${1:-build}/bench/bench_qtrain
for w in q_xor f_xor q_lin f_lin; do
	n=2000
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect="bench_once_$w" "$exe" "$w" "$n" 2>&1 |
		awk -v n="$n" -v w="$w" \
			'/Collected/ { printf "%-8s %12.0f Ir/step\n", w, $4 / n }'
done
