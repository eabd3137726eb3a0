# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: build the shared cases with clang and require
# every case's digest to equal the GCC user build's (same inputs, same bits,
# whatever the compiler). Only the case runner is built: a few seconds.
title_clang="shared-case digests: clang build == gcc build"

test_clang() {
	local dir="$out/clang" gcc_digests="$out/user/tests/user-digests.txt"
	kml_need clang || return 1
	if [ ! -s "$gcc_digests" ]; then # this step run alone
		setup_build "$out/user" -Dkernel=disabled >/dev/null &&
			KMLIB_DIGESTS=$gcc_digests "$out/user/tests/run_cases" \
				>/dev/null || return 1
	fi
	if [ ! -f "$dir/build.ninja" ]; then
		CC=clang meson setup "$dir" -Dkernel=disabled -Dbench=false \
			>/dev/null || return 1
	fi
	ninja -C "$dir" tests/run_cases >/dev/null || return 1
	KMLIB_DIGESTS="$dir/clang-digests.txt" "$dir/tests/run_cases" \
		>"$dir/run_cases.log" 2>&1 ||
		{ tail -20 "$dir/run_cases.log"; return 1; }
	sort "$gcc_digests" >"$dir/gcc.sorted"
	sort "$dir/clang-digests.txt" >"$dir/clang.sorted"
	if ! diff "$dir/gcc.sorted" "$dir/clang.sorted"; then
		echo "clang digests differ from gcc (< gcc, > clang)"
		return 1
	fi
	echo "$(wc -l <"$dir/clang.sorted") digests equal"
}
