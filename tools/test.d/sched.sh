# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: build mq-kmlib.ko against kmlib.ko (the
# kernel step's kbuild when present, else its own) and run it under QEMU
# on a virtio disk with fio (tools/kernel/sched-test.sh).
title_sched="mq-kmlib I/O scheduler in QEMU (fio, scheduler switches, tunables, learning, policies, reject fence, trace, unload)"

test_sched() {
	kml_need "${KML_KERNEL_PKGS[@]}" "${KML_SCHED_PKGS[@]}" || return 1
	local lib=$out/kernel/platform/kernel/kmlib
	# kmlib.ko and its Module.symvers from the same kbuild run (the kernel
	# step's, even when only its test module failed)
	if [ -f "$lib/Module.symvers" ] && [ -f "$lib/kmlib.ko" ]; then
		bash sched/mq-kmlib/build.sh "$out/sched" "$lib" >/dev/null &&
			cp "$lib/kmlib.ko" "$out/sched/kmlib.ko" || return 1
	else
		bash sched/mq-kmlib/build.sh "$out/sched" >/dev/null || return 1
	fi
	bash tools/kernel/sched-test.sh "$out/sched" "$out/sched/qemu"
}
