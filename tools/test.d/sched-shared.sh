# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: mq-kmlib trained in shared mode in QEMU.
# kmlib.ko and mq-kmlib.ko as the sched step builds them (against the
# kernel step's kbuild when present), kmlib-trainer linked statically
# against the user step's libkmlib.a (tools/kernel/sched-shared-test.sh).
title_sched_shared="mq-kmlib shared mode in QEMU (kmlib-trainer --format mqk trains, the scheduler predicts, kill -9, teardown)"

test_sched_shared() {
	kml_need "${KML_KERNEL_PKGS[@]}" "${KML_SCHED_PKGS[@]}" || return 1
	local lib=$out/kernel/platform/kernel/kmlib
	if [ -f "$lib/Module.symvers" ] && [ -f "$lib/kmlib.ko" ]; then
		bash sched/mq-kmlib/build.sh "$out/sched-shared" "$lib" >/dev/null &&
			cp "$lib/kmlib.ko" "$out/sched-shared/kmlib.ko" || return 1
	else
		bash sched/mq-kmlib/build.sh "$out/sched-shared" >/dev/null || return 1
	fi
	[ -f "$out/user/libkmlib.a" ] || setup_build "$out/user" -Dkernel=disabled || return 1
	bash tools/kernel/sched-shared-test.sh "$out/sched-shared" \
		"$out/user/libkmlib.a" "$out/sched-shared/qemu"
}
