#!/bin/bash
# The kernel-patch/ series in and out of a kernel tree.
#
#   scripts/kernel-series-export.sh --from-tree DEV_TREE [--branch BRANCH]
#       maintainers: regenerate kernel-patch/*.patch and kernel-patch/series
#       from BRANCH (default HEAD) of DEV_TREE (a tree made by
#       scripts/kernel-build.sh --prep-only, tag hvobench-base) with git
#       format-patch, and kernel-patch/0000-cover-letter.patch from
#       kernel-patch/cover-letter.txt (first line "SUBJECT: ...", then the
#       text that replaces "*** BLURB HERE ***").
#   scripts/kernel-series-export.sh --signoff "Name <mail>" [--out DIR]
#       the submitter: write the series to DIR (default ./hvobench-series)
#       with the placeholder author and Signed-off-by replaced by yours.
#       The project cannot certify the DCO for you: read every patch before
#       you sign it off.  kernel-patch/ itself is not changed.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

PLACEHOLDER='Placeholder Submitter-Replace-Me <replace-me@example.org>'
dev= branch=HEAD signoff= out=./hvobench-series
while [ $# -gt 0 ]; do
	case $1 in
	--from-tree) [ $# -ge 2 ] || hvo_usage "--from-tree needs a directory"
		     dev=$2; shift 2 ;;
	--branch) [ $# -ge 2 ] || hvo_usage "--branch needs a name"
		  branch=$2; shift 2 ;;
	--signoff) [ $# -ge 2 ] || hvo_usage "--signoff needs \"Name <mail>\""
		   signoff=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || hvo_usage "--out needs a directory"
	       out=$2; shift 2 ;;
	-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
	*) hvo_usage "unknown option $1" ;;
	esac
done
[ -n "$dev" ] || [ -n "$signoff" ] || hvo_usage "give --from-tree DEV_TREE or --signoff \"Name <mail>\" (--help)"
[ -n "$dev" ] && [ -n "$signoff" ] && hvo_usage "--from-tree and --signoff are separate steps"

if [ -n "$signoff" ]; then
	[[ $signoff =~ ^[^\<\>@]+\ \<[^\<\>@\ ]+@[^\<\>@\ ]+\>$ ]] ||
		hvo_usage "--signoff \"$signoff\": expected \"Full Name <user@example.com>\""
	mkdir -p "$out"
	n=0
	for p in "$HVO_PATCHDIR/0000-cover-letter.patch" $(hvo_series_files); do
		[ -f "$p" ] || continue
		python3 - "$p" "$out/${p##*/}" "$PLACEHOLDER" "$signoff" <<'PY'
import sys
src, dst, old, new = sys.argv[1:]
s = open(src).read()
s = s.replace(old, new)
# the cover letter's shortlog names the author without the address
s = s.replace(old.split(' <')[0], new.split(' <')[0])
open(dst, 'w').write(s)
PY
		n=$((n + 1))
	done
	if grep -l 'Replace-Me' "$out"/*.patch >/dev/null 2>&1; then
		hvo_die "placeholder left in $(grep -l 'Replace-Me' "$out"/*.patch | head -1)"
	fi
	hvo_log "wrote $n files to $out, signed off by $signoff"
	exit 0
fi

[ -d "$dev" ] || hvo_usage "--from-tree $dev: not a directory"
base=$(git -C "$dev" rev-parse "$HVO_BASE_TAG") ||
	hvo_usage "$dev has no tag $HVO_BASE_TAG (make it with scripts/kernel-build.sh --prep-only)"
rm -f "$HVO_PATCHDIR"/[0-9][0-9][0-9][0-9]-*.patch
# The cover letter's author is the same placeholder as the patches'.
git -C "$dev" -c user.name="${PLACEHOLDER% <*}" -c user.email="$(sed 's/.*<\(.*\)>/\1/' <<< "$PLACEHOLDER")" \
	format-patch -q --cover-letter --base="$base" \
	-o "$HVO_PATCHDIR" "$base..$branch"
{
	echo "# The kernel-patch/ series, in git am order (scripts/kernel-series-export.sh)."
	for p in "$HVO_PATCHDIR"/[0-9][0-9][0-9][0-9]-*.patch; do
		case ${p##*/} in 0000-*) ;; *) echo "${p##*/}" ;; esac
	done
} > "$HVO_PATCHDIR/series"
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
hvo_log "exported $(hvo_series_files | wc -l) patches to $HVO_PATCHDIR"
