#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-sched.sh: /payload of the scheduler test. Loads kmlib.ko and
# mq-kmlib.ko, selects mq-kmlib for /dev/vda, checks the tunables (write,
# read back, invalid values refused; expiry times are kept in jiffies
# as mq-deadline keeps them, so the values are multiples of 4 ms = 1 jiffy
# at HZ=250), checks that a second disk (vdb) gets its own data, runs fio
# randrw (libaio, QD 4, 4 jobs, direct) while switching mq-kmlib <->
# mq-deadline 20 times under load, then a run on mq-kmlib alone, then
# sequential writes on the slow vdb (merges), and unloads both modules. Reports "# sched: ..."
# lines on the results port; the host decides (sched-test.sh).
export PATH=/bin:/usr/bin # fio sits at its host path
res=/dev/ttyS1
sched=/sys/block/vda/queue/scheduler
ios=/sys/block/vda/queue/iosched
say() {
	echo "# sched: $*" >>"$res"
	echo "sched-guest: $*"
}
fail() {
	say "FAIL $*"
	exit 1
}
current() {
	sed -n 's/.*\[\(.*\)\].*/\1/p' "$sched"
}
use() {
	echo "$1" >"$sched" || fail "cannot select $1"
	[ "$(current)" = "$1" ] || fail "selected $1, scheduler shows '$(cat $sched)'"
}
fio_run() { # SECONDS JSON
	fio --name=randrw --filename=/dev/vda --rw=randrw --rwmixread=70 \
		--bs=4k --direct=1 --ioengine=libaio --iodepth=4 --numjobs=4 \
		--size=200M --time_based --runtime="$1" --group_reporting \
		--output-format=json --output="$2"
}
fio_check() { # RC JSON NAME
	rc=$1
	[ "$rc" = 0 ] || fail "$3: fio exited with $rc"
	[ -s "$2" ] || fail "$3: no fio output"
	errs=$(grep -o '"error" : [0-9]*' "$2" | awk '{ s += $3; n++ } END { print n + 0, s + 0 }')
	set -- $errs "$3"
	[ "$1" -gt 0 ] || fail "$3: no error field in fio's JSON"
	[ "$2" = 0 ] || fail "$3: fio reported errors ($2)"
	say "$3: fio ok, errors 0"
}

echo "sched-guest: loading modules" # the host checks the log from here on
insmod /files/kmlib.ko || fail "insmod kmlib.ko"
insmod /files/mq-kmlib.ko || fail "insmod mq-kmlib.ko"
grep -qw mq-kmlib "$sched" || fail "mq-kmlib not offered: $(cat $sched)"
use mq-kmlib
say "scheduler: $(cat $sched)"
say "kmlib refcnt with mq-kmlib in use: $(cat /sys/module/kmlib/refcnt)"
rmmod mq-kmlib 2>/dev/null && fail "rmmod mq-kmlib succeeded while vda uses it"

# defaults as mq-deadline's, then every tunable written and read back
for kv in read_expire=500 write_expire=5000 writes_starved=2 fifo_batch=16 \
	front_merges=1; do
	[ "$(cat $ios/${kv%=*})" = "${kv#*=}" ] ||
		fail "default ${kv%=*} is $(cat $ios/${kv%=*}), expected ${kv#*=}"
done
for kv in read_expire=200 write_expire=3000 writes_starved=3 fifo_batch=8 \
	front_merges=0 read_expire=500 write_expire=5000 writes_starved=2 \
	fifo_batch=16 front_merges=1; do
	echo "${kv#*=}" >"$ios/${kv%=*}" || fail "write ${kv}"
	[ "$(cat $ios/${kv%=*})" = "${kv#*=}" ] || fail "${kv%=*} reads $(cat $ios/${kv%=*}) after writing ${kv#*=}"
done
for kv in fifo_batch=0 front_merges=2 read_expire=x writes_starved=-1; do
	echo "${kv#*=}" >"$ios/${kv%=*}" 2>/dev/null && fail "${kv} was accepted"
done
say "tunables ok"

