#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# main.sh [experiment options] - the main job: the learned I/O scheduler
# experiment (tools/experiment.sh: mq-deadline against mq-kmlib's
# policies under fio in Debian's kernel under QEMU, the reliability part,
# the table and the plot; docs/evaluation.md). About 20 minutes on 2
# cores; options such as --runs 1 --runtime 5 make it shorter.
# main.sh --demo: the former side-by-side demo instead: one MLP training
# run (examples/side_by_side/) in user space and inside the kernel,
# printed next to each other and required to be bit-identical.
# Installs missing Debian packages itself when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
. tools/deps.sh
out=${KML_MAIN_OUT:-$top/build-main}

if [ "${1:-}" != --demo ]; then
	exec tools/experiment.sh --out "$out/experiment" "$@"
fi

kml_need "${KML_BUILD_PKGS[@]}" "${KML_KERNEL_PKGS[@]}"

echo "== building libkmlib.a, kmlib.ko and the demo"
if [ -f "$out/build.ninja" ]; then
	meson configure "$out" -Dkernel=enabled >/dev/null
else
	meson setup "$out" -Dkernel=enabled -Dtests=false -Dbench=false >/dev/null
fi
ninja -C "$out" >/dev/null

# kmlib_demo.ko: a client module of kmlib.ko, built the way any user of
# KMLib would build one (against kmlib's Module.symvers). Kbuild writes
# objects next to sources, so it builds in a copy.
kver=$(kml_kver)
kdir=/usr/src/linux-headers-$kver-amd64
mod=$out/demo-module
rm -rf "$mod"
mkdir -p "$mod"
cp -r include "$mod/include"
cp examples/side_by_side/*.[ch] examples/side_by_side/Kbuild "$mod/"
make -s -C "$kdir" M="$mod" \
	KBUILD_EXTRA_SYMBOLS="$out/platform/kernel/kmlib/Module.symvers" modules 2>&1 |
	{ grep -v '^Skipping BTF generation' || true; }

echo "== training in user space"
"$out/examples/kmlib_demo" >"$out/demo-user.txt" || true

echo "== training in the kernel (Debian $kver under QEMU)"
kimg=$(tools/kernel/fetch-kernel.sh)
tools/kernel/mkinitramfs.sh "$out/demo-initramfs.cpio.gz" "$kimg" \
	examples/side_by_side/guest-demo.sh \
	--file "$out/platform/kernel/kmlib.ko" --file "$mod/kmlib_demo.ko"
tools/kernel/boot.sh "$kimg" "$out/demo-initramfs.cpio.gz" "$out/demo-qemu" --timeout 300
tr -d '\r' <"$out/demo-qemu/results.txt" >"$out/demo-kernel.txt"
tools/kernel/check-console.sh "$out/demo-qemu/console.log"

echo
python3 tools/side_by_side.py "$out/demo-user.txt" "$out/demo-kernel.txt"
grep -q 'kmlib-demo-guest: unload ok' "$out/demo-kernel.txt" ||
	{ echo "main: the modules did not unload cleanly"; exit 1; }
