#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# sched-shared-test.sh MODULE_DIR LIBKMLIB OUT_DIR [--timeout S]: mq-kmlib
# trained in shared mode. Links kmlib-trainer statically against LIBKMLIB
# (a user-space libkmlib.a), boots Debian's kernel under QEMU TCG with
# MODULE_DIR/{kmlib,mq-kmlib}.ko, fio and a 16 MB sparse virtio disk that
# is slow (200 IOPS, 4-entry virtio queue), and runs
# guest-sched-shared.sh. Fails on any "FAIL" line, a missing "done", a
# QEMU timeout or unclean exit, a taint other than O/E, or a kernel
# problem in the console log (check-console.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mods=$1
lib=$2
out=$3
shift 3
timeout=180
[ "${1:-}" = --timeout ] && timeout=$2

fail() {
	echo "sched-shared-test: $*"
	exit 1
}
for m in kmlib mq-kmlib; do
	[ -f "$mods/$m.ko" ] || fail "$mods/$m.ko is missing"
done
[ -f "$lib" ] || fail "$lib is missing"
command -v fio >/dev/null || fail "fio is not installed"
kdir=$("$here/fetch-kernel.sh") || fail "could not fetch the kernel image"
release=$(cat "$kdir/release")
for m in kmlib mq-kmlib; do
	magic=$(strings "$mods/$m.ko" | sed -n 's/^vermagic=//p')
	[ "${magic%% *}" = "$release" ] || fail "$m.ko is built for '${magic%% *}', the guest runs $release"
done

mkdir -p "$out/bin"
trn=$top/tools/kmlib-trainer
${CC:-cc} -O2 -Wall -Wextra -Werror -static -ffp-contract=off -I"$top/include" \
	-I"$top/sched/mq-kmlib" -o "$out/bin/kmlib-trainer" "$trn/kmlib_trainer.c" \
	"$trn/linreg.c" "$trn/mqk_run.c" "$trn/mqk_train.c" "$trn/mqk_model_user.c" "$trn/mqk_net_user.c" \
	"$top/sched/mq-kmlib/mqk_features.c" "$lib" -lpthread -lm ||
	fail "kmlib-trainer did not build"

rm -f "$out/disk.img"
truncate -s 16M "$out/disk.img"
"$here/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$kdir" "$here/guest-sched-shared.sh" \
	--file "$mods/kmlib.ko" --file "$mods/mq-kmlib.ko" \
	--file "$out/bin/kmlib-trainer" --bin fio || fail "initramfs build failed"
echo "sched-shared-test: booting $release under QEMU TCG (timeout $timeout s)"
t0=$SECONDS
"$here/boot.sh" "$kdir" "$out/initramfs.cpio.gz" "$out" --timeout "$timeout" -- \
	-drive "file=$out/disk.img,if=none,id=d1,format=raw,throttling.iops-total=200" \
	-device virtio-blk-pci,drive=d1,queue-size=4
rc=$?
echo "sched-shared-test: guest ran $((SECONDS - t0)) s, qemu exit $rc"
res=$out/results.txt
tr -d '\r' <"$res" >"$res.tmp" 2>/dev/null && mv "$res.tmp" "$res"
rm -f "$out/disk.img"

echo "---- from the guest ($res)"
cat "$res" 2>/dev/null
echo "----"
ok=1
[ "$rc" = 0 ] || { echo "sched-shared-test: QEMU did not power off cleanly (exit $rc; 124 = timeout)"; ok=0; }
"$here/check-console.sh" "$out/console.log" || ok=0
grep -q '^# schedsh: FAIL' "$res" && ok=0
grep -q '^# schedsh: done$' "$res" || { echo "sched-shared-test: the guest did not finish"; ok=0; }
taint=$(sed -n 's/^# schedsh: tainted //p' "$res")
# allowed: O (4096, out-of-tree module) and E (8192, unsigned module)
if [ -z "$taint" ] || [ $((taint & ~(4096 | 8192))) != 0 ]; then
	echo "sched-shared-test: kernel taint '$taint' (W=512 warning, D=128 oops, ...)"
	ok=0
fi
[ "$ok" = 1 ] || fail "FAILED (console log: $out/console.log)"
echo "sched-shared-test: mq-kmlib shared mode passed"
