#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-capture.sh: /payload of tools/mqk-trace/capture.sh. Reloads
# virtio_blk with a 2-deep device queue (requests wait in the scheduler),
# selects mq-kmlib (policy observe: it predicts, changes nothing) with the
# tunables in /files/tunables, enables the trace ring, runs the fio job in
# /files/job (one argument a line) and copies the debugfs trace to the
# results port between "=== trace" and "=== end".
export PATH=/bin:/usr/bin
res=/dev/ttyS1
ios=/sys/block/vda/queue/iosched
say() {
	echo "# capture: $*" >>"$res"
	echo "capture-guest: $*"
}
insmod /files/kmlib.ko && insmod /files/mq-kmlib.ko || { say "FAIL insmod"; exit 1; }
rmmod virtio_blk && insmod /lib/modules/virtio_blk.ko queue_depth=2 ||
	{ say "FAIL virtio_blk queue_depth=2"; exit 1; }
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/block/vda/queue/scheduler ] && break; sleep 0.2; done
echo mq-kmlib >/sys/block/vda/queue/scheduler || { say "FAIL select mq-kmlib"; exit 1; }
echo 128 >/sys/block/vda/queue/nr_requests
echo observe >$ios/policy || say "FAIL policy observe"
for kv in $(cat /files/tunables); do
	echo "${kv#*=}" >"$ios/${kv%%=*}" || say "FAIL ${kv%%=*}=${kv#*=}"
done
echo 65536 >$ios/trace_samples || say "FAIL trace_samples"
fio --filename=/dev/vda --output=/tmp/fio.out $(cat /files/job) </dev/null >/dev/null 2>&1 ||
	say "FAIL fio exited with $?"
for a in read_expire write_expire stat_inserted stat_dispatched stat_samples \
	stat_samples_dropped stat_train_steps stat_predictions stat_accuracy_ppm \
	stat_baseline_ppm stat_gate_open stat_deadline_misses; do
	say "attr $a $(cat $ios/$a 2>/dev/null || echo n/a)"
done
t=/sys/kernel/debug/block/vda/sched/trace
[ -r $t ] || { say "FAIL no $t"; exit 1; }
{
	echo "=== trace"
	cat $t
	echo "=== end"
} >>"$res"
echo none >/sys/block/vda/queue/scheduler
say "done"
