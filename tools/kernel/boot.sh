#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# boot.sh KERNEL_DIR INITRD OUT_DIR [options] [-- extra qemu args]: boot
# the Debian kernel from fetch-kernel.sh with INITRD under QEMU TCG (no
# KVM on these machines) and wait for it to power off. Writes
#   OUT_DIR/console.log  ttyS0: kernel log and the guest's messages
#   OUT_DIR/results.txt  ttyS1: what the payload reports
# Options: --timeout S (host side, default 600; the guest watchdog fires
# 30 s earlier), --mem M (1G), --smp N (2), --append "kernel args".
# Extra arguments go to QEMU, e.g. -- -drive file=disk.img,if=virtio,format=raw
# Exit status: QEMU's, 124 when the host timeout killed it.
set -uo pipefail
kdir=$1
initrd=$2
out=$3
shift 3
timeout=600
mem=1G
smp=2
append=
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "boot: unknown option $1" >&2; exit 2 ;;
	esac
done

mkdir -p "$out"
rm -f "$out/console.log" "$out/results.txt"
wd=$((timeout > 60 ? timeout - 30 : timeout * 3 / 4))
# -cpu max: every feature TCG emulates (SSE2 and up), so the FPU code runs
# as on real hardware. loglevel=5: the console shows KERN_WARNING and more
# severe (a WARN() is level 4, which loglevel=4 would hide). log_buf_len:
# room for the whole test log in dmesg.
timeout --kill-after=10 "$timeout" qemu-system-x86_64 \
	-accel tcg -cpu max -m "$mem" -smp "$smp" \
	-nodefaults -display none -no-reboot -nic none \
	-kernel "$kdir/vmlinuz" -initrd "$initrd" \
	-serial "file:$out/console.log" -serial "file:$out/results.txt" \
	-append "console=ttyS0 panic=-1 quiet loglevel=5 log_buf_len=4M kml_watchdog=$wd $append" \
	"$@"
