#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_pub_callgrind.sh BUILD_DIR - instructions (callgrind Ir) per
# inference of a 36-byte linear model read through each snapshot reader of
# publish.h, and what each adds to the model alone (the same model on the
# parameters directly, measured in the same way). Ir is counted inside the
# variant's function, callees included (valgrind --toggle-collect).
set -eu
bin=${1:?usage: $0 BUILD_DIR}/bench/bench_pub
n=20000

ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect="$1" "$bin" count "$1" $n 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-14s %10s %14s\n' variant "Ir/call" "over the model"
for kind in inline call; do
	ref=$(ir alone_$kind)
	for v in alone seq copy pin; do
		[ "$kind" = call ] && [ "$v" = copy -o "$v" = pin ] && continue
		r=$(ir ${v}_$kind)
		awk -v v=${v}_$kind -v r=$r -v a=$ref -v n=$n 'BEGIN {
			printf "%-14s %10.2f %14.2f\n", v, r / n, (r - a) / n }'
	done
done