# a second disk gets its own scheduler data: tunables do not leak across
use2() {
	echo "$1" >/sys/block/vdb/queue/scheduler || fail "cannot select $1 for vdb"
}
use2 mq-kmlib
echo 4 >/sys/block/vdb/queue/iosched/fifo_batch || fail "write vdb fifo_batch"
[ "$(cat $ios/fifo_batch)" = 16 ] || fail "vdb's fifo_batch changed vda's to $(cat $ios/fifo_batch)"
[ "$(cat /sys/block/vdb/queue/iosched/fifo_batch)" = 4 ] || fail "vdb fifo_batch does not read back"
dd if=/dev/vdb of=/dev/null bs=4k count=256 iflag=direct 2>/dev/null || fail "read from vdb"
[ "$(cat /sys/block/vdb/queue/iosched/stat_dispatched)" -ge 256 ] ||
	fail "vdb dispatched $(cat /sys/block/vdb/queue/iosched/stat_dispatched) of 256 reads"
[ "$(cat $ios/stat_dispatched)" -lt 256 ] || fail "vdb's reads were counted on vda"
use2 none
say "second disk independent"
mem=$(cat $ios/mem_bytes)
[ "$mem" -gt 0 ] || fail "mem_bytes is $mem"
# linear model, trace off: the goal is < 4096 (issue 7; 4,000 measured
# with the compact ring and publication, docs/sched.md "Memory and cost")
[ "$mem" -lt 4096 ] || fail "mem_bytes $mem, not < 4096 (linear, trace off)"
say "mem_bytes $mem"

# under load: switch back and forth while fio runs
fio_run 8 /tmp/switch.json &
fpid=$!
sleep 1
n=0
while [ $n -lt 20 ]; do
	use mq-deadline
	usleep 150000
	use mq-kmlib
	usleep 150000
	n=$((n + 2))
done
wait $fpid
fio_check $? /tmp/switch.json "switching under load ($n switches)"

# mq-kmlib alone: it must dispatch what it was given
use mq-kmlib
fio_run 3 /tmp/kmlib.json
fio_check $? /tmp/kmlib.json "mq-kmlib alone"
ins=$(cat $ios/stat_inserted)
dis=$(cat $ios/stat_dispatched)
say "stats: inserted $ins dispatched $dis merged $(cat $ios/stat_merged) expired $(cat $ios/stat_expired)"
[ "$dis" -gt 1000 ] || fail "only $dis requests dispatched"
[ "$dis" -le "$ins" ] || fail "dispatched $dis > inserted $ins"
# merges: vdb has a 4-entry virtio queue and 200 IOPS (sched-test.sh), so
# requests wait in the scheduler. (1) Sequential 4 KiB writes, one bio per
# submission: each lands after a queued request (bio merges, required).
# (2) Two jobs write every other 4 KiB block (even and odd): a request that
# fills the gap between two queued ones makes them merge (request merges,
# including a request merged away while being inserted). Whether the two
# jobs stay in step is timing: request merges came in 4 of 5 runs, so they
# are reported, not required; a kernel problem on that path still fails.
use2 mq-kmlib
v=/sys/block/vdb/queue/iosched
fio --name=seq --filename=/dev/vdb --rw=write --bs=4k --direct=1 \
	--ioengine=libaio --iodepth=32 --iodepth_batch_submit=1 \
	--size=8M --time_based --runtime=2 --output-format=json --output=/tmp/seq.json
fio_check $? /tmp/seq.json "sequential writes on vdb"
fio --filename=/dev/vdb --bs=4k --direct=1 --ioengine=libaio --iodepth=16 \
	--iodepth_batch_submit=1 --size=8M --time_based --runtime=2 \
	--output-format=json --output=/tmp/gap.json \
	--name=even --rw=write:4k --offset=0 --name=odd --rw=write:4k --offset=4k
fio_check $? /tmp/gap.json "interleaved writes on vdb"
say "vdb: inserted $(cat $v/stat_inserted) dispatched $(cat $v/stat_dispatched) bio merges $(cat $v/stat_merged) request merges $(cat $v/stat_requests_merged)"
[ "$(cat $v/stat_merged)" -ge 10 ] || fail "vdb: only $(cat $v/stat_merged) bio merges in the scheduler"
# every inserted request was either dispatched or merged into another
[ $(($(cat $v/stat_dispatched) + $(cat $v/stat_requests_merged))) = "$(cat $v/stat_inserted)" ] ||
	fail "vdb: dispatched + request merges != inserted"
