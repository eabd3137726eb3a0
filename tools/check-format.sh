#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# check-format.sh - list the C files under src/ include/ platform/ tests/
# that clang-format (the repo's .clang-format) would change; exit status 1
# if there is any. Formats nothing: run `clang-format -i FILE` to fix one.
set -u
cd "$(dirname "$0")/.."
. tools/deps.sh
kml_need clang-format || exit 2
command -v clang-format >/dev/null || { echo "clang-format not found" >&2; exit 2; }

changed=0
while IFS= read -r -d '' f; do
	if ! clang-format --style=file "$f" | cmp -s - "$f"; then
		echo "$f"
		changed=$((changed + 1))
	fi
done < <(find src include platform tests -type f \( -name '*.c' -o -name '*.h' \) \
	-print0 | sort -z)
[ "$changed" -eq 0 ] || { echo "$changed file(s) not clang-formatted" >&2; exit 1; }
