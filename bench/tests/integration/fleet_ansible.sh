#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Ansible fleet for real: an sshd of our own on two loopback addresses
# (127.0.0.2, 127.0.0.3; a free port) is a two-host inventory, plus a
# third host that cannot be reached.  scripts/fleet runs `list`, `env` and
# a tiny suite (one 4K instance, HVO off; two runs each) on both, serialised by the
# machine's hvobench lock since they share this kernel, fetches the
# results and imports them into a store; the unreachable host is reported
# with its reason and the other two still count; sshd is stopped and the
# kernel state is as found.  Every host's runs must hold rows of that
# instance in the store (zero rows fail: HVOBENCH_FLEET_FILTER='^none$'
# is the negative control, results/fleet/README.md).  Copies this
# build's hvobench to the hosts (CI's quick mode, ~25 s);
# HVOBENCH_FLEET_BUILD=1 copies the sources and builds on each host
# (~90 s, make fleet-check).
# Skipped (77) without ansible-playbook, sshd or root.
set -u
command -v ansible-playbook >/dev/null ||
	{ echo "SKIP: no ansible-playbook (apt-get install ansible-core)"; exit 77; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || { echo "SKIP: no sshd (apt-get install openssh-server)"; exit 77; }
. "$(dirname "$0")/../lib/kernel_state.sh"
# The fleet's runs take the machine lock themselves (that is under test):
# let go of the one the prelude holds, or they would wait for us.
exec 9>&-
SRC=${HVOBENCH_SRC:?}

name=$("$HVOBENCH" list --instances --suite=quick --filter='size:4K' 2>/dev/null |
	grep -v 'hvo:on' | head -1)
[ -n "$name" ] || { echo "SKIP: no 4K instance listed"; exit 77; }

# sshd: our own keys, config and port; stopped on every exit path.
S=$TMP/ssh
mkdir -p "$S" && chmod 700 "$S"
ssh-keygen -q -t ed25519 -N '' -f "$S/host" && ssh-keygen -q -t ed25519 -N '' -f "$S/id" ||
	{ echo "SKIP: ssh-keygen failed"; exit 77; }
cp "$S/id.pub" "$S/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.2", 0)); print(s.getsockname()[1])')
made_run_sshd=0
[ -d /run/sshd ] || { mkdir -p /run/sshd && made_run_sshd=1; }
cat >"$S/sshd_config" <<EOF
ListenAddress 127.0.0.2:$port
ListenAddress 127.0.0.3:$port
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PidFile $S/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
EOF
"$SSHD" -D -e -f "$S/sshd_config" 2>"$S/sshd.log" &
sshd_pid=$!
stop_sshd() {
	kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
	[ $made_run_sshd = 1 ] && rmdir /run/sshd 2>/dev/null
	return 0
}
trap 'stop_sshd; finish' EXIT
for i in $(seq 50); do
	ssh -p "$port" -i "$S/id" -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null root@127.0.0.3 true 2>/dev/null && break
	sleep 0.2
done || true
ssh -p "$port" -i "$S/id" -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null root@127.0.0.2 true 2>"$S/ssh.err" ||
	{ echo "SKIP: our sshd does not answer: $(tail -2 "$S/ssh.err" "$S/sshd.log")"; exit 77; }

cat >"$TMP/inventory" <<EOF
[lab]
h1 ansible_host=127.0.0.2 hvobench_dest=$TMP/h1
h2 ansible_host=127.0.0.3 hvobench_dest=$TMP/h2
h3 ansible_host=127.0.0.4 hvobench_dest=$TMP/h3
[lab:vars]
ansible_port=$port
ansible_user=root
ansible_python_interpreter=/usr/bin/python3
ansible_ssh_private_key_file=$S/id
ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5'
ansible_remote_tmp=$TMP/rtmp
EOF
export ANSIBLE_HOME=$TMP/ansible ANSIBLE_LOCAL_TEMP=$TMP/ansible/tmp \
	ANSIBLE_NOCOLOR=1 HVOBENCH_DB=$TMP/store.db
# A run already in the store: a fleet with a failed host loses nothing.
seed=$(find "$SRC/results" -name result.json -size +0 | sort | head -1)
[ -n "$seed" ] && "$HVOBENCH" db import "$seed" >/dev/null &&
	"$HVOBENCH" db list --format=json >"$TMP/seed.json" || fail "seed the store"
