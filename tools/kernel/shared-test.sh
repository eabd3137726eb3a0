#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# shared-test.sh MODULE_DIR LIBKMLIB OUT_DIR [--timeout S]: the shared-mode
# test. Links kmlib-trainer, shm_hostile and shm_bench statically against
# LIBKMLIB (a user-space libkmlib.a), boots Debian's kernel under QEMU TCG
# with MODULE_DIR/{kmlib,kmlib_shared_test}.ko and runs guest-shared.sh.
# Fails on any "FAIL" line, a missing "done", a QEMU timeout or unclean
# exit, a taint other than O/E, or a kernel problem in the console log.
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
	echo "shared-test: $*"
	exit 1
}
for m in kmlib kmlib_shared_test; do
	[ -f "$mods/$m.ko" ] || fail "$mods/$m.ko is missing"
done
[ -f "$lib" ] || fail "$lib is missing"
kdir=$("$here/fetch-kernel.sh") || fail "could not fetch the kernel image"
release=$(cat "$kdir/release")
for m in kmlib kmlib_shared_test; do
	magic=$(strings "$mods/$m.ko" | sed -n 's/^vermagic=//p')
	[ "${magic%% *}" = "$release" ] || fail "$m.ko is built for '${magic%% *}', the guest runs $release"
done

mkdir -p "$out/bin"
cc=${CC:-cc}
flags=(-O2 -Wall -Wextra -Werror -static -ffp-contract=off -I"$top/include")
tr=$top/tools/kmlib-trainer
# --format mqk builds mq-kmlib's feature and model code (tools/kmlib-trainer/meson.build)
$cc "${flags[@]}" -I"$top/sched/mq-kmlib" -o "$out/bin/kmlib-trainer" "$tr/kmlib_trainer.c" "$tr/linreg.c" \
	"$tr/mqk_run.c" "$tr/mqk_train.c" "$tr/mqk_model_user.c" "$tr/mqk_net_user.c" "$top/sched/mq-kmlib/mqk_features.c" "$lib" -lpthread -lm &&
	$cc "${flags[@]}" -o "$out/bin/shm_hostile" "$top/tests/shared/shm_hostile.c" "$lib" -lpthread -lm &&
	$cc "${flags[@]}" -o "$out/bin/shm_bench" "$top/tests/shared/shm_bench.c" "$lib" -lpthread -lm ||
	fail "static user programs did not build"

"$here/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$kdir" "$here/guest-shared.sh" \
	--file "$mods/kmlib.ko" --file "$mods/kmlib_shared_test.ko" \
	--file "$out/bin/kmlib-trainer" --file "$out/bin/shm_hostile" \
	--file "$out/bin/shm_bench" || fail "initramfs build failed"
echo "shared-test: booting $release under QEMU TCG (timeout $timeout s)"
t0=$SECONDS
"$here/boot.sh" "$kdir" "$out/initramfs.cpio.gz" "$out" --timeout "$timeout"
rc=$?
echo "shared-test: guest ran $((SECONDS - t0)) s, qemu exit $rc"
res=$out/results.txt
tr -d '\r' <"$res" >"$res.tmp" 2>/dev/null && mv "$res.tmp" "$res"

echo "---- from the guest ($res)"
cat "$res" 2>/dev/null
echo "----"
ok=1
[ "$rc" = 0 ] || { echo "shared-test: QEMU did not power off cleanly (exit $rc; 124 = timeout)"; ok=0; }
"$here/check-console.sh" "$out/console.log" || ok=0
grep -q '^# shared: FAIL' "$res" && ok=0
grep -q '^# shared: done$' "$res" || { echo "shared-test: the guest did not finish"; ok=0; }
taint=$(sed -n 's/^# shared: tainted //p' "$res")
# allowed: O (4096, out-of-tree module) and E (8192, unsigned module)
if [ -z "$taint" ] || [ $((taint & ~(4096 | 8192))) != 0 ]; then
	echo "shared-test: kernel taint '$taint' (W=512 warning, D=128 oops, ...)"
	ok=0
fi
[ "$ok" = 1 ] || fail "FAILED (console log: $out/console.log)"
echo "shared-test: shared mode passed"
