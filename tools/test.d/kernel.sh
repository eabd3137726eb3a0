# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: build kmlib.ko and kmlib_test.ko against
# Debian's linux-headers-amd64, boot Debian's kernel image (downloaded, not
# installed) under QEMU TCG, run every shared case in it, and compare each
# case's digest with the user-space run of the "user tests" step.
title_kernel="kernel tests in QEMU (KTAP, digests vs user space)"

test_kernel() {
	kml_need "${KML_KERNEL_PKGS[@]}" || return 1
	setup_build "$out/kernel" -Dkernel=enabled -Dtests=false -Dbench=false || return 1
	bash tools/kernel/ktest.sh "$out/kernel/platform/kernel" \
		"$out/user/tests/user-digests.txt" "$out/kernel/qemu"
}
