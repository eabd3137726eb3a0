#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# size-check.sh [DIR_PREFIX]: the size profile (-Dsimd=sse2 -Dsize_opt=true,
# docs/performance.md, Footprint) must compute the same bits as the default
# build. Builds the shared cases (tests/run_cases) both ways into
# DIR_PREFIX-default/ and DIR_PREFIX-size/ (default prefix build-size-check),
# runs them and requires every case digest to be equal. The kernel test
# (tools/kernel/ktest.sh) then compares a build's kernel digests with its
# own user-space ones; together: default = size profile = kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-build-size-check}

for cfg in default size; do
	dir=$prefix-$cfg
	opts=(-Dkernel=disabled -Dbench=false)
	[ "$cfg" = size ] && opts+=(-Dsimd=sse2 -Dsize_opt=true)
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "${opts[@]}" >/dev/null
	else
		meson setup "$dir" "${opts[@]}" >/dev/null
	fi
	ninja -C "$dir" tests/run_cases >/dev/null
	KMLIB_DIGESTS=$dir/digests.txt "$dir/tests/run_cases" \
		>"$dir/run_cases.log" 2>&1 ||
		{ tail -20 "$dir/run_cases.log"; exit 1; }
	sort "$dir/digests.txt" >"$dir/digests.sorted"
done
n=$(wc -l <"$prefix-default/digests.sorted")
[ "$n" -gt 0 ] || { echo "size-check: no digests"; exit 1; }
if ! diff "$prefix-default/digests.sorted" "$prefix-size/digests.sorted"; then
	echo "size-check: the size profile's digests differ (above)"
	exit 1
fi
echo "size-check: $n case digests, size profile = default build"
