#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-ktest.sh: /payload for the kernel tests. Loads kmlib.ko and
# kmlib_test.ko (which runs every shared case while loading), copies the
# KTAP lines from the kernel log to the results port, unloads both modules
# and reports how that went as KTAP diagnostic lines ("# kmlib-guest: ...").
res=/dev/ttyS1
say() {
	echo "# kmlib-guest: $*" >>"$res"
	echo "kmlib-guest: $*"
}
uptime_ms() {
	awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}

echo "kmlib-guest: loading modules" # the host checks the log from here on
insmod /files/kmlib.ko || { say "insmod kmlib.ko failed"; exit 1; }
t0=$(uptime_ms)
insmod /files/kmlib_test.ko || { say "insmod kmlib_test.ko failed"; exit 1; }
t1=$(uptime_ms)
dmesg | sed 's/^\[[^]]*\] //' | awk '
	/^KTAP version 1$/ { on = 1 }
	on && /^(KTAP version 1|[0-9]+\.\.[0-9]+|# .*|(not )?ok [0-9]+ .*)$/' >>"$res"
say "insmod kmlib_test.ko (the whole test run) took $((t1 - t0)) ms"

# kmlib_test holds kmlib: the dependency is real
say "kmlib refcnt with kmlib_test loaded: $(cat /sys/module/kmlib/refcnt)"
rmmod kmlib_test || { say "rmmod kmlib_test failed"; exit 1; }
say "kmlib refcnt after: $(cat /sys/module/kmlib/refcnt)"
rmmod kmlib || { say "rmmod kmlib failed"; exit 1; }
if [ -e /sys/module/kmlib ] || [ -e /sys/module/kmlib_test ]; then
	say "modules still present after rmmod"
	exit 1
fi
say "unload ok"
say "tainted $(cat /proc/sys/kernel/tainted)"
say "done"
