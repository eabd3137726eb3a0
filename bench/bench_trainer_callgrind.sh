#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Instructions per sample of bench_trainer's single-threaded modes:
# (Ir at 2N samples - Ir at N samples) / N, so start-up cancels out.
#   bench/bench_trainer_callgrind.sh build-x/bench/bench_trainer
set -e
bin=${1:?path to bench_trainer}
n=64000
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
for mode in ref add notify; do
	a=$(ir $n $mode)
	b=$(ir $((2 * n)) $mode)
	echo "$mode: $(( (b - a) / n )) Ir per sample"
done
