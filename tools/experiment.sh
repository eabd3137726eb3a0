#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# experiment.sh [options]: the learned I/O scheduler experiment (issue 7,
# docs/evaluation.md). Builds kmlib.ko and mq-kmlib.ko, boots Debian's
# kernel once under QEMU TCG with a 1 GB sparse virtio disk throttled to
# 500 IOPS whose device queue is 2 requests deep (virtio_blk queue_depth=2,
# one hardware queue, nr_requests 128: requests wait in the I/O scheduler),
# and runs, round-robin, RUNS rounds of
#   workload "qd1":  fio randrw 70/30, 4 KiB, 4 threads, 1 GB, direct,
#                    pvsync2 (one I/O in flight per thread, the paper's job)
#   workload "qd16": the same with libaio, iodepth 16 per thread
# each under mq-deadline and mq-kmlib with policy off, observe, expedite
# and reject (reject with fio --nowait=1 at the opted-in I/O priority,
# counting EAGAIN as errors; off-nowait: the same job under policy off, the
# control that separates rejection from fio's NOWAIT submission). Then the reliability part (50 scheduler
# switches under load, 10 module reloads, a run with training paused, the
# reject fence). Prints the table and writes OUT/table.md and
# OUT/latency.png (tools/experiment_table.py).
# Options:
#   --runs N        rounds (default 5)
#   --runtime S     seconds per fio run (default 12)
#   --workloads L   comma list of qd1,qd16 (default both)
#   --configs L     comma list (default mq-deadline,off,observe,expedite,reject,
#                   off-nowait: policy off with reject's fio job, its control)
#   --reliability   only the reliability part;  --no-reliability: skip it
#   --out DIR       output directory (default build-experiment, or $KML_EXPERIMENT_OUT)
# KML_KMLIB_DIR=<kbuild dir of kmlib>: reuse an existing kmlib.ko build.
# TCG timing is host wall-clock plus emulation: compare within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
. tools/deps.sh
out=${KML_EXPERIMENT_OUT:-$top/build-experiment}
runs=5
runtime=12
workloads=qd1,qd16
configs=mq-deadline,off,observe,expedite,reject,off-nowait
mode=all
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--runtime) runtime=$2; shift 2 ;;
	--workloads) workloads=$2; shift 2 ;;
	--configs) configs=$2; shift 2 ;;
	--reliability) mode=reliability; shift ;;
	--no-reliability) mode=experiment; shift ;;
	--out) out=$2; shift 2 ;;
	*) echo "experiment: unknown option $1" >&2; exit 2 ;;
	esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
kml_need "${KML_BUILD_PKGS[@]}" "${KML_KERNEL_PKGS[@]}" "${KML_SCHED_PKGS[@]}"
[ "$mode" = reliability ] || kml_need python3-matplotlib # the plot

# The device and the deadlines (docs/evaluation.md, "Setup"): the same
# tunables for both schedulers. A 2-deep device queue at 500 IOPS serves
# a request every 2 ms: with 4 (qd1) or 64 (qd16) requests in flight,
# requests wait ~4 ms or ~120 ms in the scheduler; the expiry times are
# set near those waits so that deadlines are actually missed.
qdepth=2
nr_requests=128
iops=500
reject_prio=2/7 # best effort, level 7: fio --prioclass=2 --prio=7
tun_qd1="read_expire=8 write_expire=12"
tun_qd16="read_expire=100 write_expire=250"

echo "== building kmlib.ko and mq-kmlib.ko"
if [ -n "${KML_KMLIB_DIR:-}" ]; then
	bash sched/mq-kmlib/build.sh "$out" "$KML_KMLIB_DIR" >/dev/null
	cp "$KML_KMLIB_DIR/kmlib.ko" "$out/kmlib.ko"
else
	bash sched/mq-kmlib/build.sh "$out" >/dev/null
fi
kdir=$(tools/kernel/fetch-kernel.sh)

f=$out/files
rm -rf "$f"
mkdir -p "$f"
echo "$qdepth" >"$f/queue_depth"
echo "$nr_requests" >"$f/nr_requests"
echo "$reject_prio" >"$f/reject_prio"
common=(--rw=randrw --rwmixread=70 --bs=4k --direct=1 --numjobs=4 --thread
	--size=1G --time_based --runtime="$runtime" --group_reporting)