use2 none
grep -o '"iops" : [0-9.]*' /tmp/kmlib.json | head -2 | tr '\n' ' ' >/tmp/iops
say "mq-kmlib read/write iops: $(cat /tmp/iops)"

# ---- learning (docs/sched.md, "Learning", "Policies", "Trace") ----
st() { cat "$ios/$1"; } # vda
vst() { cat "/sys/block/vdb/queue/iosched/$1"; }
# policy: every word reads back, anything else is refused
[ "$(st policy)" = observe ] || fail "default policy is $(st policy)"
for p in off observe expedite reject observe; do
	echo $p >$ios/policy || fail "write policy $p"
	[ "$(st policy)" = $p ] || fail "policy reads $(st policy) after $p"
done
for p in Off "" deadline 1; do
	echo "$p" >$ios/policy 2>/dev/null && fail "policy '$p' was accepted"
done
[ "$(st reject_prio)" = none ] || fail "default reject_prio is $(st reject_prio)"
echo 2/7 >$ios/reject_prio && [ "$(st reject_prio)" = 2/7 ] || fail "reject_prio 2/7"
for p in 0/1 4/0 2/8 x 2/ 2/7x; do
	echo "$p" >$ios/reject_prio 2>/dev/null && fail "reject_prio '$p' was accepted"
done
echo none >$ios/reject_prio && [ "$(st reject_prio)" = none ] || fail "reject_prio none"
# the rejection budget: per second and queue, 50 by default, 0..1000000
[ "$(st reject_max)" = 50 ] || fail "default reject_max is $(st reject_max)"
for n in 0 1000000 7 50; do
	echo $n >$ios/reject_max && [ "$(st reject_max)" = $n ] || fail "reject_max $n"
done
for n in -1 1000001 x 4294967296 ""; do
	echo "$n" >$ios/reject_max 2>/dev/null && fail "reject_max '$n' was accepted"
done
[ "$(st reject_max)" = 50 ] || fail "reject_max $(st reject_max) after refused writes"
say "policy, reject_prio and reject_max ok"

# observe (default) ran under the fio runs above: it learned
s=$(st stat_samples) t=$(st stat_train_steps) pr=$(st stat_predictions)
say "vda observe: samples $s dropped $(st stat_samples_dropped) train steps $t predictions $pr overtaken $(st stat_pred_overtaken) accuracy_ppm $(st stat_accuracy_ppm) baseline_ppm $(st stat_baseline_ppm) gate $(st stat_gate_open) misses $(st stat_deadline_misses) hook_ns $(st stat_hook_ns) train_ns $(st stat_train_ns) inflight $(st stat_inflight) mem_bytes $(st mem_bytes)"
[ "$s" -gt 1000 ] || fail "only $s samples"
[ "$t" -gt 10 ] || fail "only $t training steps"
[ "$pr" -gt 1000 ] || fail "only $pr predictions"
# given up after MQK_PRED_TRIES in-place reads: needs a publish to lap
# each run; a few at most, never a share of the predictions
[ "$(st stat_pred_overtaken)" -lt $((pr / 100 + 1)) ] ||
	fail "$(st stat_pred_overtaken) predictions overtaken of $pr"
[ "$(st stat_hook_ns)" -gt 0 ] && [ "$(st stat_train_ns)" -gt 0 ] || fail "no hook/train time"
[ "$(st stat_inflight)" = 0 ] || fail "inflight $(st stat_inflight) with no I/O"
[ "$(st stat_expedited)" = 0 ] && [ "$(st stat_rejected)" = 0 ] || fail "observe acted"
mem=$(st mem_bytes)

# a paused trainer (1 s of fio): the ring fills and drops, I/O is unaffected
echo 1 >$ios/train_paused || fail "write train_paused"
t0=$(st stat_train_steps) d0=$(st stat_samples_dropped)
fio_run 1 /tmp/paused.json
fio_check $? /tmp/paused.json "trainer paused"
d1=$(st stat_samples_dropped)
[ "$d1" -gt "$d0" ] || fail "no samples dropped with the trainer paused"
[ "$(st stat_train_steps)" = "$t0" ] || fail "trained while paused"
echo 0 >$ios/train_paused
usleep 300000
[ "$(st stat_train_steps)" -gt "$t0" ] || fail "no training after unpausing"
say "trainer paused: dropped $((d1 - d0)), resumed to $(st stat_train_steps) steps"

