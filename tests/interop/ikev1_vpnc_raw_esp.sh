#!/bin/bash
# vpnc with --natt-mode none against tunnel-group RA-IKEV1: no NAT-T vendor
# IDs, IKE stays on UDP 500, Quick Mode asks for plain Tunnel mode, and ESP
# travels as IP protocol 50.  A capture on the gateway's outside bridge must
# show raw ESP from the client in both directions and no UDP 4500 at all.
#
# LAB_GW=strongswan: charon's kernel-libipsec (the only ESP this machine has:
# no xfrm ESP in the kernel) only does ESP in UDP: Quick Mode completes, then
# charon logs "failed to create SAD entry" and deletes the CHILD_SA.  There
# the scenario checks the client side only: vpnc saw no NAT-T, Quick Mode
# ran, vpnc sends raw ESP and nothing ever goes to UDP 4500.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start asa-ikev1
lab_add_client c1
pub=${LAB_PUBLIC[c1]}
lab_capture_start gw outside "host $pub"
lab_vpnc_start c1 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser1 password=Lab-v1-pass1 natt=none
lab_vpnc_wait_up c1
vip=$LAB_VPNC_VIP
grep -q "NAT status: no NAT-T VID seen" "$LAB_DIR/c1/vpnc.log" ||
	lab_fail "vpnc --natt-mode none still negotiated NAT-T: $(grep 'NAT status' "$LAB_DIR/c1/vpnc.log")"
grep -q "IPSEC SA selected" "$LAB_DIR/c1/vpnc.log" || lab_fail "vpnc logged no Quick Mode result"

if [ "$LAB_GW" = ravpnd ]; then
	lab_gw_assert_v1_session vpnuser1 "$vip" "$pub" AM
	lab_ctl_reject "NatT" show vpn-sessiondb remote
	if lab_dataplane; then
		lab_ping_through_tunnel c1 - 3
		lab_capture_stop
		to_gw=$(lab_capture_count "$LAB_CAPTURE_FILE" "ip.src == $pub && ip.proto == 50")
		from_gw=$(lab_capture_count "$LAB_CAPTURE_FILE" "ip.dst == $pub && ip.proto == 50")
		udp=$(lab_capture_count "$LAB_CAPTURE_FILE" "udp.port == 4500")
		[ "$to_gw" -ge 3 ] && [ "$from_gw" -ge 3 ] && [ "$udp" = 0 ] ||
			lab_fail "raw ESP: $to_gw packets to and $from_gw from the gateway (expected >= 3 each), $udp on UDP 4500 (expected 0)"
		lab_pass "vpnc --natt-mode none: raw ESP both ways ($to_gw/$from_gw packets), no UDP 4500, $vip"
	else
		lab_capture_stop
		lab_pass "vpnc --natt-mode none: Tunnel mode negotiated, $vip (no data-plane check)"
	fi
else
	lab_gw_wait_log "failed to create SAD entry" 5
	# one way only: vpnc encrypts and sends protocol 50, nobody can answer
	lab_exec c1 ping -c 3 -i 0.2 -W 1 "$LAB_SERVER_ADDR" >/dev/null 2>&1 || true
	lab_capture_stop
	to_gw=$(lab_capture_count "$LAB_CAPTURE_FILE" "ip.src == $pub && ip.proto == 50")
	udp=$(lab_capture_count "$LAB_CAPTURE_FILE" "udp.port == 4500")
	[ "$to_gw" -ge 1 ] && [ "$udp" = 0 ] ||
		lab_fail "raw ESP: $to_gw protocol-50 packets from vpnc (expected >= 1), $udp on UDP 4500 (expected 0)"
	lab_pass "vpnc --natt-mode none: no NAT-T, vpnc sends raw ESP ($to_gw packets), no UDP 4500 (strongSwan/libipsec cannot answer raw ESP, see header)"
fi
lab_vpnc_stop c1
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 v1pool
