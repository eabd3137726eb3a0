#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# check-console.sh CONSOLE_LOG: fail (and print the lines) if the kernel
# reported a problem: BUG, WARNING, Oops, a panic, sleeping in atomic
# context, a stack trace, a lockup or stall, a sanitizer report, or the
# guest watchdog firing. The log is the guest's ttyS0 (boot.sh sets loglevel=5:
# warnings and worse reach it).
set -u
log=$1
[ -s "$log" ] || { echo "console: $log is missing or empty"; exit 1; }
bad='BUG[: ]|WARNING|Oops|Kernel panic|scheduling while atomic|sleeping function called|Call Trace|general protection fault|soft lockup|hard LOCKUP|blocked for more than|rcu_.*stall|UBSAN:|KASAN:|kmlib-guest: watchdog'
if grep -aE "$bad" "$log"; then
	echo "console: the kernel reported a problem (lines above; full log: $log)"
	exit 1
fi
exit 0
