#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# capture.sh OUT_DIR [--runtime S] [--iodepth D] [--read-expire MS]
#            [--write-expire MS]: a real mq-kmlib trace. Builds kmlib.ko
# and mq-kmlib.ko, boots Debian's kernel under QEMU TCG with a 1 GB
# virtio disk throttled to 500 IOPS and a 2-deep device queue (as
# tools/experiment.sh), runs fio randrw 70/30 4 KiB, 4 jobs, libaio at
# iodepth D under mq-kmlib (policy observe) with short expiry times so
# that deadlines are missed, and writes OUT_DIR/trace.txt (the debugfs
# trace, format v1). Defaults: 8 s, iodepth 16, read_expire 100 ms,
# write_expire 250 ms (experiment.sh's qd16 tunables).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tools/deps.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift
runtime=8 iodepth=16 rexp=100 wexp=250
while [ $# -gt 0 ]; do
	case $1 in
	--runtime) runtime=$2 ;;
	--iodepth) iodepth=$2 ;;
	--read-expire) rexp=$2 ;;
	--write-expire) wexp=$2 ;;
	*) echo "capture: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
kml_need "${KML_BUILD_PKGS[@]}" "${KML_KERNEL_PKGS[@]}" "${KML_SCHED_PKGS[@]}"
bash "$top/sched/mq-kmlib/build.sh" "$out/mod" >/dev/null ||
	{ echo "capture: building the modules failed" >&2; exit 1; }
kdir=$("$top/tools/kernel/fetch-kernel.sh")
f=$out/files
rm -rf "$f"
mkdir -p "$f"
printf '%s\n' --name=capture --rw=randrw --rwmixread=70 --bs=4k --direct=1 \
	--numjobs=4 --thread --size=1G --time_based --runtime="$runtime" \
	--group_reporting --ioengine=libaio --iodepth="$iodepth" >"$f/job"
printf '%s\n' read_expire="$rexp" write_expire="$wexp" >"$f/tunables"
"$top/tools/kernel/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$kdir" \
	"$here/guest-capture.sh" --file "$out/mod/kmlib.ko" \
	--file "$out/mod/mq-kmlib.ko" --file "$f/job" --file "$f/tunables" \
	--bin fio
rm -f "$out/disk.img"
truncate -s 1G "$out/disk.img"
rc=0
"$top/tools/kernel/boot.sh" "$kdir" "$out/initramfs.cpio.gz" "$out/qemu" \
	--timeout $((runtime + 240)) -- \
	-drive "file=$out/disk.img,if=none,id=d1,format=raw,throttling.iops-total=500" \
	-device virtio-blk-pci,drive=d1,num-queues=1 || rc=$?
rm -f "$out/disk.img"
res=$out/qemu/results.txt
tr -d '\r' <"$res" | sed -n '/^=== trace$/,/^=== end$/p' | sed '1d;$d' >"$out/trace.txt"
tr -d '\r' <"$res" | grep '^# capture:' || true
"$top/tools/kernel/check-console.sh" "$out/qemu/console.log" || rc=1
grep -q '^# capture: FAIL' "$res" && rc=1
grep -q '^# capture: done' "$res" || rc=1
echo "capture: $(grep -vc '^#' "$out/trace.txt") samples in $out/trace.txt (qemu/console exit $rc)"
exit "$rc"
