#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# experiment.sh [--runs N] [--runtime S] [--iodepth D]: the scheduler
# experiment (skeleton). Builds kmlib.ko and mq-kmlib.ko, boots Debian's
# kernel under QEMU TCG with a 1 GB sparse virtio disk throttled to 500
# IOPS, runs the same fio job (randrw 70/30, 4 KiB, 4 jobs, direct,
# libaio) under mq-deadline and mq-kmlib, interleaved N times, and prints
# IOPS and p50/p99/p99.9 latency side by side (tools/experiment_table.py).
# mq-kmlib has no learning yet: this compares two deadline schedulers.
# TCG timing is host wall-clock plus emulation: compare within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
. tools/deps.sh
out=${KML_EXPERIMENT_OUT:-$top/build-experiment}
runs=1
runtime=10
iodepth=4
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--runtime) runtime=$2; shift 2 ;;
	--iodepth) iodepth=$2; shift 2 ;;
	*) echo "experiment: unknown option $1" >&2; exit 2 ;;
	esac
done
kml_need "${KML_BUILD_PKGS[@]}" "${KML_KERNEL_PKGS[@]}" "${KML_SCHED_PKGS[@]}"

echo "== building kmlib.ko and mq-kmlib.ko"
# KML_KMLIB_DIR: reuse the kbuild directory of an existing kmlib.ko
if [ -n "${KML_KMLIB_DIR:-}" ]; then
	bash sched/mq-kmlib/build.sh "$out" "$KML_KMLIB_DIR" >/dev/null
	cp "$KML_KMLIB_DIR/kmlib.ko" "$out/kmlib.ko"
else
	bash sched/mq-kmlib/build.sh "$out" >/dev/null
fi
kdir=$(tools/kernel/fetch-kernel.sh)

mkdir -p "$out/files"
order=
for _ in $(seq "$runs"); do order="$order mq-deadline mq-kmlib"; done
echo "$order" >"$out/files/schedulers"
printf '%s\n' --name=randrw --rw=randrw --rwmixread=70 --bs=4k --direct=1 \
	--ioengine=libaio --iodepth="$iodepth" --numjobs=4 --size=1G \
	--time_based --runtime="$runtime" --group_reporting >"$out/files/fio-args"
rm -f "$out/disk.img"
truncate -s 1G "$out/disk.img"
tools/kernel/mkinitramfs.sh "$out/initramfs.cpio.gz" "$kdir" tools/kernel/guest-experiment.sh \
	--file "$out/kmlib.ko" --file "$out/mq-kmlib.ko" \
	--file "$out/files/schedulers" --file "$out/files/fio-args" --bin fio
total=$((runs * 2 * (runtime + 5) + 120))
echo "== $runs x (mq-deadline, mq-kmlib), $runtime s each, iodepth $iodepth, disk throttled to 500 IOPS"
tools/kernel/boot.sh "$kdir" "$out/initramfs.cpio.gz" "$out/qemu" --timeout "$total" -- \
	-drive "file=$out/disk.img,if=virtio,format=raw,throttling.iops-total=500"
rm -f "$out/disk.img"
res=$out/qemu/results.txt
tr -d '\r' <"$res" >"$res.tmp" && mv "$res.tmp" "$res"
grep '^# experiment:' "$res" || true
tools/kernel/check-console.sh "$out/qemu/console.log"
if grep -q '^# experiment: FAIL' "$res" || ! grep -q '^# experiment: done$' "$res"; then
	echo "experiment: the guest failed (results: $res)"
	exit 1
fi
python3 tools/experiment_table.py "$res"
