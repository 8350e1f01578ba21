#!/bin/bash
# A client behind NAT: c1 (192.168.1.2) -> c1nat (nftables masquerade,
# 192.168.1.1 | 10.0.0.2) -> gateway 10.0.0.1.  IKE must float to UDP 4500,
# both ends must detect the NAT (the client: "local host is behind NAT"; the
# gateway: `show crypto ikev2 sa detail` says "NAT-T is detected" and shows the
# NAT's address as the remote), the CHILD_SA is ESP-in-UDP (TUNNEL-in-UDP) and
# traffic flows through it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start eap eap-mschapv2
lab_add_client c1 nat
lab_client_start c1
lab_client_conn c1 anu auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1
lab_initiate c1 anu || lab_fail "connect through NAT failed"
vip=$(lab_assert_sa_up c1 anu 10.2.2.1 10.2.2.10)
pub=${LAB_PUBLIC[c1]}
lab_assert_log c1 "local host is behind NAT, sending keep alives"
sas=$(lab_client_sas c1)
echo "$sas" | grep -Eq "^  local  .* @ 192\.168\.1\.2\[4500\] \[$vip\]" ||
	lab_fail "client: IKE did not float to 4500 from 192.168.1.2: $sas"
echo "$sas" | grep -Eq "INSTALLED, TUNNEL-in-UDP" || lab_fail "client: CHILD_SA is not ESP-in-UDP: $sas"
lab_gw_assert_session Anu "$vip"
if [ "$LAB_GW" = ravpnd ]; then
	lab_ctl_expect "NAT-T is detected" show crypto ikev2 sa detail
	lab_ctl_expect "$LAB_GW_ADDR/4500 +$pub/[0-9]+ +READY +RESPONDER" show crypto ikev2 sa detail
else
	out=$(lab_swanctl gw --list-sas --raw)
	echo "$out" | grep -q "remote-host=$pub " || lab_fail "gateway: remote is not the NAT $pub: $out"
	echo "$out" | grep -q "nat-remote=yes" || lab_fail "gateway: NAT not detected: $out"
fi
if lab_dataplane; then
	lab_ping_through_tunnel c1 anu 3
	# TCP through the NAT: ESP in UDP from the NAT's port to ravpnd.
	lab_iperf c1 3
	[ "$LAB_IPERF_BYTES" -gt 1000000 ] || lab_fail "only $LAB_IPERF_BYTES bytes crossed the NATed tunnel"
fi
lab_pass "behind NAT ($pub): NAT-T detected on both ends, $vip"
