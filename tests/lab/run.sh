#!/bin/bash
# Run lab scenarios (tests/lab/pending/*.sh and tests/interop/*.sh) and print
# one line per scenario plus a summary; logs go to /tmp/ravpn-lab-NAME.log.
#
#   tests/lab/run.sh                         every scenario against ravpnd
#   tests/lab/run.sh ikev2_eap_mschapv2      one scenario (name, file or glob)
#   LAB_GW=strongswan tests/lab/run.sh       against the strongSwan gateway
#   LAB_DATAPLANE=0|1 tests/lab/run.sh ...   skip/force the ping through the tunnel
#   -v                                       show the scenario output live
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
all=$(ls "$top"/tests/lab/pending/*.sh "$top"/tests/interop/*.sh 2>/dev/null | sort)
want=""
if [ $# = 0 ]; then
	want=$all
else
	for a in "$@"; do
		a=$(basename "$a" .sh)
		m=$(for f in $all; do case $(basename "$f" .sh) in $a) echo "$f" ;; esac; done)
		[ -n "$m" ] || { echo "no scenario $a" >&2; exit 2; }
		want="$want $m"
	done
fi
pass=0 fail=0 failed=""
for f in $want; do
	name=$(basename "$f" .sh)
	log=/tmp/ravpn-lab-$name.log
	start=$(date +%s)
	rc=0
	if [ $verbose = 1 ]; then
		timeout 600 bash "$f" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	else
		timeout 600 bash "$f" >"$log" 2>&1 || rc=$?
	fi
	secs=$(($(date +%s) - start))
	if [ $rc = 0 ]; then
		pass=$((pass + 1)); printf 'ok   %-28s %3ss  (%s)\n' "$name" "$secs" "${LAB_GW:-ravpnd}"
	else
		fail=$((fail + 1)); failed="$failed $name"
		printf 'FAIL %-28s %3ss  (%s, log %s)\n' "$name" "$secs" "${LAB_GW:-ravpnd}" "$log"
		[ $verbose = 1 ] || grep -E '^(FAIL|PASS)' "$log" | head -n 5 | sed 's/^/     /'
	fi
done
echo "$pass passed, $fail failed${failed:+ ($failed )}"
[ $fail = 0 ]
