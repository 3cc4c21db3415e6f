#!/bin/bash
# Fetch QEMU's TCG plugin header (include/qemu/qemu-plugin.h) from the
# Debian source package of the qemu the machine runs, without touching
# the machine's apt configuration (a private deb-src list), and extract
# only that header.  Never committed: it is a build input.
#
#   scripts/tlbsim-header.sh [DIR]     (default: build/tlbsim-qemu)
#
# Prints the include directory (DIR/include) on stdout.  Quiet and quick
# when the header is already there.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/build/tlbsim-qemu}
hdr=$dir/include/qemu/qemu-plugin.h
log() { printf 'tlbsim-header: %s\n' "$*" >&2; }

if [ -s "$hdr" ]; then
	echo "$dir/include"
	exit 0
fi
. /etc/os-release
suite=${VERSION_CODENAME:-bookworm}
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/src"
cat > "$dir/src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
A=(-o "Dir::Etc::sourcelist=$dir/src.sources" -o Dir::Etc::sourceparts=/dev/null
   -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache")
# The source version that matches the installed emulator, when known.
want=qemu
v=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null || true)
log "apt-get update (private deb-src list for $suite)"
apt-get "${A[@]}" -qq update >&2 || { log "apt-get update failed"; exit 1; }
if [ -n "$v" ] && (cd "$dir/src" && apt-get "${A[@]}" -qq source --download-only "qemu=$v" >&2); then
	want="qemu=$v"
else
	log "qemu=$v not in the archive; taking the newest qemu source of $suite"
	(cd "$dir/src" && apt-get "${A[@]}" -qq source --download-only qemu >&2) ||
		{ log "apt-get source --download-only qemu failed"; exit 1; }
fi
orig=$(ls "$dir"/src/qemu_*.orig.tar.* 2>/dev/null | head -1)
[ -n "$orig" ] || { log "no qemu orig tarball in $dir/src"; exit 1; }
mkdir -p "$dir/include/qemu"
tar -xf "$orig" -O --wildcards '*/include/qemu/qemu-plugin.h' > "$hdr.tmp" ||
	{ rm -f "$hdr.tmp"; log "no include/qemu/qemu-plugin.h in $orig"; exit 1; }
grep -q QEMU_PLUGIN_VERSION "$hdr.tmp" || { rm -f "$hdr.tmp"; log "extracted header is not the plugin API"; exit 1; }
mv "$hdr.tmp" "$hdr"
echo "source=$want tarball=${orig##*/} sha256=$(sha256sum "$hdr" | cut -c1-16)" > "$dir/header.txt"
# The tarball is only needed for this one file.
rm -f "$dir"/src/qemu_*
log "$(cat "$dir/header.txt")"
echo "$dir/include"