# off: plain deadline, nothing recorded or predicted
echo off >$ios/policy
s0=$(st stat_samples) p0=$(st stat_predictions)
fio_run 1 /tmp/off.json
fio_check $? /tmp/off.json "policy off"
[ "$(st stat_samples)" = "$s0" ] && [ "$(st stat_predictions)" = "$p0" ] ||
	fail "policy off recorded samples or predicted"
echo observe >$ios/policy

# learnability on the slow vdb (200 IOPS, 4 device slots, so at most ~4
# reads wait in the scheduler): with read_expire 8 ms a read inserted
# behind none meets its deadline (mean wait ~0.4-2 ms measured) and one
# behind one or more misses (10-14 ms): queue state decides. Load: one
# reader at QD 1 plus bursts of 16 reads every 100 ms (~20-35% miss).
# Required: over the predictions of the second half of the run's trace
# (made at insertion, scored at dispatch; the first half is the online
# warm-up, as the paper's protocol trains before it tests) accuracy above
# the majority baseline, and the gate opened at least once (accuracy >=
# majority + 2 points over its 96-sample window).
mount -t debugfs none /sys/kernel/debug 2>/dev/null
use2 mq-kmlib
echo 8 >$v/read_expire
echo 4096 >$v/trace_samples
fio --filename=/dev/vdb --direct=1 --ioengine=libaio --bs=4k --size=16M \
	--time_based --runtime=8 --output-format=json --output=/tmp/learn.json \
	--name=steady --rw=randread --iodepth=1 \
	--name=burst --rw=randread --iodepth=16 --thinktime=100000 \
	--thinktime_blocks=16
