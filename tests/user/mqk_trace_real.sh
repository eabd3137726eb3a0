#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mqk_trace_real.sh TOOL TRACE: mqk-trace-eval on a trace captured from
# mq-kmlib under QEMU (tools/mqk-trace/capture.sh). The sample and miss
# counts it reports must equal the ones awk counts here, for both models
# and both protocols. Whether the model beats the majority baseline is
# printed, not required: on the committed trace it does not
# (docs/sched.md, "Trace tool").
tool=$1
trace=$2
fail() {
	echo "mqk-trace-real: FAIL $*"
	exit 1
}
counts=$(awk '
	/^# columns: / { for (i = 3; i <= NF; i++) if ($i == "slack_us") col = i - 2; next }
	/^#/ { next }
	{ n++; if ($col < 0) { miss++; if (n > 1000) test++ } }
	END { print n + 0, miss + 0, test + 0 }' "$trace")
set -- $counts
n=$1 miss=$2 test_miss=$3
[ "$n" -gt 1000 ] || fail "only $n samples"
for model in linear mlp; do
	out=$("$tool" --model "$model" --protocol both "$trace") ||
		fail "$model: exit $?"
	echo "$out"
	echo "$out" | grep -qx "trace: $n samples" || fail "$model: sample count"
	echo "$out" | grep -q "^paper protocol.*: $((n - 1000)) samples, $test_miss misses$" ||
		fail "$model: paper protocol counts"
	echo "$out" | grep -q "^online (.*): $n samples, $miss misses$" ||
		fail "$model: online counts"
	echo "$out" | awk -v m="$model" '
		/^paper protocol/ { p = "paper" } /^online \(/ { p = "online" }
		/^online, last/ { p = "" }
		p && $1 == "accuracy" { acc = $2 + 0 }
		p && $1 == "majority" { printf "%s %s: accuracy %.2f%%, majority %.2f%%: %s\n",
			m, p, acc, $3, (acc > $3 + 0 ? "beats the baseline" : "does NOT beat the baseline"); p = "" }'
done
echo "mqk-trace-real: ok ($n samples, $miss misses)"
