#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-init.sh: /init of the test initramfs (busybox sh). Mounts the
# basics, arms a watchdog that powers the guest off, loads the virtio
# modules, runs /payload (the test; it writes its results to /dev/ttyS1,
# the second serial port) and powers off. Kernel messages and what this
# script says go to the console (ttyS0).
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# the initramfs has no /dev/console node: attach to it now
exec </dev/console >/dev/console 2>&1
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /tmp

wd=300
for arg in $(cat /proc/cmdline); do
	case $arg in
	kml_watchdog=*) wd=${arg#kml_watchdog=} ;;
	esac
done
# a hung test must not hang the host: power off, with the recent log
(
	sleep "$wd"
	echo "kmlib-guest: watchdog: no result after $wd s, powering off"
	dmesg | tail -n 60
	poweroff -f
) &

# the results port carries bytes as written (no \n -> \r\n)
stty -F /dev/ttyS1 raw -echo 2>/dev/null

# busybox insmod resolves no dependencies: this is their order
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev \
	virtio_pci virtio_blk; do
	[ -f "/lib/modules/$m.ko" ] || continue
	insmod "/lib/modules/$m.ko" || echo "kmlib-guest: insmod $m failed"
done

echo "kmlib-guest: running /payload"
sh /payload
echo "kmlib-guest: payload exited with $?"
sync
poweroff -f
