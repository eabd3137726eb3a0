#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-experiment.sh: /payload of tools/experiment.sh. Reloads virtio_blk
# with a shallow device queue (/files/queue_depth: requests then wait in
# the I/O scheduler, where a scheduler can act), loads kmlib.ko and
# mq-kmlib.ko, and follows /files/plan, one step a line:
#   run N WORKLOAD CONFIG   fio job /files/wl-WORKLOAD (one argument a
#                           line; /files/wl-WORKLOAD-reject for CONFIG
#                           reject) on a freshly selected scheduler: CONFIG
#                           is mq-deadline or the mq-kmlib policy
#                           (off|observe|expedite|reject), or off-nowait
#                           (policy off with reject's job); tunables from
#                           /files/tunables-WORKLOAD (name=value lines)
#   reliability             switches under load, module reloads, a run
#                           with training paused, the reject fence
# Each run reports on the results port (ttyS1):
#   === run N WORKLOAD CONFIG
#   --- cpu0 <the "cpu" line of /proc/stat before fio>
#   <fio's JSON+ report>
#   --- cpu1 <the same after fio>
#   --- attr NAME VALUE      the attributes in $stats ("n/a" when missing),
#                            then every other iosched attribute
#   === end
# and "# experiment: ..." lines; "FAIL" in one of them fails the job.
export PATH=/bin:/usr/bin # fio sits at its host path
res=/dev/ttyS1
sched=/sys/block/vda/queue/scheduler
ios=/sys/block/vda/queue/iosched
# what the table reads: printed as n/a when missing (mq-deadline, an
# older module); every other iosched attribute is printed as well, so a
# counter added to the module is recorded without touching this list
stats="policy reject_prio train_paused stat_predictions stat_accuracy_ppm stat_baseline_ppm
stat_gate_open stat_samples stat_samples_dropped stat_train_steps
stat_expedited stat_rejected stat_deadline_misses stat_hook_ns stat_train_ns
mem_bytes stat_inserted stat_dispatched stat_requests_merged stat_merged
read_expire write_expire writes_starved fifo_batch front_merges"
say() {
	echo "# experiment: $*" >>"$res"
	echo "experiment-guest: $*"
}
fail() {
	say "FAIL $*"
	return 1
}
current() {
	sed -n 's/.*\[\(.*\)\].*/\1/p' "$sched"
}
use() { # SCHEDULER: select it afresh (new per-queue data, counters at 0)
	echo none >"$sched" 2>/dev/null
	echo "$1" >"$sched" && [ "$(current)" = "$1" ] || { fail "cannot select $1"; return 1; }
	# room in the scheduler for every request the job keeps in flight
	[ -f /files/nr_requests ] || return 0
	nr=$(cat /files/nr_requests)
	echo "$nr" >/sys/block/vda/queue/nr_requests || fail "nr_requests=$nr refused"
	# mq-deadline derives async_depth (the tags writes may hold) from
	# nr_requests, but 6.1 left it at 4 after this write (from the boot
	# value), holding writes at submission: give it its own rule, 3/4
	[ -e "$ios/async_depth" ] || return 0
	echo $((nr * 3 / 4)) >"$ios/async_depth" || fail "async_depth refused"
}
set_attr() { # NAME VALUE: tolerate a missing attribute, fail a refused one
	[ -e "$ios/$1" ] || { say "note: $ios/$1 is missing (n/a)"; return 0; }
	echo "$2" >"$ios/$1" || fail "$1=$2 refused"
}
attr() {
	if [ -r "$ios/$1" ]; then cat "$ios/$1"; else echo n/a; fi
}
tunables() { # WORKLOAD
	[ -f "/files/tunables-$1" ] || return 0
	for kv in $(cat "/files/tunables-$1"); do
		set_attr "${kv%%=*}" "${kv#*=}"
	done
}
fio_errors() { # JSON: sum of fio's error fields (job errors and counted I/O errors)
	grep -oE '"(error|total_err)" : [0-9]+' "$1" | awk '{ s += $3 } END { print s + 0 }'
}

run() { # N WORKLOAD CONFIG
	wl=/files/wl-$2
	case $3 in
	mq-deadline) use mq-deadline || return 1 ;;
	off-nowait) # the control of reject: its fio job, policy off
		use mq-kmlib || return 1
		set_attr policy off
		wl=$wl-reject
		;;
	*)
		use mq-kmlib || return 1
		set_attr policy "$3"
		[ "$3" = reject ] && set_attr reject_prio "$(cat /files/reject_prio)"
		[ "$3" = reject ] && wl=$wl-reject
		;;
	esac
	tunables "$2"
	say "run $1 $2 $3 ($(current))"
	cpu0=$(grep '^cpu ' /proc/stat)
	fio --filename=/dev/vda --output-format=json+ --output=/tmp/fio.json \
		$(cat "$wl") </dev/null >/tmp/fio.out 2>&1 || say "FAIL fio exited with $? in run $1 ($2 $3): $(tail -n 3 /tmp/fio.out)"
	cpu1=$(grep '^cpu ' /proc/stat)
	{
		echo "=== run $1 $2 $3"
		echo "--- cpu0 $cpu0"
		cat /tmp/fio.json
		echo
		echo "--- cpu1 $cpu1"
		for a in $stats; do echo "--- attr $a $(attr $a)"; done
		for a in $(ls "$ios"); do
			case " $(echo $stats) " in *" $a "*) ;; *) echo "--- attr $a $(attr $a)" ;; esac
		done
		echo "=== end"
	} >>"$res"
	# only EAGAIN of opted-in NOWAIT requests (reject's job) may be errors
	e=$(fio_errors /tmp/fio.json)
	[ "$e" = 0 ] || [ "$wl" = "/files/wl-$2-reject" ] || say "FAIL run $1 ($2 $3): fio counted $e errors"
	return 0
}

