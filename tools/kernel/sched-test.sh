#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# sched-test.sh MODULE_DIR OUT_DIR [--timeout S]: the mq-kmlib test. Boots
# Debian's kernel under QEMU TCG with a 256 MB and a 16 MB sparse virtio
# disk (the second one slow: a 4-entry virtio queue at 200 IOPS, so
# requests wait in the scheduler and merge there) and an initramfs
# holding MODULE_DIR/{kmlib,mq-kmlib}.ko and fio; the guest
# (guest-sched.sh) checks tunables, per-disk data, fio randrw while
# switching schedulers, merges, the learning (policies, statistics, forced
# drops, learnability, debugfs trace, expedite, the reject fence with
# io_uring), and unloads. Fails on any "FAIL" line, a missing "done", a
# QEMU timeout or unclean exit, a taint other than O/E, or a kernel
# problem in the console log (check-console.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mods=$1
out=$2
shift 2
timeout=240
[ "${1:-}" = --timeout ] && timeout=$2

fail() {
	echo "sched-test: $*"
	exit 1
}
for m in kmlib mq-kmlib; do
	[ -f "$mods/$m.ko" ] || fail "$mods/$m.ko is missing"
done
command -v fio >/dev/null || fail "fio is not installed"
kdir=$("$here/fetch-kernel.sh") || fail "could not fetch the kernel image"
release=$(cat "$kdir/release")
for m in kmlib mq-kmlib; do
	magic=$(strings "$mods/$m.ko" | sed -n 's/^vermagic=//p')
	[ "${magic%% *}" = "$release" ] || fail "$m.ko is built for '${magic%% *}', the guest runs $release"
done

mkdir -p "$out"
rm -f "$out/disk.img" "$out/disk2.img"
truncate -s 256M "$out/disk.img"
truncate -s 16M "$out/disk2.img"
"$here/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$kdir" "$here/guest-sched.sh" \
	--file "$mods/kmlib.ko" --file "$mods/mq-kmlib.ko" --bin fio ||
	fail "initramfs build failed"
echo "sched-test: booting $release under QEMU TCG (timeout $timeout s)"
t0=$SECONDS
"$here/boot.sh" "$kdir" "$out/initramfs.cpio.gz" "$out" --timeout "$timeout" -- \
	-drive "file=$out/disk.img,if=none,id=d1,format=raw" \
	-device virtio-blk-pci,drive=d1 \
	-drive "file=$out/disk2.img,if=none,id=d2,format=raw,throttling.iops-total=200" \
	-device virtio-blk-pci,drive=d2,queue-size=4
rc=$?
echo "sched-test: guest ran $((SECONDS - t0)) s, qemu exit $rc"
res=$out/results.txt
tr -d '\r' <"$res" >"$res.tmp" 2>/dev/null && mv "$res.tmp" "$res"
rm -f "$out/disk.img" "$out/disk2.img"

echo "---- from the guest ($res)"
cat "$res" 2>/dev/null
echo "----"
ok=1
[ "$rc" = 0 ] || { echo "sched-test: QEMU did not power off cleanly (exit $rc; 124 = timeout)"; ok=0; }
"$here/check-console.sh" "$out/console.log" || ok=0
grep -q '^# sched: FAIL' "$res" && ok=0
grep -q '^# sched: done$' "$res" || { echo "sched-test: the guest did not finish"; ok=0; }
taint=$(sed -n 's/^# sched: tainted //p' "$res")
# allowed: O (4096, out-of-tree module) and E (8192, unsigned module)
if [ -z "$taint" ] || [ $((taint & ~(4096 | 8192))) != 0 ]; then
	echo "sched-test: kernel taint '$taint' (W=512 warning, D=128 oops, ...)"
	ok=0
fi
[ "$ok" = 1 ] || fail "FAILED (console log: $out/console.log)"
echo "sched-test: mq-kmlib passed"
