#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# compare-digests.sh KTAP_RESULTS USER_DIGESTS: compare the digest of
# every shared case in the kernel ("# digest <suite>.<case> <hex>" in the
# KTAP) with user space ("<suite>.<case> <hex>", written by the
# shared-cases test when KMLIB_DIGESTS is set). Prints one line per suite
# and fails on any difference or on a case missing on either side.
set -u
ktap=$1
user=$2
[ -s "$user" ] || { echo "digests: no user-space digests in $user"; exit 1; }
awk '
	FNR == NR { if (NF == 2) user[$1] = $2; next }
	$1 == "#" && $2 == "digest" && NF == 4 { kern[$3] = $4 }
	END {
		for (c in user) names[c] = 1
		for (c in kern) names[c] = 1
		for (c in names) {
			s = c; sub(/\..*/, "", s)
			suites[s] = 1; n[s]++
			if (!(c in kern)) { miss[s]++; print "digests: " c " missing in the kernel" }
			else if (!(c in user)) { miss[s]++; print "digests: " c " missing in user space" }
			else if (kern[c] != user[c]) { diff[s]++; print "digests: " c " differs: kernel " kern[c] " user " user[c] }
			else same[s]++
		}
		printf "%-16s %6s %6s %6s %8s\n", "suite", "cases", "equal", "differ", "missing"
		ns = 0
		for (s in suites) order[++ns] = s
		for (i = 2; i <= ns; i++)  # insertion sort: stable output
			for (j = i; j > 1 && order[j - 1] > order[j]; j--) {
				t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
			}
		for (i = 1; i <= ns; i++) {
			s = order[i]
			printf "%-16s %6d %6d %6d %8d\n", s, n[s], same[s], diff[s], miss[s]
			tn += n[s]; ts += same[s]; td += diff[s]; tm += miss[s]
		}
		printf "%-16s %6d %6d %6d %8d\n", "total", tn, ts, td, tm
		exit (tn == 0 || td + tm > 0)
	}' "$user" "$ktap"
