#!/bin/bash
# ESP traffic through ravpnd's userspace data plane with a real strongSwan
# client (kernel-libipsec, ESP in UDP 4500): for each of AES-GCM-256,
# AES-CBC-256 + HMAC-SHA1-96 and 3DES + HMAC-SHA1-96, a TCP transfer (iperf3,
# 3 s) and a ping from the client's pool address to the server namespace,
# which is reachable only through the tunnel.  Passes when the transfer
# moved data, the suite is the one asked for, and the gateway's own
# `show crypto ipsec sa` counted the packets in both directions.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start psk
lab_add_client c1
lab_client_start c1

# NAME ESP-PROPOSAL STRONGSWAN-SUITE-NAME
transfer() {
	local conn=$1 esp=$2 suite=$3 vip out
	lab_client_conn c1 "$conn" auth=psk group=ASA-PSK psk=Lab-group-key-1 \
		ike=aes256gcm16-prfsha256-x25519 esp="$esp"
	lab_initiate c1 "$conn" || lab_fail "$conn: PSK client with ESP $esp does not connect"
	vip=$(lab_assert_sa_up c1 "$conn" 10.2.2.1 10.2.2.10)
	lab_assert_suite c1 "$conn" AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519 "$suite"
	lab_iperf c1 3
	[ "$LAB_IPERF_BYTES" -gt 1000000 ] ||
		lab_fail "$conn: only $LAB_IPERF_BYTES bytes crossed the tunnel"
	lab_ping_through_tunnel c1 "$conn" 3
	out=$(lab_ctl show crypto ipsec sa)
	echo "$out" | grep -Eq '#pkts encaps: [1-9][0-9]{2,}' ||
		lab_fail "$conn: gateway encapsulated almost nothing: $out"
	echo "$out" | grep -Eq '#pkts decaps: [1-9][0-9]{2,}' ||
		lab_fail "$conn: gateway decapsulated almost nothing: $out"
	# After thousands of in-order packets the newest 64 window bits are set.
	echo "$out" | grep -A1 'Anti replay bitmap' | grep -q '0xFFFFFFFF 0xFFFFFFFF' ||
		lab_fail "$conn: anti-replay bitmap not full after the transfer: $out"
	lab_pass "ESP $esp: $LAB_IPERF_MBPS Mbit/s TCP from $vip through ravpnd"
	lab_terminate c1 "$conn"
	lab_client_forget c1 "$conn"
}

transfer gcm aes256gcm16 AES_GCM_16-256
transfer cbc aes256-sha1 AES_CBC-256/HMAC_SHA1_96
transfer tdes 3des-sha1 3DES_CBC/HMAC_SHA1_96
