#!/bin/bash
# ravpn-connect (IKEv2) in a client namespace:
#  1. against ravpnd, EAP-MSCHAPv2 (tunnel-group ASA-IKEV2, user Anu, the
#     gateway certificate pinned): connected with an address from webvpn1,
#     the gateway shows the session, ping and a short iperf3 to the server
#     10.1.0.10 through the tunnel; SIGTERM: DELETE, exit 0, session and
#     lease gone;
#  2. against ravpnd, group PSK (tunnel-group ASA-PSK): connected, ping;
#  3. a wrong password: exit code 3 (authentication), no lease left;
#  4. against a strongSwan responder (a peer we did not write), EAP-MSCHAPv2
#     with its certificate pinned: connected, ping through the tunnel.
# Prints the connect time and the iperf3 throughput.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

RAVPN_CONNECT=${RAVPN_CONNECT:-$LAB_TOP/build/src/client/ravpn-connect}
[ -x "$RAVPN_CONNECT" ] || { echo "SKIP: no $RAVPN_CONNECT (make first)"; exit 77; }
command -v iperf3 >/dev/null || { echo "SKIP: no iperf3"; exit 77; }

RVC_PID=""
# rvc_start NAME LOGTAG ENV-ASSIGNMENT ARGS...: ravpn-connect in namespace NAME,
# the password in the environment (never on the command line).
rvc_start() {
	local n=$1 tag=$2 envpw=$3
	mkdir -p "$LAB_DIR/$n"
	shift 3
	lab_spawn "rvc-$tag" "$LAB_DIR/$n/rvc-$tag.log" \
		ip netns exec "$(lab_ns "$n")" env "$envpw" "$RAVPN_CONNECT" --gateway "$LAB_GW_ADDR" "$@"
	RVC_PID=$LAB_LAST_PID
}

# rvc_wait_connected NAME TAG: wait for the "connected:" line; prints the address.
rvc_wait_connected() {
	local n=$1 tag=$2 log i
	log=$LAB_DIR/$n/rvc-$tag.log
	for i in $(seq 200); do
		grep -q '^connected:' "$log" 2>/dev/null && break
		lab_alive "$RVC_PID" || lab_fail "ravpn-connect ($tag) exited: $(cat "$log")"
		sleep 0.1
	done
	grep -q '^connected:' "$log" || lab_fail "ravpn-connect ($tag) did not connect: $(cat "$log")"
	sed -n 's/^connected: address \([0-9.]*\)\/.*/\1/p' "$log" | head -n 1
}

rvc_check_log() { # NAME TAG: no sanitizer report, no password in the log
	local log=$LAB_DIR/$1/rvc-$2.log
	if grep -Eq "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log"; then
		lab_fail "ravpn-connect ($2) sanitizer report: $(cat "$log")"
	fi
	if grep -q "Anu-lab-pass1\|Lab-group-key-1" "$log"; then
		lab_fail "ravpn-connect ($2) logged a secret"
	fi
}

rvc_stop() { # NAME TAG: SIGTERM, exit status 0
	lab_stop_pid "$RVC_PID"
	[ "$LAB_STOP_STATUS" = 0 ] || lab_fail "ravpn-connect ($2) exited with $LAB_STOP_STATUS: $(tail -n 20 "$LAB_DIR/$1/rvc-$2.log")"
	rvc_check_log "$1" "$2"
}

rvc_ping() { # NAME
	lab_exec "$1" ping -c 3 -i 0.2 -W 2 "$LAB_SERVER_ADDR" >"$LAB_DIR/$1/ping.out" 2>&1 ||
		lab_fail "$1: ping $LAB_SERVER_ADDR through ravpn-connect failed: $(cat "$LAB_DIR/$1/ping.out")"
}

lab_init
if [ "$LAB_GW" = ravpnd ]; then
	# ---- 1. ravpnd, EAP-MSCHAPv2 ----------------------------------------------
	lab_gw_start eap
	lab_add_client c1
	[ -s "$LAB_GW_CERT" ] || lab_fail "no gateway certificate to pin"
	rvc_start c1 eap RAVPN_PASSWORD=Anu-lab-pass1 --group ASA-IKEV2 --user Anu \
		--auth eap-mschapv2 --pin-cert "$LAB_GW_CERT" --debug 1
	vip=$(rvc_wait_connected c1 eap)
	grep '^connected:' "$LAB_DIR/c1/rvc-eap.log"
	case $vip in 10.2.2.*) ;; *) lab_fail "address $vip is not from webvpn1" ;; esac
	lab_gw_assert_session Anu "$vip"
	rvc_ping c1
	lab_iperf c1 5
	lab_pass "ravpn-connect EAP-MSCHAPv2 -> ravpnd: $vip, ping ok, iperf3 $LAB_IPERF_MBPS Mbit/s"
	rvc_stop c1 eap
	sleep 0.5
	lab_ctl_reject "Status:UP-ACTIVE" show crypto ikev2 sa detail
	lab_assert_no_lease webvpn1
	lab_pass "SIGTERM: DELETE sent, exit 0, no session, lease back"

	# ---- 3. wrong password --------------------------------------------------------
	rvc_start c1 bad RAVPN_PASSWORD=not-the-password --group ASA-IKEV2 --user Anu \
		--pin-cert "$LAB_GW_CERT"
	st=0
	wait "$RVC_PID" || st=$?
	[ "$st" = 3 ] || lab_fail "wrong password: exit $st, expected 3: $(cat "$LAB_DIR/c1/rvc-bad.log")"
	rvc_check_log c1 bad
	lab_assert_no_lease webvpn1
	lab_pass "wrong password: exit 3 (authentication failed), no lease"
	lab_stop_pid "$LAB_GW_PID"

	# ---- 2. ravpnd, group PSK -----------------------------------------------------
	lab_gw_start psk
	rvc_start c1 psk RAVPN_GROUP_PASSWORD=Lab-group-key-1 --group ASA-PSK --auth psk
	vip=$(rvc_wait_connected c1 psk)
	grep '^connected:' "$LAB_DIR/c1/rvc-psk.log"
	lab_gw_assert_session "" "$vip"
	rvc_ping c1
	rvc_stop c1 psk
	sleep 0.5
	lab_assert_no_lease webvpn1
	lab_pass "ravpn-connect PSK -> ravpnd: $vip, ping ok, clean exit"
	lab_stop_pid "$LAB_GW_PID"
	LAB_RAVPND_STATUS=$LAB_STOP_STATUS
	lab_ravpnd_check_exit || lab_fail "ravpnd did not end cleanly"
	LAB_GW_PID=""
fi

# ---- 4. strongSwan as the gateway ------------------------------------------------
if [ -x "$CHARON" ]; then
	LAB_GW=strongswan
	lab_add_client c2
	lab_sswan_gw_start eap eap-mschapv2
	rvc_start c2 sswan RAVPN_PASSWORD=Anu-lab-pass1 --group ASA-IKEV2 --user Anu \
		--auth eap-mschapv2 --pin-cert "$LAB_GW_CERT"
	vip=$(rvc_wait_connected c2 sswan)
	grep '^connected:' "$LAB_DIR/c2/rvc-sswan.log"
	lab_gw_assert_session Anu "$vip"
	rvc_ping c2
	rvc_stop c2 sswan
	sleep 0.5
	lab_assert_no_lease webvpn1
	lab_pass "ravpn-connect EAP-MSCHAPv2 -> strongSwan: $vip, ping ok, clean exit"
fi
