# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: the reliability part of the scheduler
# experiment (tools/experiment.sh --reliability): 50 switches mq-deadline
# <-> mq-kmlib under fio load, 10 unload/load cycles of kmlib.ko and
# mq-kmlib.ko, a run with training paused (the sample ring must drop),
# and the reject fence (io_uring batched reads that did not opt in: zero
# errors, no hang); fio must count zero errors and the console must show
# no WARNING/BUG. Reuses the kernel step's kmlib.ko when present.
title_reliability="mq-kmlib reliability in QEMU (switches under load, reloads, ring drops, reject fence)"

test_reliability() {
	local lib=$out/kernel/platform/kernel/kmlib
	if [ -f "$lib/Module.symvers" ] && [ -f "$lib/kmlib.ko" ]; then
		KML_KMLIB_DIR=$lib bash tools/experiment.sh --reliability --out "$out/reliability"
	else
		bash tools/experiment.sh --reliability --out "$out/reliability"
	fi
}
