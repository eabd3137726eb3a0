#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# ktest.sh MODULE_DIR USER_DIGESTS OUT_DIR [--timeout S]: the kernel tests.
# Boots Debian's kernel (fetch-kernel.sh) under QEMU TCG with an initramfs
# holding MODULE_DIR/kmlib.ko and MODULE_DIR/kmlib_test.ko, which runs
# every shared case in the kernel and reports KTAP on the second serial
# port. Fails on: a module built for another kernel, a hang or timeout, a
# missing KTAP plan or result, any "not ok", a failed or unclean unload, a
# taint other than out-of-tree/unsigned, a kernel problem in the console
# log (check-console.sh), and any digest that differs from user space
# (compare-digests.sh). Prints the KTAP lines and a digest table.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mods=$1
digests=$2
out=$3
shift 3
timeout=600
[ "${1:-}" = --timeout ] && timeout=$2

fail() {
	echo "ktest: $*"
	exit 1
}

for m in kmlib kmlib_test; do
	[ -f "$mods/$m.ko" ] || fail "$mods/$m.ko is missing (build with -Dkernel=enabled)"
done
kdir=$("$here/fetch-kernel.sh") || fail "could not fetch the kernel image"
release=$(cat "$kdir/release")
for m in kmlib kmlib_test; do
	magic=$(strings "$mods/$m.ko" | sed -n 's/^vermagic=//p')
	[ "${magic%% *}" = "$release" ] || fail "$m.ko is built for '${magic%% *}', the guest runs $release"
done

mkdir -p "$out"
"$here/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$kdir" "$here/guest-ktest.sh" \
	--file "$mods/kmlib.ko" --file "$mods/kmlib_test.ko" || fail "initramfs build failed"
echo "ktest: booting $release under QEMU TCG (timeout $timeout s)"
t0=$SECONDS
"$here/boot.sh" "$kdir" "$out/initramfs.cpio.gz" "$out" --timeout "$timeout"
rc=$?
echo "ktest: guest ran $((SECONDS - t0)) s, qemu exit $rc"
res=$out/results.txt
tr -d '\r' <"$res" >"$res.tmp" 2>/dev/null && mv "$res.tmp" "$res"

echo "---- KTAP from the guest ($res)"
cat "$res" 2>/dev/null
echo "----"
ok=1
[ "$rc" = 0 ] || { echo "ktest: QEMU did not power off cleanly (exit $rc; 124 = timeout)"; ok=0; }
"$here/check-console.sh" "$out/console.log" || ok=0

# KTAP: a version line, a plan, every test line 1..N in order, no failure
awk '
	NR == 1 && $0 != "KTAP version 1" { print "ktest: first line is not KTAP version 1"; bad = 1 }
	/^[0-9]+\.\.[0-9]+$/ { split($0, p, "\\.\\."); plan = p[2] + 0; plans++ }
	/^(not )?ok [0-9]+ / {
		num = ($1 == "not") ? $3 : $2
		if (num != ++seen) { print "ktest: test " num " out of order"; bad = 1 }
		if ($1 == "not") failed++
	}
	END {
		if (plans != 1) { print "ktest: no KTAP plan"; bad = 1 }
		else if (seen != plan) { print "ktest: plan 1.." plan " but " seen " results"; bad = 1 }
		if (failed) { print "ktest: " failed " case(s) not ok"; bad = 1 }
		exit bad
	}' "$res" 2>/dev/null || ok=0
grep -q '^# kmlib-guest: unload ok$' "$res" || { echo "ktest: modules did not unload cleanly"; ok=0; }
grep -q '^# kmlib-guest: done$' "$res" || { echo "ktest: the guest did not finish"; ok=0; }
taint=$(sed -n 's/^# kmlib-guest: tainted //p' "$res")
# allowed: O (4096, out-of-tree module) and E (8192, unsigned module)
if [ -z "$taint" ] || [ $((taint & ~(4096 | 8192))) != 0 ]; then
	echo "ktest: kernel taint '$taint' (W=512 warning, D=128 oops, ...)"
	ok=0
fi

echo "---- digests: kernel vs user space ($digests)"
"$here/compare-digests.sh" "$res" "$digests" || ok=0
[ "$ok" = 1 ] || fail "FAILED (console log: $out/console.log)"
echo "ktest: all kernel tests passed, digests equal to user space"
