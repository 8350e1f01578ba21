#!/bin/bash
# ravpn-connect --load against ravpnd (tests/lab/configs/load.conf, /22 pool):
#  1. 200 emulated clients, group PSK, started at 100/s from one process in
#     one client namespace (one UDP socket each), held up: every client is up
#     with its own address (--dump), the gateway counts 200 IKEv2 sessions
#     (show vpn-sessiondb summary) from 200 distinct ports; SIGTERM: each
#     sends DELETE, the JSON summary says 200 up / 200 closed / 0 failed, and
#     the pool has no address in use afterwards;
#  2. 200 clients with EAP-MSCHAPv2 (all as user Anu, the gateway certificate
#     pinned), closed by themselves once all are up: same checks;
#  3. IKEv1 (--ikev1: Aggressive Mode, XAUTH user vpnuser1), 50 clients from
#     50 local addresses (--source: ravpnd's INITIAL-CONTACT replaces older
#     IKEv1 sessions of the same peer address), held up: 50 distinct
#     addresses, 50 IKEv1 sessions at the gateway, leases back after SIGTERM.
# Prints both JSON summaries (connects per second, latency percentiles).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

RAVPN_CONNECT=${RAVPN_CONNECT:-$LAB_TOP/build/src/client/ravpn-connect}
[ -x "$RAVPN_CONNECT" ] || { echo "SKIP: no $RAVPN_CONNECT (make first)"; exit 77; }
N=${LOAD_N:-200}
RATE=${LOAD_RATE:-100}
POOL=loadpool

# load_start TAG "ENV-ASSIGNMENTS" ARGS...: ravpn-connect --load in namespace c1
# (passwords in the environment, space-separated assignments without spaces).
load_start() {
	local tag=$1 envpw=$2
	shift 2
	mkdir -p "$LAB_DIR/c1"
	lab_spawn "load-$tag" "$LAB_DIR/c1/load-$tag.log" \
		ip netns exec "$(lab_ns c1)" env $envpw "$RAVPN_CONNECT" --gateway "$LAB_GW_ADDR" \
		--load "$N" --rate "$RATE" --json "$LAB_DIR/c1/$tag.json" --dump "$LAB_DIR/c1/$tag.dump" "$@"
	LOAD_PID=$LAB_LAST_PID
}

# load_wait_dump TAG: the dump appears once every client is up or failed.
load_wait_dump() {
	local i
	for i in $(seq 400); do
		[ -s "$LAB_DIR/c1/$1.dump" ] && return 0
		lab_alive "$LOAD_PID" || break
		sleep 0.1
	done
	[ -s "$LAB_DIR/c1/$1.dump" ] || lab_fail "load $1: no dump after 40 s: $(tail -n 20 "$LAB_DIR/c1/load-$1.log")"
}

# load_check_dump TAG: N lines "up", N distinct addresses from 10.2.4.0/22,
# N distinct local (address, port) pairs.
load_check_dump() {
	local f=$LAB_DIR/c1/$1.dump up addrs ports bad
	up=$(grep -v '^#' "$f" | awk '$6 == "up"' | wc -l)
	[ "$up" = "$N" ] || lab_fail "load $1: $up of $N clients up: $(grep -v '^#' "$f" | awk '$6 != "up"' | head -n 5)"
	addrs=$(grep -v '^#' "$f" | awk '{ print $4 }' | sort -u | wc -l)
	[ "$addrs" = "$N" ] || lab_fail "load $1: $addrs distinct addresses for $N clients"
	ports=$(grep -v '^#' "$f" | awk '{ print $7 ":" $2 }' | sort -u | wc -l)
	[ "$ports" = "$N" ] || lab_fail "load $1: $ports distinct local address/port pairs for $N clients"
	bad=$(grep -v '^#' "$f" | awk '{ print $4 }' | grep -Evc '^10\.2\.[4-7]\.[0-9]+$' || true)
	[ "$bad" = 0 ] || lab_fail "load $1: $bad addresses outside 10.2.4.0/22"
}

