#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-experiment.sh: /payload of tools/experiment.sh. Loads kmlib.ko and
# mq-kmlib.ko and runs the same fio job on /dev/vda under each scheduler
# of /files/schedulers (one line: names in run order, repeats included),
# writing each fio JSON report to the results port between
# "=== fio <scheduler> <run>" and "=== end" lines. The job comes from
# /files/fio-args (one fio argument per line).
export PATH=/bin:/usr/bin # fio sits at its host path
res=/dev/ttyS1
sched=/sys/block/vda/queue/scheduler
say() {
	echo "# experiment: $*" >>"$res"
	echo "experiment-guest: $*"
}

insmod /files/kmlib.ko || { say "FAIL insmod kmlib.ko"; exit 1; }
insmod /files/mq-kmlib.ko || { say "FAIL insmod mq-kmlib.ko"; exit 1; }
set -- $(cat /files/fio-args)
run=0
for s in $(cat /files/schedulers); do
	run=$((run + 1))
	echo "$s" >"$sched" || { say "FAIL cannot select $s"; exit 1; }
	say "run $run: $(cat $sched)"
	fio --filename=/dev/vda --output-format=json --output=/tmp/fio.json "$@" ||
		say "FAIL fio exited with $? under $s"
	{
		echo "=== fio $s $run"
		cat /tmp/fio.json
		echo "=== end"
	} >>"$res"
done
echo none >"$sched"
rmmod mq-kmlib && rmmod kmlib || say "FAIL unload"
say "tainted $(cat /proc/sys/kernel/tainted)"
say "done"
