#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bench_ring_callgrind.sh BUILD_DIR - instructions (callgrind Ir) per call
# of ring enqueue/dequeue, KMLib against ck_ring, and of snapshot reads.
# Ir counts only the called function (valgrind --toggle-collect), from its
# first instruction to its ret; ck's inline functions are wrapped in real
# functions (ck_*_fn in bench_ring.c) so both cross the same boundary.
set -eu
bin=${1:?usage: $0 BUILD_DIR}/bench/bench_ring
rounds=50
calls=$((rounds * 1024))

# ir FUNCTION... -- ARGS...: Ir collected inside the named functions
ir() {
	local toggles=()
	while [ "$1" != -- ]; do
		toggles+=("--toggle-collect=$1")
		shift
	done
	shift
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "${toggles[@]}" \
		"$bin" count "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-24s %10s %10s %14s\n' ring "enqueue" "dequeue" "enqueue full"
for w in "kml SP block" "kml MP block" "kml SP drop-newest" "kml MP drop-newest" \
	"kml SP drop-oldest" "kml MP drop-oldest" "ck_ring spsc" "ck_ring mpsc" \
	"kml SP block 12B" "kml MP block 12B" "kml MP drop-newest 16B" \
	"kml MP drop-oldest 16B"; do
	case $w in
	kml*) e=kml_ring_enqueue d=kml_ring_dequeue ;;
	"ck_ring spsc") e=ck_enq_spsc_fn d=ck_deq_spsc_fn ;;
	"ck_ring mpsc") e=ck_enq_mpsc_fn d=ck_deq_mpsc_fn ;;
	esac
	enq=$(ir "$e" -- "$w" $rounds cycle)
	deq=$(ir "$d" -- "$w" $rounds cycle)
	full=$(ir "$e" -- "$w" $rounds full)
	awk -v w="$w" -v e="$enq" -v d="$deq" -v f="$full" -v n=$calls 'BEGIN {
		printf "%-24s %10.2f %10.2f %14.2f\n", w, e / n, d / n, (f - 1024 * e / n) / n }'
done

echo
printf '%8s %10s %10s %10s %10s %12s\n' bytes pub_read "word copy" memcpy \
	"read-copy" "pin+unpin"
for size in 8 64 256 4096; do
	n=20000
	r=$(ir kml_pub_read -- "pub $size" $n x)
	c=$(ir copy_words_fn -- "pub $size" $n x)
	m=$(ir memcpy_fn -- "pub $size" $n x)
	p=$(ir kml_pub_pin kml_pub_unpin -- "pub $size" $n x)
	awk -v s=$size -v r=$r -v c=$c -v m=$m -v p=$p -v n=$n 'BEGIN {
		printf "%8d %10.1f %10.1f %10.1f %10.1f %12.1f\n", s, r / n, c / n, m / n, (r - c) / n, p / n }'
done