# load_check_json TAG: up N, failed 0, closed N, distinct_addresses N.
load_check_json() {
	local j=$LAB_DIR/c1/$1.json k want
	[ -s "$j" ] || lab_fail "load $1: no JSON summary: $(tail -n 20 "$LAB_DIR/c1/load-$1.log")"
	for k in up:$N failed:0 closed:$N dropped:0 distinct_addresses:$N; do
		want=${k#*:}
		grep -Eq "\"${k%%:*}\": $want[,}]" "$j" ||
			lab_fail "load $1: JSON ${k%%:*} is not $want: $(cat "$j")"
	done
}

# gw_sessions [IKEv1|IKEv2]: active sessions in show vpn-sessiondb summary.
gw_sessions() {
	lab_ctl show vpn-sessiondb summary |
		awk -F: -v v="${1:-IKEv2}" '$0 ~ v " IPsec" { gsub(/ /, "", $2); print $2; found = 1; exit }
			END { if (!found) print 0 }'
}

lab_init
lab_gw_start load
lab_add_client c1

# ---- 1. PSK, held up, closed by SIGTERM --------------------------------------------
t0=$(date +%s)
load_start psk RAVPN_GROUP_PASSWORD=Lab-group-key-1 --group ASA-PSK --auth psk --hold
load_wait_dump psk
load_check_dump psk
s=$(gw_sessions)
[ "$s" = "$N" ] || lab_fail "gateway shows $s IKEv2 sessions, expected $N: $(lab_ctl show vpn-sessiondb summary)"
peers=$(lab_ctl show crypto ikev2 sa | grep -Eo '10\.0\.0\.[0-9]+/[0-9]+' | sort -u | wc -l)
[ "$peers" -ge "$N" ] || lab_fail "gateway: $peers distinct peer address/port pairs in show crypto ikev2 sa, expected $N"
lab_pass "PSK: $N clients up at $RATE/s, $N distinct addresses, gateway: $s sessions"
lab_stop_pid "$LOAD_PID"
[ "$LAB_STOP_STATUS" = 0 ] || lab_fail "load psk exited with $LAB_STOP_STATUS: $(tail -n 20 "$LAB_DIR/c1/load-psk.log")"
load_check_json psk
cat "$LAB_DIR/c1/psk.json"
sleep 0.5
lab_assert_no_lease "$POOL"
[ "$(gw_sessions)" = 0 ] || lab_fail "gateway still has sessions after the DELETEs"
lab_pass "PSK: SIGTERM, $N DELETEs, pool empty again ($(($(date +%s) - t0)) s)"

# ---- 2. EAP-MSCHAPv2, closed once all are up ----------------------------------------
[ -s "$LAB_GW_CERT" ] || lab_fail "no gateway certificate to pin"
load_start eap RAVPN_PASSWORD=Anu-lab-pass1 --group ASA-IKEV2 --user Anu --auth eap-mschapv2 \
	--pin-cert "$LAB_GW_CERT"
st=0
wait "$LOAD_PID" || st=$?
[ "$st" = 0 ] || lab_fail "load eap exited with $st: $(tail -n 20 "$LAB_DIR/c1/load-eap.log")"
load_check_dump eap
load_check_json eap
cat "$LAB_DIR/c1/eap.json"
sleep 0.5
lab_assert_no_lease "$POOL"
lab_pass "EAP-MSCHAPv2: $N clients up, $N distinct addresses, all closed, pool empty again"

# ---- 3. IKEv1, one local address per client, held up, SIGTERM -------------------------
N=50
for i in $(seq 100 $((100 + N - 1))); do
	ip -n "$(lab_ns c1)" addr add "10.0.0.$i/24" dev eth0
done
load_start v1 "RAVPN_GROUP_PASSWORD=Lab-v1-group-key RAVPN_PASSWORD=Lab-v1-pass1" --ikev1 --group RA-IKEV1 --user vpnuser1 \
	--source "10.0.0.100-10.0.0.$((100 + N - 1))" --hold
load_wait_dump v1
load_check_dump v1
s=$(gw_sessions IKEv1)
[ "$s" = "$N" ] || lab_fail "gateway shows $s IKEv1 sessions, expected $N: $(lab_ctl show vpn-sessiondb summary)"
lab_stop_pid "$LOAD_PID"
[ "$LAB_STOP_STATUS" = 0 ] || lab_fail "load v1 exited with $LAB_STOP_STATUS: $(tail -n 20 "$LAB_DIR/c1/load-v1.log")"
load_check_json v1
cat "$LAB_DIR/c1/v1.json"
sleep 0.5
lab_assert_no_lease_v1 "$POOL"
lab_pass "IKEv1: $N clients from $N addresses up, $N distinct addresses, $s sessions, pool empty again"
