# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: the shared cases, the trainer stress, the ring/publication stress
# (counts divided by 20) and the in-flight producer test, built with
# ThreadSanitizer; the first report fails the step. KMLib's atomics
# (kml_deps.h) are C11 __atomic operations, which TSan models; the runtime
# uses no standalone fences (TSan does not model those: GCC's -Wtsan).
title_tsan="user tests under ThreadSanitizer"

test_tsan() {
	local dir="$out/tsan"
	# allocator_may_return_null: the platform cases ask for a terabyte
	# and expect KML_ENOMEM, not a sanitizer abort.
	local opts="halt_on_error=1:abort_on_error=0:exitcode=66:allocator_may_return_null=1:second_deadlock_stack=1"
	setup_build "$dir" -Dkernel=disabled -Dbench=false \
		-Db_sanitize=thread -Db_lundef=false || return 1
	TSAN_OPTIONS=$opts meson test -C "$dir" --print-errorlogs \
		--num-processes 1 shared-cases ring-inflight trainer-stress || return 1
	echo "runtime_stress under TSan (counts / 20):"
	TSAN_OPTIONS=$opts "$dir/tests/user/runtime_stress" 20
}
