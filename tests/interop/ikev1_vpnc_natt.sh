#!/bin/bash
# vpnc and NAT traversal (RFC 3947) against tunnel-group RA-IKEV1:
#  1. c1 behind the lab's NAT (192.168.1.2 -> masquerade 10.0.0.N), vpnc
#     --natt-mode natt: vpnc must see its end behind NAT, IKE moves to UDP
#     4500 and ESP is UDP-encapsulated (a capture on the gateway's outside
#     bridge sees ESP-in-UDP from the NAT's address and no raw ESP); the
#     gateway's peer is the NAT's public address; ping + iperf3.
#  2. c2 without NAT, vpnc --natt-mode force-natt: ESP-in-UDP all the same.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

# assert_udp_esp PUB: the capture holds ESP in UDP 4500 from PUB, no raw ESP
assert_udp_esp() {
	local pub=$1 f=$LAB_CAPTURE_FILE udp raw
	udp=$(lab_capture_count "$f" "ip.src == $pub && udp.srcport && udp.dstport == 4500 && esp.spi")
	raw=$(lab_capture_count "$f" "ip.src == $pub && ip.proto == 50")
	[ "$udp" -gt 0 ] && [ "$raw" = 0 ] ||
		lab_fail "from $pub: $udp ESP-in-UDP packets and $raw raw ESP packets, expected >0 and 0"
	lab_log "capture: $udp ESP-in-UDP packets from $pub, no raw ESP"
}

lab_init
lab_gw_start asa-ikev1

# 1. behind NAT
lab_add_client c1 nat
pub=${LAB_PUBLIC[c1]}
lab_capture_start gw outside "host $pub"
lab_vpnc_start c1 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser1 password=Lab-v1-pass1 natt=natt
lab_vpnc_wait_up c1
vip=$LAB_VPNC_VIP
grep -q "NAT status: this end behind NAT? YES" "$LAB_DIR/c1/vpnc.log" ||
	lab_fail "vpnc did not detect its NAT: $(grep 'NAT status' "$LAB_DIR/c1/vpnc.log")"
lab_gw_assert_v1_session vpnuser1 "$vip" "$pub" AM
[ "$LAB_GW" != ravpnd ] || lab_ctl_expect "IPsecOverNatT" show vpn-sessiondb remote
if lab_dataplane; then
	lab_ping_through_tunnel c1 - 3
	lab_iperf c1 3
	[ "$LAB_IPERF_BYTES" -gt 1000000 ] || lab_fail "only $LAB_IPERF_BYTES bytes crossed the NATed tunnel"
	lab_capture_stop
	assert_udp_esp "$pub"
	lab_pass "vpnc behind NAT ($pub): NAT-T, ESP in UDP 4500, $vip, up in ${LAB_VPNC_CONNECT_MS} ms, $LAB_IPERF_MBPS Mbit/s"
else
	lab_capture_stop
	lab_pass "vpnc behind NAT ($pub): NAT-T negotiated, $vip"
fi
lab_vpnc_stop c1

# 2. no NAT, force-natt
lab_add_client c2
pub=${LAB_PUBLIC[c2]}
lab_capture_start gw outside "host $pub"
lab_vpnc_start c2 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser2 password=Lab-v1-pass2 natt=force-natt
lab_vpnc_wait_up c2
vip=$LAB_VPNC_VIP
lab_gw_assert_v1_session vpnuser2 "$vip" "$pub" AM
if lab_dataplane; then
	lab_ping_through_tunnel c2 - 3
	lab_capture_stop
	assert_udp_esp "$pub"
else
	lab_capture_stop
fi
lab_pass "vpnc --natt-mode force-natt without NAT ($pub): ESP in UDP 4500, $vip"
lab_vpnc_stop c2
# vpnc's DELETE goes over UDP: if a loaded machine loses it, DPD (threshold 10,
# retry 2) still removes the SA within about 25 s
lab_gw_assert_no_v1_sa 30
lab_assert_no_lease_v1 v1pool
