# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: install libkmlib into a scratch prefix and build
# an outside program with nothing but pkg-config.
title_pkgconfig="installed library via pkg-config"

test_pkgconfig() {
	local prefix="$out/pc-prefix" pcdir
	rm -rf "$prefix"
	setup_build "$out/pc" --prefix="$prefix" -Dkernel=disabled -Dtests=false \
		-Dbench=false -Ddebug_checks=false -Dbuildtype=release >/dev/null &&
		meson install -C "$out/pc" --quiet || return 1
	pcdir=$(dirname "$(find "$prefix" -name kmlib.pc | head -1)")
	[ -f "$pcdir/kmlib.pc" ] || { echo "kmlib.pc not installed"; return 1; }
	PKG_CONFIG_PATH=$pcdir cc -Wall -Wextra -Werror -o "$out/pc/consumer" \
		tests/pkgconfig/consumer.c $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs kmlib) &&
		"$out/pc/consumer"
}