reject=(--nowait=1 --prioclass="${reject_prio%/*}" --prio="${reject_prio#*/}"
	--continue_on_error=all --ignore_error=EAGAIN,EAGAIN)
printf '%s\n' --name=qd1 "${common[@]}" --ioengine=pvsync2 >"$f/wl-qd1"
printf '%s\n' --name=qd16 "${common[@]}" --ioengine=libaio --iodepth=16 >"$f/wl-qd16"
for w in qd1 qd16; do
	{ cat "$f/wl-$w"; printf '%s\n' "${reject[@]}"; } >"$f/wl-$w-reject"
done
echo "$tun_qd1" | tr ' ' '\n' >"$f/tunables-qd1"
echo "$tun_qd16" | tr ' ' '\n' >"$f/tunables-qd16"

# the plan: rounds of every workload x config, round-robin
nrun=0
{
	[ "$mode" = experiment ] || echo reliability
	if [ "$mode" != reliability ]; then
		for r in $(seq "$runs"); do
			for w in ${workloads//,/ }; do
				for c in ${configs//,/ }; do
					nrun=$((nrun + 1))
					echo "run $r $w $c"
				done
			done
		done
	fi
} >"$f/plan"
nrun=$(grep -c '^run ' "$f/plan" || true)
plan_files=()
for x in "$f"/*; do plan_files+=(--file "$x"); done
tools/kernel/mkinitramfs.sh "$out/initramfs.cpio.gz" "$kdir" tools/kernel/guest-experiment.sh \
	--file "$out/kmlib.ko" --file "$out/mq-kmlib.ko" "${plan_files[@]}" --bin fio

total=$((nrun * (runtime + 12) + 300))
echo "== $nrun fio runs of $runtime s ($runs rounds of {$workloads} x {$configs})$([ "$mode" = experiment ] || echo ', reliability'); guest timeout $total s"
rm -f "$out/disk.img"
truncate -s 1G "$out/disk.img"
t0=$SECONDS
rc=0
tools/kernel/boot.sh "$kdir" "$out/initramfs.cpio.gz" "$out/qemu" --timeout "$total" -- \
	-drive "file=$out/disk.img,if=none,id=d1,format=raw,throttling.iops-total=$iops" \
	-device virtio-blk-pci,drive=d1,num-queues=1 || rc=$?
echo "== guest ran $((SECONDS - t0)) s, qemu exit $rc"
rm -f "$out/disk.img"
res=$out/qemu/results.txt
tr -d '\r' <"$res" >"$res.tmp" && mv "$res.tmp" "$res"
grep '^# experiment:' "$res" | grep -v '^# experiment: run ' || true
ok=1
[ "$rc" = 0 ] || { echo "experiment: QEMU did not power off cleanly (exit $rc; 124 = timeout)"; ok=0; }
tools/kernel/check-console.sh "$out/qemu/console.log" || ok=0
grep -q '^# experiment: FAIL' "$res" && ok=0
grep -q '^# experiment: done$' "$res" || { echo "experiment: the guest did not finish"; ok=0; }
taint=$(sed -n 's/^# experiment: tainted //p' "$res")
if [ -z "$taint" ] || [ $((taint & ~(4096 | 8192))) != 0 ]; then
	echo "experiment: kernel taint '$taint' (allowed: O and E)"
	ok=0
fi

echo "== footprint"
for m in kmlib mq-kmlib; do size "$out/$m.ko" | tail -1 | awk -v m="$m.ko" '{ printf "%-12s text %d data %d bss %d total %d B\n", m, $1, $2, $3, $4 }'; done |
	tee "$out/footprint.txt"
if [ "$nrun" -gt 0 ]; then
	/usr/bin/python3 tools/experiment_table.py "$res" --md "$out/table.md" --png "$out/latency.png" \
		--setup "queue_depth=$qdepth nr_requests=$nr_requests iops=$iops runtime=${runtime}s qd1: $tun_qd1; qd16: $tun_qd16" ||
		ok=0
fi
[ "$ok" = 1 ] || { echo "experiment: FAILED (results: $res, console: $out/qemu/console.log)"; exit 1; }
echo "experiment: ok (results: $res)"