fio_check $? /tmp/learn.json "learnability run on vdb"
cat /sys/kernel/debug/block/vdb/sched/trace >/tmp/learn.trace
echo 0 >$v/trace_samples
# columns 12 (slack_us) and 13 (flags: 1 predicted, 2 predicted miss)
half=$(($(grep -vc '^#' /tmp/learn.trace) / 2))
set -- $(grep -v '^#' /tmp/learn.trace | awk -v h=$half '
	NR > h && int($13 / 1) % 2 == 1 { n++; m = ($12 < 0); p = int($13 / 2) % 2
		miss += m; ok += (m == p) }
	END { b = miss > n - miss ? miss : n - miss
		printf "%d %d %d\n", n, n ? ok * 1000 / n : 0, n ? b * 1000 / n : 0 }')
say "vdb learn: second half: scored $1 predictions, accuracy $2 permille, majority baseline $3 permille; gate window accuracy_ppm $(vst stat_accuracy_ppm) baseline_ppm $(vst stat_baseline_ppm) openings $(vst stat_gate_openings); misses $(vst stat_deadline_misses) of $(vst stat_dispatched)"
[ "$1" -ge 300 ] || fail "only $1 scored predictions in the learnability run"
[ "$2" -gt "$3" ] || fail "accuracy $2 permille is not above the majority baseline $3"
[ "$(vst stat_gate_openings)" -ge 1 ] || fail "the gate never opened on a learnable load"

# model: the MLP option (8-16-1, ReLU, Adam; Q16.16 integer inference),
# switched to under load and back; the memory comes back exactly
[ "$(vst model)" = linear ] || fail "default model is $(vst model)"
echo lstm >$v/model 2>/dev/null && fail "model lstm was accepted"
ml=$(vst mem_bytes)
s0=$(vst stat_train_steps)
fio --filename=/dev/vdb --direct=1 --ioengine=libaio --bs=4k --size=16M \
	--time_based --runtime=5 --output-format=json --output=/tmp/mlp.json \
	--name=steady --rw=randread --iodepth=1 \
	--name=burst --rw=randread --iodepth=16 --thinktime=100000 \
	--thinktime_blocks=16 &
fpid=$!
sleep 1
echo mlp >$v/model || fail "write model mlp"
[ "$(vst model)" = mlp ] || fail "model reads $(vst model) after mlp"
s1=$(vst stat_train_steps) p1=$(vst stat_predictions)
mm=$(vst mem_bytes)
wait $fpid
fio_check $? /tmp/mlp.json "model switched to mlp under load"
say "mlp: steps $s0 -> $s1 -> $(vst stat_train_steps), predictions $p1 -> $(vst stat_predictions), window accuracy_ppm $(vst stat_accuracy_ppm) baseline_ppm $(vst stat_baseline_ppm), mem_bytes $mm (linear $ml)"
[ "$(vst stat_train_steps)" -gt "$s1" ] || fail "the MLP did not train"
[ "$(vst stat_predictions)" -gt "$p1" ] || fail "the MLP did not predict"
echo linear >$v/model || fail "write model linear"
[ "$(vst mem_bytes)" = "$ml" ] || fail "mem_bytes $(vst mem_bytes) back on linear, $ml before"

# trace: allocated on demand, text v1, drained by reading
mount -t debugfs none /sys/kernel/debug 2>/dev/null
tr=/sys/kernel/debug/block/vdb/sched/trace
[ -e $tr ] || fail "no $tr"
m0=$(vst mem_bytes)
for n in 3 100 131072; do
	echo $n >$v/trace_samples 2>/dev/null && fail "trace_samples $n accepted"
done
echo 256 >$v/trace_samples || fail "trace_samples 256"
[ "$(vst mem_bytes)" -gt "$m0" ] || fail "trace ring not accounted"
dd if=/dev/vdb of=/dev/null bs=4k count=100 iflag=direct 2>/dev/null
cat $tr >/tmp/trace1 || fail "read trace"
cat $tr >/tmp/trace2 || fail "read trace again"
[ "$(sed -n 1p /tmp/trace1)" = "# mq-kmlib trace v1" ] || fail "trace header: $(sed -n 1p /tmp/trace1)"
cols=$(sed -n 2p /tmp/trace1)
case $cols in "# columns: op sector sectors "*" slack_us "*) ;; *) fail "trace columns: $cols" ;; esac
ncol=$(echo "$cols" | wc -w)
ncol=$((ncol - 2))
n1=$(grep -vc '^#' /tmp/trace1)
n2=$(grep -vc '^#' /tmp/trace2)
bad=$(grep -v '^#' /tmp/trace1 | awk -v n=$ncol 'NF != n || $0 !~ /^-?[0-9]+( -?[0-9]+)*$/ || ($1 != 0 && $1 != 1) { b++ } END { print b + 0 }')
[ "$n1" -ge 90 ] || fail "trace holds $n1 samples after 100 reads"
[ "$n1" -le 256 ] || fail "trace holds $n1 samples, capacity 256"
[ "$bad" = 0 ] || fail "$bad malformed trace lines"
# every line consistent: slack = deadline - wait (columns 12, 10, 14), and a
# prediction's sign agrees with its "predicted miss" flag (11, 13)
bad=$(grep -v '^#' /tmp/trace1 | awk '$12 != $10 - $14 { b++ }
	$13 % 2 == 1 && $10 > 0 && (($11 < 0) != (int($13 / 2) % 2)) { b++ }
	END { print b + 0 }')
[ "$bad" = 0 ] || fail "$bad inconsistent trace lines"
[ "$n2" -lt "$n1" ] || fail "reading did not drain the trace ($n1 then $n2)"
say "trace line: $(grep -v "^#" /tmp/trace1 | head -1)"
echo 0 >$v/trace_samples
[ "$(vst mem_bytes)" = "$m0" ] || fail "mem_bytes $(vst mem_bytes) after freeing the trace, $m0 before"
say "trace ok: $n1 samples of $ncol columns, then $n2; mem_bytes $m0"

# expedite: predictions forced to "miss" (read_expire 0, gate forced):
# requests go to the dispatch list, none fails
echo 0 >$v/read_expire
echo 1 >$v/gate_force
fio --name=warm --filename=/dev/vdb --rw=randread --bs=4k --direct=1 \
	--ioengine=libaio --iodepth=8 --size=16M --time_based --runtime=1 \
	--output-format=json --output=/tmp/warm.json
fio_check $? /tmp/warm.json "warm-up with read_expire 0"
echo expedite >$v/policy
fio --name=exp --filename=/dev/vdb --rw=randread --bs=4k --direct=1 \
	--ioengine=libaio --iodepth=16 --size=16M --time_based --runtime=1 \
	--output-format=json --output=/tmp/exp.json
fio_check $? /tmp/exp.json "expedite"
[ "$(vst stat_expedited)" -gt 0 ] || fail "nothing expedited"
say "expedite: $(vst stat_expedited) expedited, dispatched $(vst stat_dispatched) inserted $(vst stat_inserted)"

# reject, fenced: only REQ_NOWAIT requests whose ioprio is reject_prio.
# (1) io_uring with batched submission (its own first tries are NOWAIT)
# that did not opt in: zero errors, no hang, nothing rejected
echo reject >$v/policy
echo 2/7 >$v/reject_prio
r0=$(vst stat_rejected)
timeout 60 fio --name=uring --filename=/dev/vdb --rw=randread --bs=4k \
	--direct=1 --ioengine=io_uring --iodepth=16 --iodepth_batch_submit=8 \
	--size=16M --time_based --runtime=2 --output-format=json --output=/tmp/uring.json
fio_check $? /tmp/uring.json "reject on, io_uring not opted in"
[ "$(vst stat_rejected)" = "$r0" ] || fail "rejected $(($(vst stat_rejected) - r0)) requests that did not opt in"
# (2) NOWAIT without the priority: not rejected either
fio --name=nowait --filename=/dev/vdb --rw=randread --bs=4k --direct=1 \
	--ioengine=io_uring --iodepth=8 --nowait=1 --size=16M --time_based \
	--runtime=1 --output-format=json --output=/tmp/nowait.json
fio_check $? /tmp/nowait.json "reject on, nowait without the priority"
[ "$(vst stat_rejected)" = "$r0" ] || fail "rejected NOWAIT requests without the priority"
# (3) opted in: NOWAIT and ioprio 2/7: rejections, counted by fio. Every
# prediction is a miss and fio resubmits at once, so without a budget
# thousands fail per second; with reject_max 20 at most 20 per second
# (kernel seconds: a run of D whole guest seconds spans at most D + 2).
# Each request is predicted once: in the pre-pass, which insertion reuses
echo 20 >$v/reject_max
ob0=$(vst stat_reject_over_budget) pr0=$(vst stat_predictions) in0=$(vst stat_inserted)
t0=$(date +%s)
timeout 60 fio --name=optin --filename=/dev/vdb --rw=randread --bs=4k \
	--direct=1 --ioengine=io_uring --iodepth=8 --nowait=1 --prioclass=2 \
	--prio=7 --continue_on_error=all --ignore_error=EAGAIN --size=16M \
	--time_based --runtime=2 --output-format=json --output=/tmp/optin.json
rc=$?
t1=$(date +%s)
[ "$rc" = 0 ] || fail "opted-in fio exited with $rc"
rej=$(($(vst stat_rejected) - r0))
ob=$(($(vst stat_reject_over_budget) - ob0))
pr=$(($(vst stat_predictions) - pr0))
ins=$(($(vst stat_inserted) - in0))
ferr=$(grep -o '"total_err" : [0-9]*' /tmp/optin.json | awk '{ s += $3 } END { print s + 0 }')
say "reject: opted-in job rejected $rej (fio total_err $ferr) in $((t1 - t0)) s, over budget $ob, predictions $pr, inserted $ins"
[ "$rej" -gt 0 ] || fail "nothing rejected for the opted-in job"
[ "$rej" -le $((20 * (t1 - t0 + 2))) ] || fail "rejected $rej in $((t1 - t0)) s with reject_max 20"
[ "$ob" -gt 0 ] || fail "the budget never refused a rejection"
[ "$pr" = $((ins + rej)) ] || fail "predictions $pr, requests $((ins + rej)) ($ins inserted, $rej rejected)"
echo 50 >$v/reject_max
echo none >$v/reject_prio
echo observe >$v/policy
echo 0 >$v/gate_force
echo 500 >$v/read_expire
[ "$(vst stat_inflight)" = 0 ] || fail "vdb inflight $(vst stat_inflight) at rest"
use2 none

use mq-deadline
rmmod mq-kmlib || fail "rmmod mq-kmlib"
rmmod kmlib || fail "rmmod kmlib"
[ -e /sys/module/kmlib ] || [ -e /sys/module/mq_kmlib ] && fail "modules still present after rmmod"
grep -qw mq-kmlib "$sched" && fail "mq-kmlib still offered after rmmod"
say "unload ok"
say "tainted $(cat /proc/sys/kernel/tainted)"
say "done"
