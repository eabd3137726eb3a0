#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# test.sh - every test KMLib has: user-space tests (plain, valgrind,
# ASan+UBSan, TSan), the pkg-config consumer, and the kernel tests in a
# Debian kernel booted under QEMU with digests compared to user space.
# Installs missing Debian packages itself when run as root.
set -u
cd "$(dirname "$0")/.."
top=$PWD
. tools/deps.sh

out=${KML_TEST_OUT:-$top/build-test}
mkdir -p "$out"
passed=0
failed=0
failed_names=()

# step NAME CMD...: run one step, keep going, remember the outcome.
step() {
	local name=$1 t0=$SECONDS
	shift
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
		echo "=== $name: ok ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		echo "=== $name: FAILED ($((SECONDS - t0)) s)"
	fi
}

setup_build() { # DIR [meson options...]
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi && ninja -C "$dir"
}

user_tests() {
	setup_build "$out/user" -Dkernel=disabled &&
		meson test -C "$out/user" --print-errorlogs --num-processes 2
}

valgrind_tests() {
	meson test -C "$out/user" --setup=valgrind --print-errorlogs \
		--num-processes 2 --no-suite slow
}

# allocator_may_return_null: the platform cases ask for a terabyte and
# expect KML_ENOMEM, not a sanitizer abort.
sanitizer_tests() {
	setup_build "$out/asan" -Dkernel=disabled -Dbench=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all &&
		ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			meson test -C "$out/asan" --print-errorlogs --num-processes 2
}

step "install dependencies" kml_need "${KML_BUILD_PKGS[@]}" "${KML_CHECK_PKGS[@]}"
step "user tests (CMocka)" user_tests
step "user tests under valgrind" valgrind_tests
step "user tests under ASan+UBSan" sanitizer_tests
for extra in tools/test.d/*.sh; do
	[ -f "$extra" ] || continue
	# each file defines one function named after the file and a title
	. "$extra"
	name=$(basename "$extra" .sh)
	step "$(eval echo "\$title_${name//-/_}")" "test_${name//-/_}"
done

echo
echo "kmlib tests: ${failed_names[*]:+failed: ${failed_names[*]}}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