# reliability: every part must end with fio error-free and the modules
# in a clean state; the host checks the console for WARNING/BUG
rel_fio() { # SECONDS OUT [extra fio args]: random I/O, libaio QD 16, 4 jobs
	t=$1 out=$2
	shift 2
	fio --name=rel --filename=/dev/vda --rw=randrw --rwmixread=70 --bs=4k \
		--direct=1 --ioengine=libaio --iodepth=16 --numjobs=4 --thread \
		--size=256M --time_based --runtime="$t" --group_reporting \
		--output-format=json --output="$out" "$@" </dev/null >/dev/null 2>&1
}
rel_check() { # RC JSON NAME
	[ "$1" = 0 ] || { fail "$3: fio exited with $1"; return 1; }
	[ -s "$2" ] || { fail "$3: no fio report"; return 1; }
	e=$(fio_errors "$2")
	[ "$e" = 0 ] || { fail "$3: fio counted $e errors"; return 1; }
	ios_done=$(grep -o '"total_ios" : [0-9]*' "$2" | awk '{ s += $3 } END { print s + 0 }')
	say "reliability: $3: fio ok, 0 errors, $ios_done I/Os"
}
reliability() {
	n=${REL_SWITCHES:-50}
	# 1. switch schedulers under load, mq-kmlib with a learning policy
	use mq-deadline || return 1
	rel_fio $((n * 2 / 10 + 4)) /tmp/rel1.json &
	pid=$!
	sleep 1
	i=0 bad=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		if [ $((i % 2)) = 1 ]; then
			echo mq-kmlib >"$sched" || bad=$((bad + 1))
			[ -e $ios/policy ] && echo expedite >$ios/policy
		else
			echo mq-deadline >"$sched" || bad=$((bad + 1))
		fi
		sleep 0.2
	done
	wait $pid
	rel_check $? /tmp/rel1.json "$n scheduler switches under load" || return 1
	[ $bad = 0 ] || fail "$bad of $n switches refused"
	say "reliability: $n switches done, $bad refused"

	# 2. unload and load both modules repeatedly, mq-kmlib used each time
	echo none >"$sched"
	i=0
	while [ $i -lt "${REL_RELOADS:-10}" ]; do
		i=$((i + 1))
		rmmod mq-kmlib && rmmod kmlib || { fail "reload $i: rmmod"; return 1; }
		insmod /files/kmlib.ko && insmod /files/mq-kmlib.ko || { fail "reload $i: insmod"; return 1; }
		use mq-kmlib || return 1
		set_attr policy observe
		dd if=/dev/vda of=/dev/null bs=4k count=64 iflag=direct 2>/dev/null ||
			{ fail "reload $i: reads failed"; return 1; }
		echo none >"$sched"
	done
	say "reliability: ${REL_RELOADS:-10} unload/load cycles of kmlib.ko and mq-kmlib.ko"

	# 3. training paused: the sample ring fills and must drop, I/O goes on
	use mq-kmlib || return 1
	set_attr policy expedite
	set_attr train_paused 1
	rel_fio 5 /tmp/rel3.json
	rel_check $? /tmp/rel3.json "training paused" || return 1
	dropped=$(attr stat_samples_dropped)
	say "reliability: training paused: stat_samples_dropped $dropped, stat_samples $(attr stat_samples)"
	case $dropped in
	n/a) say "note: stat_samples_dropped missing, ring drop not checked" ;;
	0) fail "training paused but no sample dropped" ;;
	esac
	set_attr train_paused 0

	# 4. the reject fence: io_uring's own REQ_NOWAIT first tries with
	# batched submission, no opt-in: nothing may fail, nothing may hang
	use mq-kmlib || return 1
	set_attr policy reject
	set_attr reject_prio "$(cat /files/reject_prio)"
	timeout 60 fio --name=fence --filename=/dev/vda --rw=randread --bs=4k \
		--direct=1 --ioengine=io_uring --iodepth=32 --iodepth_batch_submit=8 \
		--numjobs=2 --thread --size=256M --time_based --runtime=5 --group_reporting \
		--output-format=json --output=/tmp/rel4.json </dev/null >/dev/null 2>&1
	rel_check $? /tmp/rel4.json "reject fence (io_uring, batched, not opted in)" || return 1
	say "reliability: reject fence: stat_rejected $(attr stat_rejected)"
	echo none >"$sched"
	say "reliability: ok"
}

insmod /files/kmlib.ko || { fail "insmod kmlib.ko"; exit 1; }
insmod /files/mq-kmlib.ko || { fail "insmod mq-kmlib.ko"; exit 1; }
# the shallow device queue: virtio_blk reloaded with queue_depth
qd=$(cat /files/queue_depth 2>/dev/null)
if [ -n "$qd" ]; then
	rmmod virtio_blk && insmod /lib/modules/virtio_blk.ko queue_depth="$qd" ||
		{ fail "virtio_blk queue_depth=$qd"; exit 1; }
	for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e "$sched" ] && break; sleep 0.2; done
fi
say "vda: nr_requests $(cat /sys/block/vda/queue/nr_requests), hw queues $(ls /sys/block/vda/mq | wc -l), schedulers: $(cat $sched)"

while read -r step a b c; do
	case $step in
	run) run "$a" "$b" "$c" ;;
	reliability) reliability || say "FAIL reliability stopped" ;;
	esac
done </files/plan
echo none >"$sched"
rmmod mq-kmlib && rmmod kmlib || say "FAIL unload"
say "tainted $(cat /proc/sys/kernel/tainted)"
say "done"
