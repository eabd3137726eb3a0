#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mkinitramfs.sh OUT.cpio.gz KERNEL_DIR PAYLOAD [options]: build a small
# initramfs from busybox-static: /init (guest-init.sh), the virtio modules
# of KERNEL_DIR (from fetch-kernel.sh) under /lib/modules, PAYLOAD as
# /payload, and extra files:
#   --file SRC[:DEST]  copy SRC to DEST (default /files/<name of SRC>)
#   --bin PROGRAM      copy a dynamically linked program and every library
#                      ldd lists, at their own paths (e.g. fio)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
kdir=$2
payload=$3
shift 3

root=$(mktemp -d "${TMPDIR:-/tmp}/kml-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "mkinitramfs: busybox-static is not installed" >&2; exit 1; }
# the guest has no libraries: a dynamic busybox (package busybox) cannot run
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitramfs: $busybox is dynamically linked; install busybox-static" >&2
	exit 1
fi
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules,files}
cp "$busybox" "$root/bin/busybox"
# one link per applet; never a link named busybox (it would replace it)
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
cp "$payload" "$root/payload"
cp "$kdir"/modules/*.ko "$root/lib/modules/" 2>/dev/null || true

while [ $# -gt 0 ]; do
	case $1 in
	--file)
		src=${2%%:*}
		dest=/files/$(basename "$src")
		[ "$2" = "$src" ] || dest=${2#*:}
		mkdir -p "$root$(dirname "$dest")"
		cp "$src" "$root$dest"
		shift 2
		;;
	--bin)
		prog=$(command -v "$2")
		mkdir -p "$root$(dirname "$prog")"
		cp "$prog" "$root$prog"
		for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
		shift 2
		;;
	*)
		echo "mkinitramfs: unknown option $1" >&2
		exit 2
		;;
	esac
done

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
