#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_mqk_predict_callgrind.sh BUILD_DIR - instructions (callgrind Ir)
# per prediction of mq-kmlib's two Q16.16 models through the insert
# hook's reader (seq: in place, begin/retry) and the one it replaced
# (linear: copy; MLP: pin/unpin), and what each adds to the model alone.
# Ir counted inside the variant's function, callees included.
set -eu
bin=${1:?usage: $0 BUILD_DIR}/bench/bench_mqk_predict
n=20000

ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect="$1" "$bin" count "$1" $n 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-10s %10s %14s\n' variant "Ir/call" "over the model"
for m in lin mlp; do
	ref=$(ir alone_$m)
	old=copy
	[ $m = mlp ] && old=pin
	for v in alone seq $old; do
		r=$(ir ${v}_$m)
		awk -v v=${v}_$m -v r=$r -v a=$ref -v n=$n 'BEGIN {
			printf "%-10s %10.2f %14.2f\n", v, r / n, (r - a) / n }'
	done
done
