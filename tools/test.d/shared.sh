# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: shared mode in QEMU. kmlib.ko (with /dev/kmlib)
# from the kernel step's kbuild, the test client kmlib_shared_test.ko built
# against it, kmlib-trainer and the hostile/benchmark programs linked
# statically against the user step's libkmlib.a (tools/kernel/shared-test.sh).
title_shared="shared mode in QEMU (kernel collects, kmlib-trainer trains, hostile user space)"

test_shared() {
	kml_need "${KML_KERNEL_PKGS[@]}" || return 1
	local lib=$out/kernel/platform/kernel/kmlib
	if [ ! -f "$lib/Module.symvers" ] || [ ! -f "$lib/kmlib.ko" ]; then
		setup_build "$out/kernel" -Dkernel=enabled -Dtests=false -Dbench=false || return 1
	fi
	[ -f "$out/user/libkmlib.a" ] || setup_build "$out/user" -Dkernel=disabled || return 1
	mkdir -p "$out/shared"
	bash tests/shared/build.sh "$out/shared" "$lib" &&
		cp "$lib/kmlib.ko" "$out/shared/kmlib.ko" || return 1
	bash tools/kernel/shared-test.sh "$out/shared" "$out/user/libkmlib.a" "$out/shared/qemu"
}