filter="^$(printf '%s' "$name" | sed 's/[]\/$*.^[]/\\&/g')\$"
filter=${HVOBENCH_FLEET_FILTER:-$filter}
how=(--binary="$HVOBENCH")
[ "${HVOBENCH_FLEET_BUILD:-0}" = 1 ] && how=()
echo "mode: ${how[*]:-build on each host}; run filter: $filter"
"$SRC/scripts/fleet" -i "$TMP/inventory" --hvobench="$HVOBENCH" "${how[@]}" \
	--out="$TMP/out" --suite=quick --runs=2 \
	--run-args="--filter='$filter' --min-time=0.01 --repetitions=3" \
	>"$TMP/fleet.log" 2>&1
rc=$?
cat "$TMP/fleet.log"
[ $rc = 1 ] || fail "fleet exit $rc (1: one host failed, the others ok)"
for h in h1 h2; do
	grep -Eqx "$h: ok, 2 runs added, [1-9][0-9]* rows" "$TMP/fleet.log" ||
		fail "$h not ok with rows"
	[ -s "$TMP/out/$h/env.json" ] && grep -qx "$name" "$TMP/out/$h/list.txt" ||
		fail "$h: list/env not fetched"
done
grep -q '^h3: failed: reach the host: unreachable: .*Connection refused' "$TMP/fleet.log" ||
	fail "h3: no failure with its reason (ssh's connection refused)"
"$HVOBENCH" db list --format=json >"$TMP/runs.json" || fail "db list"
exe=hvobench
[ ${#how[@]} = 0 ] && exe=src/build/hvobench
python3 - "$TMP/runs.json" "$TMP/out" "$name" "$TMP" "$exe" <<'PY' || fail "fleet results in the store"
import glob, json, sys
runs = json.load(open(sys.argv[1]))
seed = json.load(open(sys.argv[4] + "/seed.json"))
assert len(seed) == 1 and seed[0] in runs, ("seed run lost", seed)
runs = [r for r in runs if r not in seed]
assert len(runs) == 4, "%d runs added to the store" % len(runs)
spans = []
for h in ("h1", "h2"):
    docs = glob.glob("%s/%s/results/**/result.json" % (sys.argv[2], h),
                     recursive=True)
    assert len(docs) == 2, (h, docs)
    for doc in docs:
        d = json.load(open(doc))
        assert d["context"]["hvobench"]["user"]["fleet_host"] == h
        # The binary the mode says: copied, or built on the host.
        exe = "%s/%s/%s" % (sys.argv[4], h, sys.argv[5])
        assert d["context"]["executable"] == exe, (d["context"]["executable"], exe)
        stored = [r for r in runs if r["source"] == doc]
        assert len(stored) == 1, (h, doc, "not imported once")
        # Rows in the store, all of the one instance asked for, none failed.
        assert stored[0]["rows"] > 0, (h, doc, "no rows in the store")
        assert stored[0]["rows"] == len(d["benchmarks"]), (h, doc)
        bad = [b["name"] for b in d["benchmarks"]
               if b.get("run_name") != sys.argv[3] or b.get("error_occurred")]
        assert not bad, (h, "rows of another instance or failed", bad)
        reps = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
        assert len(reps) == 3, (h, doc, "%d repetitions, not 3" % len(reps))
    print("%s: %d runs, %s rows in the store" %
          (h, len(docs), "+".join(str(r["rows"]) for r in runs
                                  if "/%s/results/" % h in r["source"])))
    # When the host held the machine lock and ran: two UTC times.
    t = open("%s/%s/span" % (sys.argv[2], h)).read().split()
    spans.append((t[0], t[1], h))
spans.sort()
# One kernel, one lock: the second run started after the first ended.
assert spans[1][0] >= spans[0][1], "runs overlapped: %s" % spans
print("ok: 4 runs added to the store, the one before kept; "
      "%s ran %s..%s, %s ran %s..%s" % (spans[0][2], spans[0][0], spans[0][1],
                                        spans[1][2], spans[1][0], spans[1][1]))
PY
stop_sshd
kill -0 "$sshd_pid" 2>/dev/null && fail "sshd still running"
ss -ltn | grep -q ":$port " && fail "port $port still listening"
true
