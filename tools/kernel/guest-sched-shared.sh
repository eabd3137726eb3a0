#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-sched-shared.sh: /payload of the mq-kmlib shared-mode test
# (sched-shared-test.sh). vda is slow (200 IOPS, 4 device slots) and
# read_expire is 8 ms, so queue state decides whether a read misses
# (guest-sched.sh's learnability load). With train_mode = shared the
# queue's samples go to the /dev/kmlib channel "mq-kmlib-vda" and a
# statically linked kmlib-trainer --format mqk trains and publishes:
#  1. samples arrive, weights get published (version > 0), the module
#     predicts with them (stat_predictions grows) and, over the second half
#     of the run's debugfs trace, its predictions beat the majority
#     baseline; the in-kernel training thread stays idle (train_steps);
#     the gate, fed at dispatch, opens; with the trainer publishing
#     negated weights (--invert) it is fed and stays closed;
#  2. kill -9 of a trainer: I/O goes on and predictions with the last
#     weights continue;
#  3. train_mode = kernel: the training thread trains again;
#  4. the scheduler switched away while a trainer waits: the trainer ends
#     cleanly (exit 0, channel destroyed); both modules unload.
# Reports "# schedsh: ..." lines; the host decides.
export PATH=/bin:/usr/bin
res=/dev/ttyS1
q=/sys/block/vda/queue
v=$q/iosched
tr=/files/kmlib-trainer
say() {
	echo "# schedsh: $*" >>"$res"
	echo "schedsh-guest: $*"
}
fail() {
	say "FAIL $*"
	exit 1
}
vst() { cat "$v/$1"; }
load() { # SECONDS JSON: one reader at QD 1 plus bursts of 16 reads
	fio --filename=/dev/vda --direct=1 --ioengine=libaio --bs=4k \
		--size=16M --time_based --runtime="$1" --output-format=json \
		--output="$2" --name=steady --rw=randread --iodepth=1 \
		--name=burst --rw=randread --iodepth=16 --thinktime=100000 \
		--thinktime_blocks=16
}
fio_ok() { # RC JSON NAME
	[ "$1" = 0 ] || fail "$3: fio exited with $1"
	errs=$(grep -o '"error" : [0-9]*' "$2" | awk '{ s += $3; n++ } END { print n + 0, s + 0 }')
	set -- $errs "$3"
	[ "$1" -gt 0 ] && [ "$2" = 0 ] || fail "$3: fio errors ($errs)"
}

echo "schedsh-guest: loading modules" # the host checks the log from here on
insmod /files/kmlib.ko || fail "insmod kmlib.ko"
insmod /files/mq-kmlib.ko || fail "insmod mq-kmlib.ko"
echo mq-kmlib >$q/scheduler || fail "cannot select mq-kmlib"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ "$(vst train_mode)" = kernel ] || fail "default train_mode is $(vst train_mode)"
echo both >$v/train_mode 2>/dev/null && fail "train_mode both was accepted"
echo shared >$v/train_mode || fail "write train_mode shared"
[ "$(vst train_mode)" = shared ] || fail "train_mode reads $(vst train_mode)"
echo 8 >$v/read_expire
echo 4096 >$v/trace_samples

