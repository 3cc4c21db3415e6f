#!/bin/bash
# Maintainer helper: regenerate kernel-patch/*.patch and kernel-patch/series
# from a development branch with git format-patch, and fill the cover letter
# from kernel-patch/cover-letter.txt (first line "SUBJECT: ...", then the
# text that replaces the "*** BLURB HERE ***" placeholder).
#
#   scripts/kernel-series-export.sh DEV_TREE [BRANCH]
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

dev=${1:?usage: $0 DEV_TREE [BRANCH]}
branch=${2:-HEAD}
base=$(git -C "$dev" rev-parse "$HVO_BASE_TAG")
rm -f "$HVO_PATCHDIR"/[0-9][0-9][0-9][0-9]-*.patch
git -C "$dev" format-patch -q --cover-letter --base="$base" \
	-o "$HVO_PATCHDIR" "$base..$branch"
(cd "$HVO_PATCHDIR" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') > "$HVO_PATCHDIR/series"
python3 - "$HVO_PATCHDIR/0000-cover-letter.patch" "$HVO_PATCHDIR/cover-letter.txt" <<'PY'
import sys
cover, text = sys.argv[1], open(sys.argv[2]).read()
subject, blurb = text.split('\n', 1)
subject = subject.removeprefix('SUBJECT: ')
s = open(cover).read()
s = s.replace('*** SUBJECT HERE ***', subject.split('] ', 1)[-1])
s = s.replace('*** BLURB HERE ***', blurb.rstrip('\n'))
open(cover, 'w').write(s)
PY
hvo_log "exported $(wc -l < "$HVO_PATCHDIR/series") patches to $HVO_PATCHDIR"
