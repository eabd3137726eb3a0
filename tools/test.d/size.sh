# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: the size profile (-Dsimd=sse2 -Dsize_opt=true,
# docs/performance.md, Footprint) must still compile and compute the same
# bits as the default build: every shared case's digest equal to the user
# build's. Only the library and the case runner are built (about a minute).
title_size="shared-case digests: size profile == default build"

test_size() {
	local dir="$out/size" digests="$out/user/tests/user-digests.txt"
	if [ ! -s "$digests" ]; then # this step run alone
		setup_build "$out/user" -Dkernel=disabled >/dev/null &&
			KMLIB_DIGESTS=$digests "$out/user/tests/run_cases" \
				>/dev/null || return 1
	fi
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" -Dkernel=disabled -Dbench=false \
			-Dsimd=sse2 -Dsize_opt=true >/dev/null || return 1
	fi
	ninja -C "$dir" tests/run_cases >/dev/null || return 1
	KMLIB_DIGESTS="$dir/size-digests.txt" "$dir/tests/run_cases" \
		>"$dir/run_cases.log" 2>&1 ||
		{ tail -20 "$dir/run_cases.log"; return 1; }
	sort "$digests" >"$dir/default.sorted"
	sort "$dir/size-digests.txt" >"$dir/size.sorted"
	diff "$dir/default.sorted" "$dir/size.sorted" || return 1
	echo "$(wc -l <"$dir/size.sorted") case digests equal"
}
