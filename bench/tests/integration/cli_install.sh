#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make install PREFIX=/usr DESTDIR=<scratch>: the binary (which runs),
# hvobench(1), the bash completion, plot scripts and docs, nothing
# outside DESTDIR.
set -u
B=${HVOBENCH_CMAKE_BUILD:?}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
fail=0
if ! DESTDIR=$D cmake --install "$B" --prefix /usr >"$D.log" 2>&1; then
	echo "FAIL: cmake --install"; cat "$D.log"; rm -f "$D.log"; exit 1
fi
rm -f "$D.log"
for f in usr/bin/hvobench usr/share/man/man1/hvobench.1 \
	usr/share/bash-completion/completions/hvobench \
	usr/share/hvobench/plots/cdf.gp usr/share/doc/hvobench/README.md; do
	[[ -s $D/$f ]] && echo "ok: $f" || { echo "FAIL: no $f"; fail=1; }
done
"$D/usr/bin/hvobench" --version | grep -q '^hvobench ' ||
	{ echo "FAIL: the installed binary does not run"; fail=1; }
exit $fail