# 1. a trainer on the queue's channel while fio runs
$tr --channel mq-kmlib-vda --format mqk --interval-ms 100 >/tmp/tr1.log 2>&1 &
t1=$!
sleep 1
kill -0 $t1 2>/dev/null || fail "trainer did not start: $(cat /tmp/tr1.log)"
steps0=$(vst stat_train_steps)
pred0=$(vst stat_predictions)
g0=$(vst stat_gate_openings)
load 8 /tmp/l1.json
fio_ok $? /tmp/l1.json "shared-mode run"
kill -TERM $t1
wait $t1
rc=$?
cat /sys/kernel/debug/block/vda/sched/trace >/tmp/l1.trace
echo 0 >$v/trace_samples
[ "$rc" = 0 ] || fail "trainer exited with $rc: $(cat /tmp/tr1.log)"
sum=$(grep '^mqk: ' /tmp/tr1.log)
say "trainer: $sum"
set -- $sum
# mqk: samples N steps S version V own_acc_ppm A kernel_predicted P
#      kernel_acc_ppm K kernel_majority_ppm M dropped D
[ "$3" -ge 300 ] || fail "trainer got only $3 samples"
[ "$7" -ge 1 ] || fail "no weights published (version $7)"
[ "${11}" -ge 300 ] || fail "only ${11} samples carry a kernel prediction"
pred1=$(vst stat_predictions)
steps1=$(vst stat_train_steps)
say "kernel: predictions $pred0 -> $pred1, in-kernel train_steps $steps0 -> $steps1, samples $(vst stat_samples)"
[ "$pred1" -gt $((pred0 + 300)) ] || fail "the scheduler predicted only $((pred1 - pred0)) times"
[ "$steps1" = "$steps0" ] || fail "the in-kernel trainer ran in shared mode"
# the module's predictions (made at insertion with the trainer's weights,
# scored at dispatch) over the second half of the trace: columns 12
# (slack_us) and 13 (flags: 1 predicted, 2 predicted miss)
half=$(($(grep -vc '^#' /tmp/l1.trace) / 2))
set -- $(grep -v '^#' /tmp/l1.trace | awk -v h=$half '
	NR > h && int($13 / 1) % 2 == 1 { n++; m = ($12 < 0); p = int($13 / 2) % 2
		miss += m; ok += (m == p) }
	END { b = miss > n - miss ? miss : n - miss
		printf "%d %d %d\n", n, n ? ok * 1000 / n : 0, n ? b * 1000 / n : 0 }')
say "learn (shared): second half: scored $1 predictions, accuracy $2 permille, majority baseline $3 permille"
[ "$1" -ge 300 ] || fail "only $1 scored predictions"
[ "$2" -gt "$3" ] || fail "accuracy $2 permille is not above the majority baseline $3"
# the gate is fed in shared mode too (dispatch: the module's predictions
# with the trainer's weights against the outcomes): it opened
say "gate (shared, trained weights): openings $g0 -> $(vst stat_gate_openings), window accuracy_ppm $(vst stat_accuracy_ppm) baseline_ppm $(vst stat_baseline_ppm)"
[ "$(vst stat_gate_openings)" -gt "$g0" ] || fail "the gate never opened with weights that predict well"

# 1b. weights that predict badly (the trainer publishes them negated): the
# gate, reset by the train_mode switch, is fed and stays closed
echo kernel >$v/train_mode && echo shared >$v/train_mode || fail "train_mode switch"
[ "$(vst stat_gate_open)" = 0 ] && [ "$(vst stat_baseline_ppm)" = 0 ] ||
	fail "the gate kept its state over a train_mode switch"
g1=$(vst stat_gate_openings)
$tr --channel mq-kmlib-vda --format mqk --interval-ms 100 --invert --quiet >/tmp/trinv.log 2>&1 &
ti=$!
load 6 /tmp/linv.json
fio_ok $? /tmp/linv.json "run with inverted weights"
kill -TERM $ti
wait $ti
rc=$?
[ "$rc" = 0 ] || fail "inverted trainer exited with $rc: $(cat /tmp/trinv.log)"
say "gate (shared, inverted weights): openings $g1 -> $(vst stat_gate_openings), open $(vst stat_gate_open), window accuracy_ppm $(vst stat_accuracy_ppm) baseline_ppm $(vst stat_baseline_ppm)"
[ "$(vst stat_baseline_ppm)" -gt 0 ] || fail "the gate was not fed with inverted weights"
[ "$(vst stat_accuracy_ppm)" -lt "$(vst stat_baseline_ppm)" ] ||
	fail "inverted weights predict as well as the baseline"
[ "$(vst stat_gate_openings)" = "$g1" ] && [ "$(vst stat_gate_open)" = 0 ] ||
	fail "the gate opened with weights that predict badly"

# 2. kill -9 mid-run: the last weights stay in use, I/O goes on
$tr --channel mq-kmlib-vda --format mqk --interval-ms 100 --quiet >/tmp/tr2.log 2>&1 &
t2=$!
load 4 /tmp/l2.json &
f2=$!
sleep 2
kill -9 $t2
wait $t2
p2=$(vst stat_predictions)
wait $f2
fio_ok $? /tmp/l2.json "run with the trainer killed"
p3=$(vst stat_predictions)
say "after kill -9: predictions $p2 -> $p3"
[ "$p3" -gt $((p2 + 50)) ] || fail "predictions stopped after the trainer died ($p2 -> $p3)"

# 3. back to in-kernel training
echo kernel >$v/train_mode || fail "write train_mode kernel"
s0=$(vst stat_train_steps)
load 2 /tmp/l3.json
fio_ok $? /tmp/l3.json "kernel-mode run"
s1=$(vst stat_train_steps)
say "kernel mode again: train_steps $s0 -> $s1"
[ "$s1" -gt "$s0" ] || fail "the in-kernel trainer did not resume"

# 4. the channel destroyed under an attached trainer
echo shared >$v/train_mode
$tr --channel mq-kmlib-vda --format mqk --quiet >/tmp/tr4.log 2>&1 &
t4=$!
sleep 1
kill -0 $t4 2>/dev/null || fail "trainer 4 did not start: $(cat /tmp/tr4.log)"
echo none >$q/scheduler || fail "cannot select none"
i=0
while kill -0 $t4 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 $t4 2>/dev/null && fail "trainer still running after the scheduler left"
wait $t4
rc=$?
[ "$rc" = 0 ] || fail "trainer exited with $rc after the channel went: $(cat /tmp/tr4.log)"
grep -q "channel destroyed" /tmp/tr4.log || fail "trainer: $(cat /tmp/tr4.log)"
say "scheduler switched away: trainer ended cleanly"
# a new mq-kmlib instance gets the channel name again, in kernel mode
echo mq-kmlib >$q/scheduler || fail "cannot select mq-kmlib again"
[ "$(vst train_mode)" = kernel ] || fail "train_mode after re-selection: $(vst train_mode)"
echo shared >$v/train_mode || fail "no channel after re-selection"
echo none >$q/scheduler

rmmod mq-kmlib || fail "rmmod mq-kmlib"
rmmod kmlib || fail "rmmod kmlib"
[ -e /dev/kmlib ] && fail "/dev/kmlib still present"
say "unload ok"
say "tainted $(cat /proc/sys/kernel/tainted)"
say "done"
